package io.panavec.quant;

import io.panavec.TestData;
import org.junit.jupiter.api.Test;

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

    /** recall@10 of the top 10 by decoded score (the first pass, no re-rank) for queries [from, end). */
    private static double recall(Quantizer q, float[][] base, float[][] queries, int[][] truth, int from) {
        float[][] decoded;
        try (QuantizedVectors codes = QuantizedVectors.encode(q, base)) {
            decoded = new float[base.length][];
            for (int i = 0; i < base.length; i++) decoded[i] = codes.decode(i, false);
        }
        double sum = 0;
        for (int qi = from; qi < queries.length; qi++) {
            float[] query = queries[qi];
            Integer[] order = new Integer[base.length];
            double[] s = new double[base.length];
            for (int i = 0; i < base.length; i++) {
                order[i] = i;
                for (int j = 0; j < query.length; j++) s[i] += (double) query[j] * decoded[i][j];
            }
            Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
            Set<Integer> t = new HashSet<>();
            for (int i = 0; i < 10; i++) t.add(truth[qi][i]);
            for (int i = 0; i < 10; i++) if (t.contains(order[i])) sum++;
        }
        return sum / (10.0 * (queries.length - from));
    }
}
