package io.panavec.quant;

import io.panavec.Metric;
import io.panavec.TestData;
import io.panavec.bindings.panavec_quant_h;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LeanVec's projections against independent oracles: LeanVec-ID spans the top eigenvectors of the data's
 * covariance (found here by subspace iteration in double precision, not by the library's eigen solver);
 * LeanVec-OOD, trained on a sample of the shipped out-of-distribution queries, finds the ground-truth
 * neighbours of held-out ones better than the PCA projection of the same dimension does.
 */
class LeanVecTest {

    /** Rows with distinct variances along the axes of a random rotation (so the top subspace is unique). */
    private static float[][] rotatedAnisotropic(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] basis = orthonormalColumns(gaussian(dim, dim, r));
        float[][] x = new float[n][dim];
        for (float[] v : x) {
            for (int a = 0; a < dim; a++) {
                double c = r.nextGaussian() * (dim - a) + 0.5 * a; // variance (dim - a)^2, off-centre
                for (int i = 0; i < dim; i++) v[i] += (float) (c * basis[i][a]);
            }
        }
        return x;
    }

    private static double[][] gaussian(int rows, int cols, SplittableRandom r) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) for (int j = 0; j < cols; j++) row[j] = r.nextGaussian();
        return m;
    }

    /** Gram-Schmidt on the columns of m (in place), returned. */
    private static double[][] orthonormalColumns(double[][] m) {
        int d = m.length, k = m[0].length;
        for (int c = 0; c < k; c++) {
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += m[i][c] * m[i][p];
                for (int i = 0; i < d; i++) m[i][c] -= dot * m[i][p];
            }
            double norm = 0;
            for (int i = 0; i < d; i++) norm += m[i][c] * m[i][c];
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) m[i][c] /= norm;
        }
        return m;
    }

    /** The top-k eigen-subspace of the covariance of x by subspace iteration (d x k, orthonormal columns). */
    private static double[][] topSubspace(float[][] x, int k) {
        int d = x[0].length;
        double[] mean = new double[d];
        for (float[] v : x) for (int i = 0; i < d; i++) mean[i] += v[i];
        for (int i = 0; i < d; i++) mean[i] /= x.length;
        double[][] c = new double[d][d];
        for (float[] v : x) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) c[i][j] += (v[i] - mean[i]) * (v[j] - mean[j]) / x.length;
            }
        }
        double[][] q = orthonormalColumns(gaussian(d, k, new SplittableRandom(1)));
        for (int it = 0; it < 500; it++) {
            double[][] next = new double[d][k];
            for (int i = 0; i < d; i++) {
                for (int l = 0; l < d; l++) {
                    for (int j = 0; j < k; j++) next[i][j] += c[i][l] * q[l][j];
                }
            }
            q = orthonormalColumns(next);
        }
        return q;
    }

    @Test
    void leanVecIdSpansTheTopEigenvectors() {
        int dim = 24, k = 6;
        float[][] x = rotatedAnisotropic(3000, dim, 5);
        Quantizer q = Quantizers.train(QuantSpec.parse("leanvec-id." + k + ".lvq8"), x, null);
        float[][] p = Arrays.copyOfRange(q.parameters(), 1, 1 + k); // rows: the projection
        assertEquals(k, p.length);
        double[][] ref = topSubspace(x, k);
        for (int j = 0; j < k; j++) {
            double inSpan = 0; // ||P v_j||^2: 1 when the reference direction lies in the projection's span
            for (float[] row : p) {
                double dot = 0;
                for (int i = 0; i < dim; i++) dot += row[i] * ref[i][j];
                inSpan += dot * dot;
            }
            assertEquals(1.0, inSpan, 1e-4, "reference eigenvector " + j + " lies outside the projection");
        }
    }

    @Test
    void leanVecOodFindsTheNeighboursOfOutOfDistributionQueriesBetterThanPca() {
        float[][] base = TestData.read("base.fvecs");
        float[][] words = TestData.read("queries-words.fvecs");
        int[][] truth = TestData.groundTruth("queries-words-groundtruth.ivecs");
        float[][] train = Arrays.copyOfRange(words, 0, words.length / 2);  // the query sample LeanVec-OOD learns from
        int held = words.length - train.length;                          // queries it has not seen
        float[][] sample = Arrays.copyOf(base, 4000);
        int dim = 32;
        double ood = recall(Quantizers.train(QuantSpec.parse("leanvec-ood." + dim + ".lvq8"), sample, train), base, words, truth, train.length);
        double pca = recall(Quantizers.train(QuantSpec.parse("leanvec-id." + dim + ".lvq8"), sample, null), base, words, truth, train.length);
        System.out.printf("first-pass recall@10 of %d held-out word queries at d' = %d: LeanVec-OOD %.3f, PCA %.3f%n", held, dim, ood, pca);
        assertTrue(ood > pca + 0.01, "LeanVec-OOD " + ood + " vs PCA " + pca + " at d' = " + dim);
    }

    /** recall@10 of the top 10 by code score (the first pass of a search, no re-rank) for queries [from, end). */
    private static double recall(Quantizer q, float[][] base, float[][] queries, int[][] truth, int from) {
        double sum = 0;
        try (QuantizedVectors codes = QuantizedVectors.encode(q, base)) {
            for (int qi = from; qi < queries.length; qi++) {
                float[] qt = q.prepareQuery(queries[qi]);
                float[] s = new float[base.length];
                panavec_quant_h.pv_quant_scores(0, q.spec().bits(), MemorySegment.ofArray(qt), codes.rows(), base.length,
                        q.codeDimension(), MemorySegment.ofArray(s));
                Integer[] order = new Integer[base.length];
                for (int i = 0; i < base.length; i++) order[i] = i;
                Arrays.sort(order, (a, b) -> Float.compare(s[b], s[a]));
                Set<Integer> t = new HashSet<>();
                for (int i = 0; i < 10; i++) t.add(truth[qi][i]);
                for (int i = 0; i < 10; i++) if (t.contains(order[i])) sum++;
            }
        }
        return sum / (10.0 * (queries.length - from));
    }

    /**
     * What the kernels score on LeanVec codes, against a double-precision reference computed here from the
     * quantizer's parameters: IP = <q, mu> + <A q, y> with y = a + b c decoded from the row, L2 = ||q||^2 - 2 IP
     * + ||x||^2; the codes are the LVQ codes of B (x - mu) (each within one level of the reference's rounding);
     * the secondary level scores the full-dimension LVQ-8 decoded vector.
     */
    @Test
    void kernelsScoreTheProjectedQueryAgainstTheCodesOfTheProjectedData() {
        int dim = 40, k = 12;
        float[][] x = rotatedAnisotropic(500, dim, 3);
        float[][] qs = rotatedAnisotropic(80, dim, 4);
        for (String method : new String[] {"leanvec-ood." + k + ".lvq8x8", "leanvec-id." + k + ".lvq4x8", "leanvec-ood." + k + ".lvq4"}) {
            QuantSpec spec = QuantSpec.parse(method);
            LeanVecQuantizer q = (LeanVecQuantizer) Quantizers.train(spec, x, qs);
            float[][] p = q.parameters();
            float[] mu = p[0];
            float[][] b = Arrays.copyOfRange(p, 1, 1 + k);
            float[][] a = spec.kind() == QuantSpec.Kind.LEANVEC_OOD ? Arrays.copyOfRange(p, 1 + k, 1 + 2 * k) : b;
            int levels = (1 << spec.bits()) - 1;
            try (QuantizedVectors codes = QuantizedVectors.encode(q, x)) {
                float[] query = qs[7];
                double[] aq = new double[k];
                // the query projection the kernels read is A in float16 (pv_leanvec_prepare_query)
                for (int r = 0; r < k; r++) for (int i = 0; i < dim; i++) aq[r] += (double) Float.float16ToFloat(Float.floatToFloat16(a[r][i])) * query[i];
                double qmu = 0, qq = 0;
                for (int i = 0; i < dim; i++) {
                    qmu += (double) query[i] * mu[i];
                    qq += (double) query[i] * query[i];
                }
                for (int row = 0; row < 60; row++) {
                    MemorySegment code = codes.rows().asSlice((long) row * q.rowBytes());
                    float lo = CodePacking.header(code, 0, 0), step = CodePacking.header(code, 0, 1);
                    int[] c = CodePacking.unpack(spec.bits(), code, CodePacking.HEADER_BYTES, k);
                    double[] y = new double[k];
                    double ylo = Double.MAX_VALUE, yhi = -Double.MAX_VALUE;
                    for (int r = 0; r < k; r++) {
                        for (int i = 0; i < dim; i++) y[r] += (double) b[r][i] * (x[row][i] - mu[i]);
                        ylo = Math.min(ylo, y[r]);
                        yhi = Math.max(yhi, y[r]);
                    }
                    assertEquals(ylo, lo, 1e-4 * (Math.abs(ylo) + 1), method + " row " + row + " bias");
                    assertEquals((yhi - ylo) / levels, step, 1e-4 * (yhi - ylo) + 1e-6, method + " row " + row + " step");
                    double ip = qmu, xx = 0;
                    for (int r = 0; r < k; r++) {
                        assertTrue(Math.abs(c[r] - (y[r] - ylo) / ((yhi - ylo) / levels)) <= 0.5 + 1e-3, method + " row " + row + " code " + r);
                        ip += aq[r] * (lo + step * c[r]);
                    }
                    for (float v : x[row]) xx += (double) v * v;
                    for (Metric m : new Metric[] {Metric.INNER_PRODUCT, Metric.L2}) {
                        double expect = m == Metric.L2 ? qq - 2 * ip + xx : ip;
                        float got = panavec_quant_h.pv_quant_score(m == Metric.L2 ? 1 : 0, spec.bits(), MemorySegment.ofArray(q.prepareQuery(query)),
                                code, k);
                        assertEquals(expect, got, 1e-4 * (Math.abs(expect) + qq + xx + 1), method + " " + m + " row " + row);
                    }
                    if (q.secondary() != null) { // the re-rank level: full-dimension LVQ, scored as its decoded vector
                        float[] dec = codes.decode(row, true);
                        double expect = 0;
                        for (int i = 0; i < dim; i++) expect += (double) dec[i] * query[i];
                        float got = Rescoring.secondary(q, 0, query, codes.residual(), new long[] {row})[0];
                        assertEquals(expect, got, 1e-4 * (Math.abs(expect) + qq + xx + 1), method + " secondary row " + row);
                        assertTrue(QuantizerTest.dist(dec, x[row]) <= q.errorBound(x[row], true) * (1 + 1e-4) + 1e-4);
                    }
                }
            }
        }
    }

    /**
     * Frank-Wolfe never increases the objective (exact line search), keeps both projections in the spectral-norm
     * ball, and from a random orthonormal start on in-distribution second moments (K_Q = K_X, whose optimum
     * A = B = the top eigenvectors is known: f = sum of the squared trailing eigenvalues) gets close to it.
     */
    @Test
    void frankWolfeDescendsAndApproachesTheKnownOptimum() {
        int dim = 16, k = 4;
        float[][] x = rotatedAnisotropic(2000, dim, 9);
        float[] mu = Quantizers.mean(x);
        double[][] kx = Projections.covariance(x, mu);
        double[] lambda = SymmetricEigen.decompose(kx).values();
        double optimum = 0;
        for (int i = 0; i < dim - k; i++) optimum += lambda[i] * lambda[i];
        double[][] start = orthonormalColumns(gaussian(dim, k, new SplittableRandom(3)));
        double[][] rows = new double[k][dim];
        for (int r = 0; r < k; r++) for (int i = 0; i < dim; i++) rows[r][i] = start[i][r];
        FrankWolfeProjections.Result fw = FrankWolfeProjections.optimize(kx, kx, rows, rows, 200, null);
        assertTrue(fw.loss() <= fw.initialLoss(), fw.loss() + " > " + fw.initialLoss());
        assertTrue(fw.loss() <= 1.10 * optimum, "Frank-Wolfe " + fw.loss() + " vs optimum " + optimum + " (start " + fw.initialLoss() + ")");
        assertTrue(FrankWolfeProjections.spectralNorm(fw.data()) <= 1 + 1e-6);
        assertTrue(FrankWolfeProjections.spectralNorm(fw.query()) <= 1 + 1e-6);
    }
}
