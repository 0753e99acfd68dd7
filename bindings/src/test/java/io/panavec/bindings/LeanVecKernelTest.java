package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LeanVec's native projections against a double-precision reference of the matrix products, at every ISA
 * level: {@code pv_leanvec_prepare_query} (qt = P q from P in float16, and its constants; also within the stated
 * float16 bound of the float32 product) and {@code pv_lvq_encode} with a
 * projection (each row's decoded coordinates within half a step of P (x - mu), its norm ||x||^2). Shapes:
 * the ones LeanVec specs use on 384-d data (d' 128 and 160) and projection heights that are not multiples
 * of the score tile's panel (16) or register blocks, with vector counts crossing the encoder's block of 64.
 * The projection is a row-major code_dim x dim matrix, as LeanVecQuantizer passes it.
 */
class LeanVecKernelTest {
    static final int[][] SHAPES = {{384, 160}, {384, 128}, {384, 96}, {45, 12}, {100, 33}, {7, 3}, {20, 20}};

    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    static float[] gaussian(int n, SplittableRandom rnd, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * scale);
        return v;
    }

    /** row r of P times v, in double. */
    static double project(float[] proj, int r, float[] v) {
        double s = 0;
        for (int d = 0; d < v.length; d++) s += (double) proj[r * v.length + d] * v[d];
        return s;
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers("pv_leanvec_prepare_query")
    void preparedQueryIsTheProjectedQuery(int isa) {
        IsaLevels.use(isa);
        for (int[] shape : SHAPES) {
            int dim = shape[0], cd = shape[1];
            SplittableRandom rnd = new SplittableRandom(dim * 31L + cd);
            float[] proj = gaussian(cd * dim, rnd, 1 / Math.sqrt(dim));
            short[] proj16 = new short[proj.length]; // the kernel reads the projection in float16
            float[] rounded = new float[proj.length];
            for (int i = 0; i < proj.length; i++) {
                proj16[i] = Float.floatToFloat16(proj[i]);
                rounded[i] = Float.float16ToFloat(proj16[i]);
            }
            float[] mu = gaussian(dim, rnd, 0.1);
            int pd = (int) panavec_quant_h.pv_quant_padded_dim(cd);
            for (int t = 0; t < 5; t++) {
                float[] q = gaussian(dim, rnd, 1);
                float[] qt = new float[pd + panavec_quant_h.PV_QUANT_QUERY_EXTRA()];
                java.util.Arrays.fill(qt, Float.NaN); // every float is written
                panavec_quant_h.pv_leanvec_prepare_query(MemorySegment.ofArray(q), dim, MemorySegment.ofArray(proj16), cd,
                        MemorySegment.ofArray(mu), MemorySegment.ofArray(qt));
                double c0 = 0, c1 = 0, qq = 0;
                for (int d = 0; d < dim; d++) {
                    c0 += (double) q[d] * mu[d];
                    qq += (double) q[d] * q[d];
                }
                String at = "dim " + dim + " d' " + cd + " query " + t;
                for (int r = 0; r < cd; r++) {
                    double want = project(rounded, r, q), exact = project(proj, r, q), abs = 0;
                    for (int d = 0; d < dim; d++) abs += Math.abs((double) proj[r * dim + d] * q[d]);
                    c1 += want;
                    assertEquals(want, qt[r], 1e-4 * (1 + Math.abs(want)), at + " qt[" + r + "]");
                    // the stated bound against the float32 projection: 2^-11 sum |A_ri q_i| (+ float rounding)
                    assertEquals(exact, qt[r], Math.scalb(abs, -11) + 1e-4 * (1 + Math.abs(exact)), at + " qt[" + r + "] vs float32");
                }
                for (int r = cd; r < pd; r++) assertEquals(0f, qt[r], at + " padding " + r);
                assertEquals(c0, qt[pd], 1e-4 * (1 + Math.abs(c0)), at + " C0");
                assertEquals(c1, qt[pd + 1], 1e-3 * (1 + Math.abs(c1)), at + " C1");
                assertEquals(qq, qt[pd + 2], 1e-4 * qq, at + " |q|^2");
            }
        }
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers("pv_lvq_encode")
    void projectedCodesDecodeToTheProjection(int isa) {
        IsaLevels.use(isa);
        int n = 70; // one full block of 64 vectors and a partial one
        for (int[] shape : SHAPES) {
            int dim = shape[0], cd = shape[1];
            SplittableRandom rnd = new SplittableRandom(dim * 17L + cd);
            float[] proj = gaussian(cd * dim, rnd, 1 / Math.sqrt(dim));
            float[] mu = gaussian(dim, rnd, 0.1);
            float[][] x = new float[n][];
            for (int i = 0; i < n; i++) x[i] = gaussian(dim, rnd, 1);
            for (int[] bits : new int[][] {{8, 0}, {4, 8}}) {
                check(x, mu, proj, dim, cd, bits[0], bits[1], "dim " + dim + " d' " + cd + " lvq" + bits[0] + "x" + bits[1]);
            }
        }
    }

    private static void check(float[][] x, float[] mu, float[] proj, int dim, int cd, int bits, int bits2, String what) {
        int n = x.length;
        long rb = panavec_quant_h.pv_quant_row_bytes(bits, cd, 1), xb = panavec_quant_h.pv_quant_row_bytes(bits2 == 0 ? 8 : bits2, cd, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * dim);
            for (int i = 0; i < n; i++) MemorySegment.copy(x[i], 0, xs, ValueLayout.JAVA_FLOAT, (long) i * dim * 4, dim);
            MemorySegment rows = arena.allocate(rb * n), res = arena.allocate(xb * n), err = arena.allocate(256);
            int rc = panavec_quant_h.pv_lvq_encode(xs, n, dim, arena.allocateFrom(ValueLayout.JAVA_FLOAT, mu),
                    arena.allocateFrom(ValueLayout.JAVA_FLOAT, proj), cd, bits, bits2, 1, rows, bits2 == 0 ? MemorySegment.NULL : res, err, 256);
            assertEquals(panavec_h.PV_OK(), rc, what + ": " + err.getString(0));
            int hdr = panavec_quant_h.PV_QUANT_HEADER_BYTES();
            for (int i = 0; i < n; i++) {
                MemorySegment row = rows.asSlice(i * rb, rb);
                float lo = row.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0), step = row.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4);
                double xx = 0;
                for (float v : x[i]) xx += (double) v * v;
                String at = what + " row " + i;
                assertEquals(xx, row.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 8), 1e-4 * xx, at + " norm");
                double[] y = new double[cd];
                double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < cd; r++) {
                    y[r] = project(proj, r, x[i]) - project(proj, r, mu);
                    ymin = Math.min(ymin, y[r]);
                    ymax = Math.max(ymax, y[r]);
                }
                double tol = 1e-4 * (1 + Math.abs(ymax) + Math.abs(ymin));
                assertEquals(ymin, lo, tol, at + " lower bound");
                assertEquals((ymax - ymin) / ((1 << bits) - 1), step, tol, at + " step");
                double step2 = step / ((1 << bits2) - 1);
                for (int r = 0; r < cd; r++) {
                    double decoded = lo + step * code(bits, row, hdr, r);
                    if (bits2 == 0) {
                        assertTrue(Math.abs(decoded - y[r]) <= step / 2 + tol, at + " coordinate " + r + ": " + decoded + " vs " + y[r]);
                    } else {
                        decoded += -0.5 * step + step2 * code(bits2, res, i * xb, r);
                        assertTrue(Math.abs(decoded - y[r]) <= step2 / 2 + tol, at + " two-level coordinate " + r + ": " + decoded + " vs " + y[r]);
                    }
                }
            }
        }
    }

    /** Code of coordinate r in the packed layout of panavec_quant.h (8 bits: one byte; 4 bits: 32-dim blocks, low nibbles first). */
    static int code(int bits, MemorySegment seg, long off, int r) {
        if (bits == 8) return seg.get(ValueLayout.JAVA_BYTE, off + r) & 0xff;
        int t = r / 32, j = r % 32;
        int b = seg.get(ValueLayout.JAVA_BYTE, off + t * 16L + (j % 16)) & 0xff;
        return j < 16 ? b & 15 : b >>> 4;
    }
}
