package io.panavec.bench.multivector;

import io.panavec.io.VectorFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A multi-vector set made by ../shared/tools/multivector/embed-tokens.sh: PREFIX.tokens.fvecs (or .npy) and
 * PREFIX.offsets.ivecs, the first {@code limit} texts read into heap arrays (the benchmark's input, copied into
 * each engine's own storage).
 */
record TokenData(float[][][] sets, long tokens) {
    static TokenData read(Path dir, String prefix, int limit) throws IOException {
        Path tokensFile = dir.resolve(prefix + ".tokens.fvecs");
        if (!Files.exists(tokensFile)) {
            tokensFile = dir.resolve(prefix + ".tokens.npy");
        }
        int[][] off = VectorFile.readIvecs(dir.resolve(prefix + ".offsets.ivecs"));
        int n = limit > 0 ? Math.min(limit, off.length - 1) : off.length - 1;
        float[][][] sets = new float[n][][];
        try (VectorFile f = VectorFile.open(tokensFile)) {
            if (f.count() < off[n][0]) {
                throw new IOException(tokensFile + " holds " + f.count() + " tokens, the offsets name " + off[n][0]);
            }
            for (int i = 0; i < n; i++) {
                int from = off[i][0], to = off[i + 1][0];
                if (to <= from) {
                    throw new IOException(prefix + ": text " + i + " has no tokens (offsets " + from + ", " + to + ")");
                }
                sets[i] = new float[to - from][];
                for (int t = from; t < to; t++) sets[i][t - from] = f.read(t);
            }
        }
        return new TokenData(sets, off[n][0]);
    }

    int size() {
        return sets.length;
    }

    /** The normalized mean of each set's tokens: one pooled vector per text. */
    float[][] pooled() {
        float[][] out = new float[sets.length][];
        for (int i = 0; i < sets.length; i++) out[i] = pool(sets[i]);
        return out;
    }

    static float[] pool(float[][] tokens) {
        int dim = tokens[0].length;
        double[] sum = new double[dim];
        for (float[] t : tokens) for (int j = 0; j < dim; j++) sum[j] += t[j];
        double norm = 0;
        for (double s : sum) norm += s * s;
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) v[j] = (float) (sum[j] / Math.sqrt(norm));
        return v;
    }
}
