package io.panavec.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panavec.Metric;
import io.panavec.bindings.panavec_quant_h;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every method: encode -> decode error within the stated bound (property test over random data of
 * several shapes), the native score of a code row equals the exact score against the decoded vector
 * (so the kernels really score what decode returns; LeanVec's scoring is checked in LeanVecTest), the
 * native LVQ encoder writes exactly the bytes of a scalar Java reference, save/load round trips, and
 * the code file refuses other methods, dimensions, versions and corruption.
 */
class QuantizerTest {
    static final String[] METHODS = {"sq8", "sq4", "lvq4", "lvq8", "lvq4x4", "lvq4x8", "lvq8x8", "binary",
            "leanvec-id.12.lvq8", "leanvec-ood.12.lvq4", "leanvec-id.12.lvq8x8", "leanvec-ood.12.lvq4x4"};

    static float[][] data(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][dim];
        for (float[] v : x) {
            for (int i = 0; i < dim; i++) {
                v[i] = (float) (r.nextGaussian() * (1 + i % 5) + (i % 3)); // anisotropic, off-centre
            }
        }
        return x;
    }

    static double dist(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sq8", "sq4", "lvq4", "lvq8", "lvq4x4", "lvq4x8", "lvq8x8", "binary", "leanvec-id.12.lvq8", "leanvec-ood.12.lvq4",
            "leanvec-ood.12.lvq8x8"})
    void decodeErrorWithinBoundAndKernelScoresTheDecodedVector(String method) {
        for (int dim : new int[] {20, 33, 64}) {
            float[][] x = data(300, dim, dim * 7L + method.hashCode());
            QuantSpec spec = QuantSpec.parse(method);
            Quantizer q = Quantizers.train(spec, x, data(50, dim, 99));
            try (QuantizedVectors codes = QuantizedVectors.encode(q, x)) {
                for (int i = 0; i < x.length; i++) {
                    for (boolean two : new boolean[] {false, true}) {
                        float[] d = codes.decode(i, two);
                        double err = dist(d, x[i]), bound = q.errorBound(x[i], two);
                        assertTrue(err <= bound * (1 + 1e-4) + 1e-4, method + " dim " + dim + " row " + i + ": error " + err + " > bound " + bound);
                    }
                }
                if (spec.kind() == QuantSpec.Kind.LVQ) { // per-coordinate bound: half a step
                    float[] d = codes.decode(3, true);
                    float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
                    float[] mu = q.parameters()[0];
                    for (int i = 0; i < dim; i++) {
                        lo = Math.min(lo, x[3][i] - mu[i]);
                        hi = Math.max(hi, x[3][i] - mu[i]);
                    }
                    double step = (hi - lo) / ((1 << spec.bits()) - 1);
                    if (spec.residualBits() > 0) {
                        step /= (1 << spec.residualBits()) - 1;
                    }
                    for (int i = 0; i < dim; i++) {
                        assertTrue(Math.abs(d[i] - x[3][i]) <= step / 2 * (1 + 1e-4) + 1e-5, method + " coordinate " + i);
                    }
                }
                if (spec.reducedDim() > 0) {
                    continue; // LeanVec scores the projected query against the codes, not a decoded vector: LeanVecTest
                }
                // The kernels score exactly the decoded vector (up to float rounding).
                float[] query = data(1, dim, 5)[0];
                for (Metric m : new Metric[] {Metric.INNER_PRODUCT, Metric.L2}) {
                    int nm = m == Metric.L2 ? 1 : 0;
                    float[] qt = q.prepareQuery(query);
                    for (int i = 0; i < 20; i++) {
                        float[] d = codes.decode(i, false);
                        double expect = m == Metric.L2 ? Math.pow(dist(d, query), 2) : dot(d, query);
                        float got = panavec_quant_h.pv_quant_score(nm, spec.bits(), MemorySegment.ofArray(qt),
                                codes.rows().asSlice((long) i * q.rowBytes()), q.codeDimension());
                        double tol = 1e-4 * (Math.abs(expect) + norm(d) * norm(query) + 1);
                        assertEquals(expect, got, tol, method + " " + m + " row " + i);
                        if (spec.residualBits() > 0) {
                            float[] d2 = codes.decode(i, true);
                            double expect2 = m == Metric.L2 ? Math.pow(dist(d2, query), 2) : dot(d2, query);
                            float got2 = panavec_quant_h.pv_quant_score2(nm, spec.bits(), spec.residualBits(), MemorySegment.ofArray(qt),
                                    codes.rows().asSlice((long) i * q.rowBytes()), codes.residual().asSlice((long) i * q.residualBytes()),
                                    q.codeDimension());
                            assertEquals(expect2, got2, tol, method + " two-level " + m + " row " + i);
                        }
                    }
                }
            }
        }
    }

    /**
     * The native LVQ encoder ({@code pv_lvq_encode}) against a scalar Java reference of the layout in
     * panavec_quant.h: the same bytes, header and codes, for one- and two-level LVQ, dims off the 32 block,
     * and a constant row (step 0).
     */
    @ParameterizedTest
    @ValueSource(strings = {"lvq4", "lvq8", "lvq4x4", "lvq4x8", "lvq8x8"})
    void nativeLvqEncodingMatchesTheScalarReference(String method) {
        for (int dim : new int[] {7, 32, 45}) {
            float[][] x = data(70, dim, dim + 5L);
            java.util.Arrays.fill(x[9], 0.25f);
            QuantSpec spec = QuantSpec.parse(method);
            Quantizer q = Quantizers.train(spec, x, null);
            float[] mu = q.parameters()[0];
            try (QuantizedVectors codes = QuantizedVectors.encode(q, x)) {
                for (int i = 0; i < x.length; i++) {
                    byte[][] ref = referenceLvq(x[i], mu, spec.bits(), spec.residualBits());
                    byte[] got = codes.rows().asSlice((long) i * q.rowBytes(), q.rowBytes()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    assertArrayEquals(ref[0], got, method + " dim " + dim + " row " + i);
                    if (spec.residualBits() > 0) {
                        byte[] got2 = codes.residual().asSlice((long) i * q.residualBytes(), q.residualBytes()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                        assertArrayEquals(ref[1], got2, method + " residual, dim " + dim + " row " + i);
                    }
                }
            }
        }
    }

    /** LVQ of x (primary row with header, residual row) written the slow way, straight from the layout's definition. */
    static byte[][] referenceLvq(float[] x, float[] mu, int bits, int bits2) {
        int d = x.length, pd = (d + 31) / 32 * 32, levels = (1 << bits) - 1;
        float[] y = new float[d];
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < d; i++) {
            y[i] = x[i] - mu[i];
            lo = Math.min(lo, y[i]);
            hi = Math.max(hi, y[i]);
        }
        float step = (hi - lo) / levels;
        if (!(step > 0) || !Float.isFinite(step)) step = 0;
        int[] c = new int[pd], c2 = new int[pd];
        double n1 = 0, n2 = 0;
        for (int i = 0; i < d; i++) {
            c[i] = step == 0 ? 0 : Math.max(0, Math.min(levels, Math.round((y[i] - lo) / step)));
            float v = mu[i] + (lo + step * c[i]);
            n1 += (double) v * v;
        }
        if (bits2 > 0) {
            int l2 = (1 << bits2) - 1;
            float s2 = step / l2, base = lo - 0.5f * step;
            for (int i = 0; i < d; i++) {
                c2[i] = s2 == 0 ? 0 : Math.max(0, Math.min(l2, Math.round((y[i] - step * c[i] - base) / s2)));
                float v = mu[i] + (base + step * c[i] + s2 * c2[i]);
                n2 += (double) v * v;
            }
        }
        java.nio.ByteBuffer row = java.nio.ByteBuffer.allocate(16 + pd * bits / 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        row.putFloat(lo).putFloat(step).putFloat((float) n1).putFloat(bits2 > 0 ? (float) n2 : 0f);
        packReference(row, c, bits, pd);
        java.nio.ByteBuffer res = java.nio.ByteBuffer.allocate(bits2 == 0 ? 0 : pd * bits2 / 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (bits2 > 0) packReference(res, c2, bits2, pd);
        return new byte[][] {row.array(), res.array()};
    }

    private static void packReference(java.nio.ByteBuffer b, int[] c, int bits, int pd) {
        for (int t = 0; t < pd; t += 32) {
            if (bits == 8) {
                for (int j = 0; j < 32; j++) b.put((byte) c[t + j]);
            } else if (bits == 4) {
                for (int j = 0; j < 16; j++) b.put((byte) (c[t + j] | c[t + 16 + j] << 4));
            } else {
                int w = 0;
                for (int j = 0; j < 32; j++) w |= (c[t + j] & 1) << j;
                b.putInt(w);
            }
        }
    }

    /**
     * Binary codes against an independent reference: with z = x - mean (the mean computed here, in double),
     * the best 1-bit code with one scale per row decodes to mean + alpha sign(z), alpha = mean |z|, and
     * misses x by exactly sqrt(||z||^2 - (sum |z|)^2 / d). A code that decoded to the mean, flipped a
     * bit or chose another scale would miss by more.
     */
    @Test
    void binaryCodesAreTheLeastSquaresSignCodes() {
        for (int dim : new int[] {20, 33, 64}) {
            float[][] x = data(300, dim, dim * 13L);
            double[] mean = new double[dim];
            for (float[] v : x) for (int i = 0; i < dim; i++) mean[i] += v[i] / (double) x.length;
            Quantizer q = Quantizers.train(QuantSpec.parse("binary"), x, null);
            try (QuantizedVectors codes = QuantizedVectors.encode(q, x)) {
                for (int r = 0; r < x.length; r++) {
                    double zz = 0, sumAbs = 0;
                    for (int i = 0; i < dim; i++) {
                        double z = x[r][i] - mean[i];
                        zz += z * z;
                        sumAbs += Math.abs(z);
                    }
                    double best = Math.sqrt(zz - sumAbs * sumAbs / dim);
                    double err = dist(codes.decode(r, false), x[r]);
                    assertTrue(err <= best * (1 + 1e-4) + 1e-4, "dim " + dim + " row " + r + ": error " + err + " > least squares " + best);
                    assertTrue(best < 0.9 * Math.sqrt(zz), "the data leaves room for a test: " + best + " vs " + Math.sqrt(zz));
                }
            }
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    @Test
    void twoLevelIsCloserThanOneLevel() {
        float[][] x = data(200, 48, 3);
        Quantizer q = Quantizers.train(QuantSpec.parse("lvq4x8"), x, null);
        try (QuantizedVectors codes = QuantizedVectors.encode(q, x)) {
            double e1 = 0, e2 = 0;
            for (int i = 0; i < x.length; i++) {
                e1 += dist(codes.decode(i, false), x[i]);
                e2 += dist(codes.decode(i, true), x[i]);
            }
            assertTrue(e2 < e1 / 50, "residual level should cut the error ~255x: " + e1 + " vs " + e2);
        }
    }

    @Test
    void saveLoadRoundTripsAndRefusesMismatches(@TempDir Path dir) throws IOException {
        for (String method : METHODS) {
            float[][] x = data(40, 24, 11);
            QuantSpec spec = QuantSpec.parse(method);
            Quantizer q = Quantizers.train(spec, x, data(30, 24, 12));
            Path f = dir.resolve(method + ".codes");
            try (QuantizedVectors codes = QuantizedVectors.encode(q, x)) {
                codes.save(f);
                try (QuantizedVectors back = QuantizedVectors.load(f, spec, 24)) {
                    assertEquals(40, back.count());
                    for (int i = 0; i < 40; i++) {
                        assertArrayEquals(codes.decode(i, true), back.decode(i, true), method);
                    }
                    float[] qq = data(1, 24, 13)[0];
                    assertArrayEquals(q.prepareQuery(qq), back.quantizer().prepareQuery(qq));
                }
            }
            String other = method.equals("sq8") ? "sq4" : "sq8";
            IOException e = assertThrows(IOException.class, () -> QuantizedVectors.load(f, QuantSpec.parse(other), 24));
            assertTrue(e.getMessage().contains("expected " + other), e.getMessage());
            e = assertThrows(IOException.class, () -> QuantizedVectors.load(f, spec, 25));
            assertTrue(e.getMessage().contains("dimension 24, expected 25"), e.getMessage());
        }
    }

    @Test
    void corruptOrTruncatedFilesAreRefused(@TempDir Path dir) throws IOException {
        float[][] x = data(50, 16, 1);
        QuantSpec spec = QuantSpec.parse("lvq4x8");
        Path f = dir.resolve("c");
        try (QuantizedVectors codes = QuantizedVectors.encode(Quantizers.train(spec, x, null), x)) {
            codes.save(f);
        }
        byte[] good = Files.readAllBytes(f);
        byte[] flipped = good.clone();
        flipped[good.length - 20] ^= 1; // a code byte
        Files.write(f, flipped);
        assertTrue(assertThrows(IOException.class, () -> QuantizedVectors.load(f, spec, 16)).getMessage().contains("checksum"));
        flipped = good.clone();
        flipped[60] ^= 1; // a parameter
        Files.write(f, flipped);
        assertThrows(IOException.class, () -> QuantizedVectors.load(f, spec, 16));
        Files.write(f, java.util.Arrays.copyOf(good, good.length - 7));
        assertTrue(assertThrows(IOException.class, () -> QuantizedVectors.load(f, spec, 16)).getMessage().contains("truncated"));
        flipped = good.clone();
        flipped[8] = 9; // version
        Files.write(f, flipped);
        assertTrue(assertThrows(IOException.class, () -> QuantizedVectors.load(f, spec, 16)).getMessage().contains("version"));
        Files.write(f, new byte[100]);
        assertTrue(assertThrows(IOException.class, () -> QuantizedVectors.load(f, spec, 16)).getMessage().contains("not a panavec code file"));
    }

    @Test
    void badInputIsRefusedBeforeNative() {
        float[][] x = data(20, 8, 1);
        Quantizer q = Quantizers.train(QuantSpec.parse("lvq8"), x, null);
        float[][] nan = data(2, 8, 2);
        nan[1][3] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> QuantizedVectors.encode(q, nan));
        assertThrows(IllegalArgumentException.class, () -> QuantizedVectors.encode(q, new float[][] {new float[7]}));
        assertThrows(IllegalArgumentException.class, () -> Quantizers.train(QuantSpec.parse("leanvec-ood.4.lvq8"), x, null));
        assertThrows(IllegalArgumentException.class, () -> Quantizers.train(QuantSpec.parse("leanvec-id.8.lvq8"), x, null));
        assertThrows(IllegalArgumentException.class, () -> QuantSpec.parse("lvq3"));
        assertThrows(IllegalArgumentException.class, () -> QuantSpec.parse("lvq4x2"));
        for (String m : METHODS) {
            assertEquals(m, QuantSpec.parse(m).toString());
        }
    }

    @Test
    void projectionsHaveOrthonormalRowsAndOodFitsTheQueries() {
        float[][] x = data(400, 16, 4);
        float[] mu = Quantizers.mean(x);
        float[][] p = Projections.pca(x, mu, 5);
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                assertEquals(a == b ? 1.0 : 0.0, dot(p[a], p[b]), 1e-5);
            }
        }
        // Queries live in the directions where the data varies least: the query-aware projection
        // must lose less of <q, x - mu> than PCA does.
        SplittableRandom r = new SplittableRandom(8);
        float[][] qs = new float[200][16];
        for (float[] q : qs) {
            q[0] = (float) r.nextGaussian(); // data variance is lowest at i % 5 == 0
            q[5] = (float) r.nextGaussian();
            q[10] = (float) r.nextGaussian();
        }
        float[][] ood = Projections.queryAware(x, mu, qs, 5);
        double[][] kx = Projections.covariance(x, mu), kq = Projections.covariance(qs, new float[16]);
        assertTrue(Projections.loss(ood, kq, kx) < 0.5 * Projections.loss(p, kq, kx),
                "OOD loss " + Projections.loss(ood, kq, kx) + " vs PCA " + Projections.loss(p, kq, kx));
    }

    @Test
    void symmetricEigenDecomposes() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 30;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = r.nextGaussian();
            }
        }
        SymmetricEigen.Result e = SymmetricEigen.decompose(a);
        for (int k = 0; k < n; k++) {
            double[] v = e.vectors()[k];
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i][j] * v[j];
                }
                assertEquals(e.values()[k] * v[i], av, 1e-9);
            }
            if (k > 0) {
                assertTrue(e.values()[k] >= e.values()[k - 1]);
            }
        }
    }
}
