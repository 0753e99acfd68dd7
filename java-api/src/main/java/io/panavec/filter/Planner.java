package io.panavec.filter;

/**
 * Picks how to run a filtered query from the number of rows that match (exact: bitmap cardinality) and
 * what the index offers. Costs are in vectors scored: an exact scan of the matching rows scores all of
 * them (sequential, the cheapest per vector); a graph search scores about {@code graphCost} vectors
 * whatever the filter, but a selective filter starves the plain walk, so between the two a filter-aware
 * walk (ACORN-1: only matching nodes scored, non-matching ones crossed to their neighbours) runs, and
 * with most rows matching the plain walk with the filter applied to its results (post-filter) is best.
 *
 * <p>Immutable and thread-safe.
 */
public record Planner(double exactCostFactor, double postFilterSelectivity) {
    /** Defaults from bench/results/filtered-wordnet-minilm.md (115k x 384): a graph walk costs more per vector scored than the sequential scan, so the scan wins up to ~100 * ef matching rows. */
    public static final Planner DEFAULT = new Planner(100, 0.3);

    public enum Strategy {
        /** No row matches: nothing to score. */
        EMPTY("none"),
        /** Score every matching row (the fused top-k kernel, skipping non-matching rows). */
        EXACT("filtered-exact-scan"),
        /** Filter-aware graph walk over matching nodes only. */
        ACORN("acorn"),
        /** Plain graph walk, results restricted to matching rows (the walk widens until ef match). */
        POST_FILTER("post-filter");

        private final String label;

        Strategy(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param matches rows matching the filter (deleted excluded)
     * @param rows rows searched
     * @param k results wanted
     * @param ef beam of the graph walk
     * @param hasGraph whether a graph index exists (else only the exact scan)
     */
    public Strategy plan(long matches, long rows, int k, int ef, boolean hasGraph) {
        if (matches == 0) {
            return Strategy.EMPTY;
        }
        // A graph walk scores on the order of ef * log-ish vectors; below this the exact scan is cheaper
        // and exact (recall 1).
        double graphCost = exactCostFactor * Math.max(ef, k);
        if (!hasGraph || matches <= k || matches <= graphCost) {
            return Strategy.EXACT;
        }
        double selectivity = (double) matches / Math.max(1, rows);
        return selectivity >= postFilterSelectivity ? Strategy.POST_FILTER : Strategy.ACORN;
    }
}
