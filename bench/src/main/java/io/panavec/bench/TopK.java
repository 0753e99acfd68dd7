package io.panavec.bench;

/**
 * A bounded min-heap of the k best (highest) scores, for the heap-array competitors (plain Java,
 * Lucene VectorUtil), so that every implementation does the same top-k work per query.
 * Single-threaded; reused across queries by {@link #reset()}.
 */
final class TopK {
    private final float[] scores;
    private final int[] ids;
    private int size;

    TopK(int k) {
        scores = new float[k];
        ids = new int[k];
    }

    void reset() {
        size = 0;
    }

    void offer(int id, float score) {
        if (size < scores.length) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (scores[parent] <= score) break;
                scores[i] = scores[parent];
                ids[i] = ids[parent];
                i = parent;
            }
            scores[i] = score;
            ids[i] = id;
        } else if (score > scores[0]) {
            int i = 0;
            int n = size;
            while (true) {
                int l = 2 * i + 1;
                if (l >= n) break;
                int c = (l + 1 < n && scores[l + 1] < scores[l]) ? l + 1 : l;
                if (scores[c] >= score) break;
                scores[i] = scores[c];
                ids[i] = ids[c];
                i = c;
            }
            scores[i] = score;
            ids[i] = id;
        }
    }

    /** The worst kept id (root); enough for the benchmark's blackhole. */
    int root() {
        return ids[0];
    }
}
