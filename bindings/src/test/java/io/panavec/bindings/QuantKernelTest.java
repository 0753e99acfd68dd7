package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kernels on codes (panavec_quant.h) at every ISA level the CPU has, against a double-precision
 * reference written from the header's layout description (packing done here, independently of the
 * Java quantizers): one-to-one, two-level, one-to-many, fused top-k with and without an allow bitset,
 * IP and L2, bits 1/4/8, dims that are and are not multiples of 32, rows at unaligned addresses.
 */
class QuantKernelTest {
    static final int[] DIMS = IntStream.concat(IntStream.rangeClosed(1, 40), IntStream.of(63, 64, 65, 96, 127, 160, 383, 384, 385, 1000)).toArray();
    static final int[] BITS = {1, 4, 8};
    static final int HDR = 16;

    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    static int padded(int dim) {
        return (dim + 31) & ~31;
    }

    static int codeBytes(int bits, int dim) {
        return padded(dim) * bits / 8;
    }

    /** Packs codes as the header describes. */
    static void pack(int bits, int[] c, MemorySegment dst, long off) {
        int pd = padded(c.length);
        for (int i = 0; i < pd; i++) {
            int v = i < c.length ? c[i] : 0;
            if (v == 0) {
                continue;
            }
            long at;
            int shift;
            if (bits == 8) {
                at = off + i;
                shift = 0;
            } else if (bits == 4) {
                int t = i / 32, j = i % 32;
                at = off + t * 16L + (j % 16);
                shift = j < 16 ? 0 : 4;
            } else {
                at = off + i / 8; // little-endian uint32 per 32 dims = byte i/8, bit i%8
                shift = i % 8;
            }
            byte b = dst.get(ValueLayout.JAVA_BYTE, at);
            dst.set(ValueLayout.JAVA_BYTE, at, (byte) (b | (v << shift)));
        }
    }

    record Coded(int[] c, float a, float b, float n2, float n2full, int[] c2) {}

    static Coded random(int bits, int bits2, int dim, SplittableRandom rnd) {
        int[] c = new int[dim], c2 = bits2 == 0 ? null : new int[dim];
        for (int i = 0; i < dim; i++) {
            c[i] = rnd.nextInt(1 << bits);
            if (c2 != null) {
                c2[i] = rnd.nextInt(1 << bits2);
            }
        }
        return new Coded(c, (float) rnd.nextDouble(-1, 1), (float) rnd.nextDouble(0.001, 0.5),
                (float) rnd.nextDouble(0, 3), (float) rnd.nextDouble(0, 3), c2);
    }

    static float[] query(int dim, SplittableRandom rnd) {
        float[] qt = new float[padded(dim) + 4];
        for (int i = 0; i < dim; i++) {
            qt[i] = (float) rnd.nextDouble(-1, 1);
        }
        int pd = padded(dim);
        qt[pd] = (float) rnd.nextDouble(-1, 1);
        double s = 0;
        for (int i = 0; i < dim; i++) {
            s += qt[i];
        }
        qt[pd + 1] = (float) s;
        qt[pd + 2] = (float) rnd.nextDouble(0, 2);
        return qt;
    }

    /** The header's formula in double precision, and the sum of |terms| for the tolerance. */
    static double[] reference(int metric, int bits2, float[] qt, Coded x, int dim) {
        int pd = padded(dim);
        double dot = 0, mag = 0;
        for (int i = 0; i < dim; i++) {
            dot += (double) qt[i] * x.c()[i];
            mag += Math.abs((double) qt[i] * x.c()[i]);
        }
        double a = x.a(), b = x.b();
        double ip = qt[pd] + a * qt[pd + 1] + b * dot;
        double scale = Math.abs(qt[pd]) + Math.abs(a * qt[pd + 1]) + Math.abs(b) * mag;
        if (bits2 > 0) {
            double d2 = 0, m2 = 0;
            for (int i = 0; i < dim; i++) {
                d2 += (double) qt[i] * x.c2()[i];
                m2 += Math.abs((double) qt[i] * x.c2()[i]);
            }
            double b2 = b / ((1 << bits2) - 1);
            ip += -0.5 * b * qt[pd + 1] + b2 * d2;
            scale += Math.abs(0.5 * b * qt[pd + 1]) + b2 * m2;
        }
        double n2 = bits2 > 0 ? x.n2full() : x.n2();
        if (metric == 1) {
            return new double[] {qt[pd + 2] - 2 * ip + n2, 2 * scale + Math.abs(qt[pd + 2]) + Math.abs(n2)};
        }
        return new double[] {ip, scale};
    }

