package io.panavec;

/**
 * One search result: the vector's external id, its row in the store, and its score under the index's
 * metric (a similarity for inner product and cosine, a squared distance for L2).
 */
public record SearchHit(long id, long row, float score) {}
