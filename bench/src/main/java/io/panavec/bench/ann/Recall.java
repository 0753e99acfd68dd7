package io.panavec.bench.ann;

/** recall@k: the share of the true k nearest ids found among the k returned. Stateless, thread-safe. */
public final class Recall {
    private Recall() {}

    /** |found[0..k) ∩ truth[0..k)| / k for one query (duplicates in {@code found} count once). */
    public static double at(int k, int[] found, int[] truth) {
        if (truth.length < k) {
            throw new IllegalArgumentException("ground truth has " + truth.length + " ids, fewer than k=" + k);
        }
        int hits = 0;
        int n = Math.min(k, found.length);
        for (int i = 0; i < n; i++) {
            boolean seenBefore = false;
            for (int j = 0; j < i; j++) {
                if (found[j] == found[i]) {
                    seenBefore = true;
                    break;
                }
            }
            if (seenBefore) continue;
            for (int j = 0; j < k; j++) {
                if (truth[j] == found[i]) {
                    hits++;
                    break;
                }
            }
        }
        return hits / (double) k;
    }

    /** Mean recall@k over queries. */
    public static double mean(int k, int[][] found, int[][] truth) {
        double sum = 0;
        for (int i = 0; i < found.length; i++) {
            sum += at(k, found[i], truth[i]);
        }
        return sum / found.length;
    }
}
