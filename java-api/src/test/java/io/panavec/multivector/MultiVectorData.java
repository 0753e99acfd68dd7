package io.panavec.multivector;

import io.panavec.TestData;
import io.panavec.io.VectorFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** The multi-vector cut shipped in data/wordnet-minilm-multivector-400, random token sets, and the Chamfer oracle. */
final class MultiVectorData {
    private MultiVectorData() {}

    static Path dir() {
        return TestData.dir().resolveSibling("wordnet-minilm-multivector-400");
    }

    /** Token sets of a shipped set ("docs", "queries", "queries-words"). */
    static float[][][] sets(String prefix) {
        try (VectorFile f = VectorFile.open(dir().resolve(prefix + ".tokens.npy"))) {
            float[][] tokens = f.readAll();
            int[][] off = VectorFile.readIvecs(dir().resolve(prefix + ".offsets.ivecs"));
            float[][][] out = new float[off.length - 1][][];
            for (int i = 0; i < out.length; i++) {
                out[i] = Arrays.copyOfRange(tokens, off[i][0], off[i + 1][0]);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[][] groundTruth(String name) {
        try {
            return VectorFile.readIvecs(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Chamfer similarity in double: the oracle. */
    static double chamfer(float[][] q, float[][] d) {
        double sum = 0;
        for (float[] a : q) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] b : d) {
                double s = 0;
                for (int j = 0; j < a.length; j++) s += (double) a[j] * b[j];
                best = Math.max(best, s);
            }
            sum += best;
        }
        return sum;
    }

    /** n random unit token sets of 1..maxTokens tokens. */
    static float[][][] randomSets(int n, int maxTokens, int dim, long seed) {
        Random r = new Random(seed);
        float[][][] out = new float[n][][];
        for (int i = 0; i < n; i++) {
            out[i] = new float[1 + r.nextInt(maxTokens)][dim];
            for (float[] t : out[i]) {
                double norm = 0;
                for (int j = 0; j < dim; j++) {
                    t[j] = (float) r.nextGaussian();
                    norm += t[j] * t[j];
                }
                for (int j = 0; j < dim; j++) t[j] /= (float) Math.sqrt(norm);
            }
        }
        return out;
    }
}
