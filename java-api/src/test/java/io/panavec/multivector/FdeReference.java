package io.panavec.multivector;

/**
 * A plain double-precision FDE, written from the paper and the reference implementation's rules, independent
 * of the native encoder: the oracle of {@link FdeEncoderTest}. Buckets are found by inverting the Gray code of
 * the sign pattern (g = prefix-xor of the pattern's bits), not by the encoder's bit-by-bit construction.
 */
final class FdeReference {
    private FdeReference() {}

    static double[] encode(FdeMatrices m, float[][] tokens, boolean document) {
        FdeConfig c = m.config();
        int dim = m.dim(), k = c.ksim(), dp = c.dproj(), nb = c.buckets(), n = tokens.length;
        double[] raw = new double[c.rawDimension()];
        for (int r = 0; r < c.reps(); r++) {
            int[] pattern = new int[n];
            int[] bucket = new int[n];
            double[][] proj = new double[n][dp];
            int[] count = new int[nb];
            for (int i = 0; i < n; i++) {
                pattern[i] = pattern(m, r, tokens[i]);
                int g = bucketOf(pattern[i], k);
                bucket[i] = g;
                for (int j = 0; j < dp; j++) {
                    proj[i][j] = dot(tokens[i], m.proj(), (r * dp + j) * dim);
                    raw[(r * nb + g) * dp + j] += proj[i][j];
                }
                count[g]++;
            }
            if (!document) {
                continue;
            }
            for (int g = 0; g < nb; g++) {
                int at = (r * nb + g) * dp;
                if (count[g] > 0 && c.normalizeDocuments()) {
                    projectUnit(m, r, sumOf(tokens, bucket, g, dim), raw, at);
                } else if (count[g] > 0) {
                    for (int j = 0; j < dp; j++) raw[at + j] /= count[g];
                } else if (c.fillEmpty() && k > 0) {
                    int best = nearest(pattern, g ^ (g >> 1));
                    if (c.normalizeDocuments()) {
                        projectUnit(m, r, sumOf(tokens, bucket, bucket[best], dim, best), raw, at);
                    } else {
                        System.arraycopy(proj[best], 0, raw, at, dp);
                    }
                }
            }
        }
        if (c.dfinal() == 0) {
            return raw;
        }
        double[] out = new double[c.dfinal()];
        for (int t = 0; t < raw.length; t++) out[m.sketchIndex()[t]] += m.sketchSign()[t] * raw[t];
        return out;
    }

    /** Sum in token space of the tokens of bucket g (only token {@code only} when >= 0). */
    static double[] sumOf(float[][] tokens, int[] bucket, int g, int dim, int only) {
        double[] s = new double[dim];
        for (int i = 0; i < tokens.length; i++) {
            if (bucket[i] == g && (only < 0 || i == only)) {
                for (int j = 0; j < dim; j++) s[j] += tokens[i][j];
            }
        }
        return s;
    }

    static double[] sumOf(float[][] tokens, int[] bucket, int g, int dim) {
        return sumOf(tokens, bucket, g, dim, -1);
    }

    /** Writes the inner projection of repetition r of v / |v| (0 when v is 0) at raw[at..]. */
    static void projectUnit(FdeMatrices m, int r, double[] v, double[] raw, int at) {
        double norm = Math.sqrt(dot(v, v));
        int dp = m.config().dproj(), dim = m.dim();
        for (int j = 0; j < dp; j++) {
            double s = 0;
            for (int t = 0; t < dim; t++) s += v[t] * m.proj()[(r * dp + j) * dim + t];
            raw[at + j] = norm > 0 ? s / norm : 0;
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }

    /** Sign pattern of a token in repetition r: bit (k-1-h) set when <x, hyperplane h> > 0. */
    static int pattern(FdeMatrices m, int r, float[] x) {
        int k = m.config().ksim(), p = 0;
        for (int h = 0; h < k; h++) {
            if (dot(x, m.simhash(), (r * k + h) * m.dim()) > 0) p |= 1 << (k - 1 - h);
        }
        return p;
    }

    /** The Gray-code bucket whose pattern g ^ (g >> 1) is {@code pattern}. */
    static int bucketOf(int pattern, int k) {
        int g = pattern;
        for (int shift = 1; shift < Math.max(k, 1); shift <<= 1) g ^= g >> shift;
        return g;
    }

    /** First token of minimal Hamming distance to {@code want}. */
    static int nearest(int[] pattern, int want) {
        int best = 0;
        for (int i = 1; i < pattern.length; i++) {
            if (Integer.bitCount(pattern[i] ^ want) < Integer.bitCount(pattern[best] ^ want)) best = i;
        }
        return best;
    }

    static double dot(float[] x, float[] rows, int at) {
        double s = 0;
        for (int j = 0; j < x.length; j++) s += (double) x[j] * rows[at + j];
        return s;
    }

    static double dot(double[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
