package io.panavec.bench.ann;

/**
 * A named set of queries with the ids of their true nearest neighbours (best first, at least k per query).
 * Immutable by convention: the arrays are shared, not copied.
 */
public record QuerySet(String name, float[][] queries, int[][] groundTruth) {
    public QuerySet {
        if (queries.length != groundTruth.length) {
            throw new IllegalArgumentException(name + ": " + queries.length + " queries but " + groundTruth.length + " ground-truth rows");
        }
    }

    public int size() {
        return queries.length;
    }

    /** The first {@code n} queries (all if fewer). */
    public QuerySet head(int n) {
        int m = Math.min(n, queries.length);
        return new QuerySet(name, java.util.Arrays.copyOf(queries, m), java.util.Arrays.copyOf(groundTruth, m));
    }
}
