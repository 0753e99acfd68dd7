package io.panavec.bench.ann;

import java.util.stream.IntStream;

/**
 * Exact top-k by inner product, by brute force in plain Java: the oracle for subsets of the data (quick
 * mode) and for tests. Stateless, thread-safe.
 */
public final class ExactNeighbors {
    private ExactNeighbors() {}

    /** For each query, the ids of the {@code k} base rows with the largest inner product, best first (ties: lower id first). */
    public static int[][] topK(float[][] base, float[][] queries, int k) {
        return topK(base, queries, k, AnnMetric.IP);
    }

    /** As {@link #topK(float[][], float[][], int)}, the best by {@code metric} (for L2 the smallest distances). */
    public static int[][] topK(float[][] base, float[][] queries, int k, AnnMetric metric) {
        int[][] out = new int[queries.length][];
        IntStream.range(0, queries.length).parallel().forEach(q -> out[q] = topK(base, queries[q], k, metric));
        return out;
    }

    static int[] topK(float[][] base, float[] q, int k, AnnMetric metric) {
        int kk = Math.min(k, base.length);
        int[] ids = new int[kk];
        float[] scores = new float[kk];
        int n = 0;
        for (int i = 0; i < base.length; i++) {
            float s = metric.score(q, base[i]);
            if (n < kk) {
                insert(ids, scores, n++, i, s);
            } else if (s > scores[kk - 1]) {
                insert(ids, scores, kk - 1, i, s);
            }
        }
        return ids;
    }

    /** Puts (id, s) into the sorted prefix [0, last], dropping what was at {@code last}. */
    private static void insert(int[] ids, float[] scores, int last, int id, float s) {
        int j = last;
        while (j > 0 && scores[j - 1] < s) {
            ids[j] = ids[j - 1];
            scores[j] = scores[j - 1];
            j--;
        }
        ids[j] = id;
        scores[j] = s;
    }

    static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
