package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One-to-one and one-to-many scores of every element type and metric, at every ISA level the CPU
 * has, against the double-precision {@link Reference}: dims 1..70 and a spread up to 2048, vectors
 * at unaligned addresses, zero vectors, extreme magnitudes, heap and native segments.
 */
class ScoreKernelTest {
    static final int[] DIMS = IntStream.concat(IntStream.rangeClosed(1, 70),
            IntStream.of(95, 127, 128, 129, 255, 256, 257, 383, 384, 385, 511, 1000, 1023, 1024, 1025, 2047, 2048)).toArray();
    static final int ROWS = 5; // kernels that take rows four at a time also run their one-row remainder

    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_f32_score", "pv_f16_score", "pv_i8_score", "pv_f32_scores", "pv_f16_scores", "pv_i8_scores"})
    void scoresMatchTheReference(int isa) {
        IsaLevels.use(isa);
        int checked = 0;
        for (Elem elem : Elem.values()) {
            for (int dim : DIMS) {
                SplittableRandom rnd = new SplittableRandom(31L * dim + elem.ordinal());
                for (Case c : cases(elem, dim, rnd)) {
                    for (int metric = 0; metric < 3; metric++) {
                        checked += check(elem, metric, c, dim);
                    }
                }
            }
        }
        assertTrue(checked > 10_000, "only " + checked + " scores checked");
    }

    record Case(String name, float[] q, float[][] x) {}

    /** Random, zero query, a zero row among random ones, and extremes. */
    static List<Case> cases(Elem elem, int dim, SplittableRandom rnd) {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("random", vector(elem, dim, rnd, 1), rows(elem, dim, rnd, 1)));
        cases.add(new Case("zero query", new float[dim], rows(elem, dim, rnd, 1)));
        float[][] withZero = rows(elem, dim, rnd, 1);
        withZero[1] = new float[dim];
        cases.add(new Case("zero row", vector(elem, dim, rnd, 1), withZero));
        switch (elem) {
            case F32 -> {
                cases.add(new Case("huge", vector(elem, dim, rnd, 1e18), rows(elem, dim, rnd, 1e18)));
                cases.add(new Case("tiny", vector(elem, dim, rnd, 1e-18), rows(elem, dim, rnd, 1e-18)));
                cases.add(new Case("huge x tiny", vector(elem, dim, rnd, 1e18), rows(elem, dim, rnd, 1e-18)));
            }
            case F16 -> {
                float[][] x = new float[ROWS][dim];
                for (int i = 0; i < dim; i++) {
                    x[0][i] = rnd.nextBoolean() ? 65504f : -65504f; // max
                    x[1][i] = Float.float16ToFloat((short) (rnd.nextInt(1, 0x400) | (rnd.nextBoolean() ? 0x8000 : 0))); // subnormal
                    x[2][i] = rnd.nextBoolean() ? 0x1p-14f : -0x1p-14f; // min normal
                    x[3][i] = Float.float16ToFloat((short) (rnd.nextInt(0, 0x7c00) | (rnd.nextBoolean() ? 0x8000 : 0))); // any finite
                }
                cases.add(new Case("half extremes", vector(elem, dim, rnd, 1), x));
                cases.add(new Case("half extremes, large query", vector(elem, dim, rnd, 1e6), x));
            }
            case I8 -> {
                float[][] x = new float[ROWS][dim];
                float[] q = new float[dim];
                for (int i = 0; i < dim; i++) {
                    q[i] = -128;
                    x[0][i] = -128;
                    x[1][i] = 127;
                    x[2][i] = rnd.nextBoolean() ? -128 : 127;
                    x[3][i] = 0;
                }
                cases.add(new Case("i8 extremes", q, x));
                // A query without -128 takes the many-rows inner product of the AVX2 level (sign trick), rows with -128 too.
                float[] q127 = new float[dim], qRandom = new float[dim];
                for (int i = 0; i < dim; i++) {
                    q127[i] = rnd.nextBoolean() ? -127 : 127;
                    qRandom[i] = rnd.nextInt(-127, 128);
                }
                cases.add(new Case("i8 extremes, query in -127..127", q127, x));
                cases.add(new Case("random, query in -127..127", qRandom, rows(elem, dim, rnd, 1)));
            }
        }
        return cases;
    }

    static float[][] rows(Elem elem, int dim, SplittableRandom rnd, double scale) {
        float[][] x = new float[ROWS][];
        for (int r = 0; r < ROWS; r++) x[r] = vector(elem, dim, rnd, scale);
        return x;
    }

    /** Uniform values in [-scale, scale], exactly representable in the element type. */
    static float[] vector(Elem elem, int dim, SplittableRandom rnd, double scale) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = switch (elem) {
                case F32 -> (float) (rnd.nextDouble(-1, 1) * scale);
                case F16 -> Float.float16ToFloat(Float.floatToFloat16((float) (rnd.nextDouble(-1, 1) * scale)));
                case I8 -> rnd.nextInt(-128, 128);
            };
        }
        return v;
    }

    /** Checks one case at one metric; returns how many scores were compared (0 if not representable). */
    static int check(Elem elem, int metric, Case c, int dim) {
        Reference[] ref = new Reference[ROWS];
        for (int r = 0; r < ROWS; r++) {
            ref[r] = Reference.of(elem, metric, c.q(), c.x()[r]);
            if (!ref[r].representable()) {
                return 0;
            }
        }
        // f32/f16: 1..3 elements off alignment; i8: odd bytes.
        long xOff = elem == Elem.I8 ? 1 + 2L * (dim % 3) : (1 + dim % 3) * (long) elem.bytes;
        long qOff = elem == Elem.I8 ? 3 : 4L * (1 + (dim + 1) % 3);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = elem.encodeQuery(arena, c.q(), qOff);
            MemorySegment x = elem.encode(arena, c.x(), dim, xOff);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, ROWS);
            elem.scores(metric, q, x, ROWS, dim, out);
            for (int r = 0; r < ROWS; r++) {
                String what = String.format("%s %s metric %d dim %d row %d (%s)", Kernels.isaName(Kernels.isaActive()), elem,
                        metric, dim, r, c.name());
                MemorySegment row = x.asSlice((long) r * dim * elem.bytes, (long) dim * elem.bytes);
                float one = (r % 2 == 0)
                        ? elem.score(metric, q, row, dim)
                        : elem.score(metric, elem.heapQuery(c.q()), elem.heapVector(c.x()[r]), dim);
                float many = out.getAtIndex(ValueLayout.JAVA_FLOAT, r);
                assertEquals(ref[r].value(), one, ref[r].tolerance(), "one-to-one " + what);
                assertEquals(ref[r].value(), many, ref[r].tolerance(), "one-to-many " + what);
            }
        }
        return 2 * ROWS;
    }
}