    static void write(MemorySegment seg, long off, Coded x, int bits) {
        seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off, x.a());
        seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off + 4, x.b());
        seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off + 8, x.n2());
        seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off + 12, x.n2full());
        pack(bits, x.c(), seg, off + HDR);
    }

    static void near(double expected, double scale, float actual, String what) {
        double tol = 1e-5 * scale + 1e-5;
        assertTrue(Math.abs(expected - actual) <= tol, what + ": expected " + expected + ", got " + actual + " (tol " + tol + ")");
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers("pv_quant_i8_dot_u4")
    void int8QueryTimes4BitCodesIsTheExactIntegerDot(int isa) {
        IsaLevels.use(isa);
        try (Arena arena = Arena.ofConfined()) {
            for (int dim : DIMS) {
                SplittableRandom rnd = new SplittableRandom(dim * 977L);
                int pd = padded(dim);
                for (int round = 0; round < 3; round++) {
                    byte[] q = new byte[pd];
                    int[] c = new int[dim];
                    long expected = 0;
                    for (int i = 0; i < dim; i++) {
                        // round 0: the extremes (-127/127 against 15, the pair sums pmaddubsw must not saturate)
                        q[i] = (byte) (round == 0 ? (i % 2 == 0 ? 127 : -127) : rnd.nextInt(-127, 128));
                        c[i] = round == 0 ? 15 : rnd.nextInt(16);
                        expected += (long) q[i] * c[i];
                    }
                    MemorySegment qs = arena.allocate(pd + 1).asSlice(1); // unaligned
                    MemorySegment.copy(q, 0, qs, ValueLayout.JAVA_BYTE, 0, pd);
                    MemorySegment codes = arena.allocate(codeBytes(4, dim) + 3).asSlice(3);
                    pack(4, c, codes, 0);
                    assertEquals(expected, panavec_quant_h.pv_quant_i8_dot_u4(qs, codes, pd), "dim " + dim + " round " + round);
                }
            }
        }
    }

    @Test
    void sizes() {
        assertEquals(16 + 192, panavec_quant_h.pv_quant_row_bytes(4, 384, 1));
        assertEquals(384, panavec_quant_h.pv_quant_row_bytes(8, 384, 0));
        assertEquals(16 + 4, panavec_quant_h.pv_quant_row_bytes(1, 1, 1));
        assertEquals(-1, panavec_quant_h.pv_quant_row_bytes(2, 384, 1));
        assertEquals(416, panavec_quant_h.pv_quant_padded_dim(385));
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_quant_score", "pv_quant_score2"})
    void oneToOneAndTwoLevelMatchTheReference(int isa) {
        IsaLevels.use(isa);
        int checked = 0;
        try (Arena arena = Arena.ofConfined()) {
            for (int bits : BITS) {
                for (int bits2 : new int[] {0, 4, 8}) {
                    if (bits2 > 0 && bits == 1) {
                        continue;
                    }
                    for (int dim : DIMS) {
                        SplittableRandom rnd = new SplittableRandom(dim * 131L + bits * 7 + bits2);
                        float[] qt = query(dim, rnd);
                        Coded x = random(bits, bits2, dim, rnd);
                        long rb = HDR + codeBytes(bits, dim);
                        MemorySegment row = arena.allocate(rb + 3).asSlice(3); // unaligned
                        write(row, 0, x, bits);
                        MemorySegment res = arena.allocate(bits2 == 0 ? 1 : codeBytes(bits2, dim) + 1).asSlice(1);
                        if (bits2 > 0) {
                            pack(bits2, x.c2(), res, 0);
                        }
                        for (int metric = 0; metric < 2; metric++) {
                            double[] ref = reference(metric, 0, qt, x, dim);
                            near(ref[0], ref[1], panavec_quant_h.pv_quant_score(metric, bits, MemorySegment.ofArray(qt), row, dim),
                                    "score bits " + bits + " dim " + dim + " metric " + metric);
                            if (bits2 > 0) {
                                double[] ref2 = reference(metric, bits2, qt, x, dim);
                                near(ref2[0], ref2[1], panavec_quant_h.pv_quant_score2(metric, bits, bits2, MemorySegment.ofArray(qt), row, res, dim),
                                        "score2 bits " + bits + "x" + bits2 + " dim " + dim + " metric " + metric);
                            }
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 500, "only " + checked);
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_quant_scores", "pv_quant_topk"})
    void manyAndTopkMatchTheReference(int isa) {
        IsaLevels.use(isa);
        try (Arena arena = Arena.ofConfined()) {
            for (int bits : BITS) {
                for (int dim : new int[] {5, 32, 100, 384}) {
                    SplittableRandom rnd = new SplittableRandom(dim * 17L + bits);
                    int n = 300, k = 7;
                    long rb = HDR + codeBytes(bits, dim);
                    MemorySegment rows = arena.allocate(n * rb);
                    Coded[] xs = new Coded[n];
                    for (int i = 0; i < n; i++) {
                        xs[i] = i == 11 ? xs[10] : random(bits, 0, dim, rnd); // a tie: the lower row must win
                        write(rows, i * rb, xs[i], bits);
                    }
                    float[] qt = query(dim, rnd);
                    long[] allowWords = {0xAAAA_AAAA_AAAA_AAAAL, -1L, 0x0F0F_0F0F_0F0F_0F0FL, -1L, 0x1234_5678_9ABC_DEF0L};
                    for (int metric = 0; metric < 2; metric++) {
                        float[] out = new float[n];
                        panavec_quant_h.pv_quant_scores(metric, bits, MemorySegment.ofArray(qt), rows, n, dim, MemorySegment.ofArray(out));
                        double[] ref = new double[n];
                        for (int i = 0; i < n; i++) {
                            double[] r = reference(metric, 0, qt, xs[i], dim);
                            ref[i] = r[0];
                            near(r[0], r[1], out[i], "scores row " + i);
                        }
                        for (long[] allow : new long[][] {null, allowWords}) {
                            float[] hs = new float[k];
                            long[] hr = new long[k];
                            // two chunks carried through one heap, rows numbered from base 1000
                            long size = panavec_quant_h.pv_quant_topk(metric, bits, MemorySegment.ofArray(qt), rows, 150, dim, 0,
                                    allow == null ? MemorySegment.NULL : MemorySegment.ofArray(allow), k, MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), 0);
                            size = panavec_quant_h.pv_quant_topk(metric, bits, MemorySegment.ofArray(qt), rows.asSlice(150 * rb), n - 150, dim, 150,
                                    allow == null ? MemorySegment.NULL : MemorySegment.ofArray(allow), k, MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), size);
                            panavec_h.pv_topk_sort(metric, MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), size);
                            final int m = metric;
                            long[] expected = IntStream.range(0, n)
                                    .filter(i -> allow == null || ((allow[i >> 6] >>> (i & 63)) & 1) != 0)
                                    .boxed()
                                    .sorted(Comparator.<Integer>comparingDouble(i -> m == 1 ? out[i] : -out[i]).thenComparingInt(i -> i))
                                    .limit(k).mapToLong(i -> i).toArray();
                            assertEquals(k, size);
                            assertArrayEquals(expected, hr, "top-k bits " + bits + " dim " + dim + " metric " + metric
                                    + (allow == null ? "" : " with allow") + ": " + Arrays.toString(hs));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_quant_scores_rows"})
    void rowListMatchesTheReference(int isa) {
        IsaLevels.use(isa);
        try (Arena arena = Arena.ofConfined()) {
            for (int bits : new int[] {4, 8}) {
                for (int bits2 : new int[] {0, 4, 8}) {
                    for (int dim : new int[] {7, 64, 384}) {
                        SplittableRandom rnd = new SplittableRandom(dim * 29L + bits * 3 + bits2);
                        int n = 60;
                        long rb = HDR + codeBytes(bits, dim), xb = bits2 == 0 ? 0 : codeBytes(bits2, dim);
                        MemorySegment rows = arena.allocate(n * rb);
                        MemorySegment res = bits2 == 0 ? MemorySegment.NULL : arena.allocate(n * xb);
                        Coded[] xs = new Coded[n];
                        for (int i = 0; i < n; i++) {
                            xs[i] = random(bits, bits2, dim, rnd);
                            write(rows, i * rb, xs[i], bits);
                            if (bits2 > 0) {
                                pack(bits2, xs[i].c2(), res, i * xb);
                            }
                        }
                        float[] qt = query(dim, rnd);
                        long[] ids = {59, 0, 17, 17, 3, 42, 58, 1};
                        for (int metric = 0; metric < 2; metric++) {
                            float[] out = new float[ids.length];
                            panavec_quant_h.pv_quant_scores_rows(metric, bits, bits2, MemorySegment.ofArray(qt), rows, res,
                                    MemorySegment.ofArray(ids), ids.length, dim, MemorySegment.ofArray(out));
                            for (int i = 0; i < ids.length; i++) {
                                double[] ref = reference(metric, bits2, qt, xs[(int) ids[i]], dim);
                                near(ref[0], ref[1], out[i], "row list bits " + bits + "x" + bits2 + " dim " + dim + " entry " + i);
                            }
                        }
                    }
                }
            }
        }
    }
}
