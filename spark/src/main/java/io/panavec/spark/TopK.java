package io.panavec.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The best hits of one query so far, best first, at most {@code k}, never an id twice; {@link #merge} of two
 * is the exact top-k of their union (ties by lower id), so per-shard lists reduce in any order to the
 * result a single index over the union would give. Immutable and serializable (it is shuffled).
 */
record TopK(long queryId, int k, boolean higherIsBetter, long[] ids, float[] scores) implements Serializable {
    static TopK of(long queryId, int k, boolean higherIsBetter, long[] ids, float[] scores) {
        return new TopK(queryId, k, higherIsBetter, new long[0], new float[0]).merge(
                new TopK(queryId, k, higherIsBetter, ids, scores), false);
    }

    int size() {
        return ids.length;
    }

    /** The k-th best score, when there are k hits. */
    float kth() {
        return scores[k - 1];
    }

    TopK merge(TopK o) {
        return merge(o, true);
    }

    private boolean before(float sa, long ia, float sb, long ib) {
        if (sa != sb) return higherIsBetter ? sa > sb : sa < sb;
        return ia < ib;
    }

    private TopK merge(TopK o, boolean sorted) {
        if (sorted) {
            return mergeSorted(ids, scores, o.ids, o.scores);
        }
        // o's hits in any order (a shard's list is sorted already; this keeps the invariant for any input)
        long[] oi = o.ids;
        float[] os = o.scores;
        Integer[] order = new Integer[oi.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> before(os[x], oi[x], os[y], oi[y]) ? -1 : before(os[y], oi[y], os[x], oi[x]) ? 1 : 0);
        long[] si = new long[oi.length];
        float[] ss = new float[oi.length];
        for (int i = 0; i < order.length; i++) {
            si[i] = oi[order[i]];
            ss[i] = os[order[i]];
        }
        return mergeSorted(ids, scores, si, ss);
    }

    private TopK mergeSorted(long[] ai, float[] as, long[] bi, float[] bs) {
        long[] outI = new long[Math.min(k, ai.length + bi.length)];
        float[] outS = new float[outI.length];
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        int a = 0, b = 0, n = 0;
        while (n < outI.length && (a < ai.length || b < bi.length)) {
            boolean takeA = b >= bi.length || (a < ai.length && before(as[a], ai[a], bs[b], bi[b]));
            long id = takeA ? ai[a] : bi[b];
            float s = takeA ? as[a++] : bs[b++];
            if (seen.add(id)) { // an id in two shards (a duplicate in the input): its best hit only
                outI[n] = id;
                outS[n++] = s;
            }
        }
        return new TopK(queryId, k, higherIsBetter, Arrays.copyOf(outI, n), Arrays.copyOf(outS, n));
    }
}
