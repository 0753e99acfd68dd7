package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** pv_maxsim_f32 / pv_maxsim_f16 at every ISA level against a double-precision loop, over block and tail shapes. */
class MaxSimKernelTest {
    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_maxsim_f32", "pv_maxsim_f16"})
    void maxSimMatchesADoubleLoopForEveryShape(int isa) {
        IsaLevels.use(isa);
        Random r = new Random(isa);
        for (int dim : new int[] {1, 3, 7, 8, 9, 16, 31, 33, 70, 384}) {
            for (int nq : new int[] {1, 2, 3, 4, 5, 9}) {
                for (int nx : new int[] {1, 2, 3, 6}) {
                    float[] q = random(r, nq * dim), x = random(r, nx * dim);
                    short[] h = new short[x.length];
                    float[] xr = new float[x.length]; // x as the f16 kernel sees it
                    for (int i = 0; i < x.length; i++) {
                        h[i] = Float.floatToFloat16(x[i]);
                        xr[i] = Float.float16ToFloat(h[i]);
                    }
                    float[] got = new float[nq], gotH = new float[nq];
                    Arrays.fill(got, Float.NEGATIVE_INFINITY);
                    Arrays.fill(gotH, Float.NEGATIVE_INFINITY);
                    gotH[0] = 1e9f; // a running maximum above every score stays
                    panavec_multivector_h.pv_maxsim_f32(MemorySegment.ofArray(q), nq, MemorySegment.ofArray(x), nx, dim, MemorySegment.ofArray(got));
                    panavec_multivector_h.pv_maxsim_f16(MemorySegment.ofArray(q), nq, MemorySegment.ofArray(h), nx, dim, MemorySegment.ofArray(gotH));
                    for (int i = 0; i < nq; i++) {
                        String at = "dim " + dim + " nq " + nq + " nx " + nx + " token " + i;
                        assertEquals(maxDot(q, i, x, nx, dim), got[i], 1e-5 * dim + 1e-5, "f32 " + at);
                        assertEquals(i == 0 ? 1e9 : maxDot(q, i, xr, nx, dim), gotH[i], i == 0 ? 0 : 1e-5 * dim + 1e-5, "f16 " + at);
                    }
                }
            }
        }
    }

    private static double maxDot(float[] q, int i, float[] x, int nx, int dim) {
        double best = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < nx; j++) {
            double s = 0;
            for (int t = 0; t < dim; t++) s += (double) q[i * dim + t] * x[j * dim + t];
            best = Math.max(best, s);
        }
        return best;
    }
}
