package io.panavec.faiss;

/**
 * Hits of one query, best first: {@code ids[i]} scored {@code scores[i]}. Scores are inner
 * products or cosines (larger is better) or squared L2 distances (smaller is better), per the
 * index's metric. Holds at most k hits; fewer when the index (or the allow-list) has fewer.
 * The arrays are owned by the caller once returned.
 */
public record FaissHits(long[] ids, float[] scores) {
    public int size() {
        return ids.length;
    }
}
