package io.panavec.filter;

/**
 * Picks how to run a filtered query from the number of rows that match (exact: bitmap cardinality) and
 * what the index offers, and the beam of the graph walk it picks. Costs are in vectors scored: an exact
 * scan of the matching rows scores all of them (sequential, the cheapest per vector); a graph search
 * scores on the order of its beam times a few hundred vectors at random places, but a selective filter
 * starves the plain walk, so between the two a filter-aware walk (ACORN-1: only matching nodes scored,
 * non-matching ones crossed to their neighbours) runs, and with most rows matching the plain walk with
 * the filter applied to its results (post-filter) is best.
 *
 * <p>Measured on wordnet-minilm (115,659 x 384, HNSW M=16 efc=100, k=10, 400 queries; recall@10 against
 * the exact filtered top 10, vectors scored per query; bench/results/filtered-wordnet-minilm.md):
 * <ul>
 * <li>post-filter at 70% (pos = 'n'): ef 24 0.967 / 674, <b>ef 32 0.983 / 824</b>, ef 64 0.993 / 1,378,
 *     ef 96 0.997 / 1,894 (the old default). ACORN there: ef 32 0.976 / 879. The post-filter walk's beam
 *     counts matching rows only, so it already widens by 1/selectivity by itself (an unfiltered walk at
 *     ef 48 scores 821): dividing ef by the selectivity again would pay twice. At 12% (pos = 'v') ef 16
 *     gives 0.974 but scores 5,121, where ACORN at ef 96 scores 2,718 (0.980): hence ACORN below 30%.</li>
 * <li>ACORN at 6% (noun.animal, 7,375 rows): ef 64 0.952 / 2,458, <b>ef 96 0.972 / 2,795</b> (77 of 400
 *     queries finish with the exact fallback). A graph walk costs ~400-500 ns per vector scored (random
 *     rows), the exact scan ~35-110 ns (sequential; less when matching rows cluster), so the exact scan
 *     of those 7,375 rows (recall 1) ran at 3,100-4,800 QPS against ACORN's 1,240. Around 12-13% the two
 *     meet: pos = 'v' (13,521 rows) exact 921 vs ACORN 762 QPS, noun.animal or noun.plant (15,271 rows)
 *     exact 636 vs ACORN 1,029: the exact scan is kept up to 100 * (ACORN beam) = 9,600 matching rows.</li>
 * </ul>
 * (QPS: single thread on a shared 2-core machine, best of five interleaved passes; noisy, ratios hold.)
 *
 * <p>Immutable and thread-safe.
 */
public record Planner(double exactCostFactor, double postFilterSelectivity) {
    /** Defaults from the measurements above. */
    public static final Planner DEFAULT = new Planner(100, 0.3);

    /** ACORN's beam when the request gives none: the least that holds recall@10 >= 0.97 at 6% (above). */
    public static final int ACORN_EF = 96;
    /** The post-filter walk's beam when the request gives none, for {@code k <= 16}: 0.983 at 70% (above). */
    public static final int POST_FILTER_EF = 32;

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
     * @param ef beam the request asks for, or 0 for the planner's defaults
     * @param hasGraph whether a graph index exists (else only the exact scan)
     */
    public Strategy plan(long matches, long rows, int k, int ef, boolean hasGraph) {
        if (matches == 0) {
            return Strategy.EMPTY;
        }
        // Below this many matching rows the exact scan is cheaper than the walk that would replace it
        // (ACORN, at its beam), and exact (recall 1).
        double graphCost = exactCostFactor * Math.max(ef > 0 ? ef : ACORN_EF, k);
        if (!hasGraph || matches <= k || matches <= graphCost) {
            return Strategy.EXACT;
        }
        double selectivity = (double) matches / Math.max(1, rows);
        return selectivity >= postFilterSelectivity ? Strategy.POST_FILTER : Strategy.ACORN;
    }

    /**
     * The beam of a graph walk of {@code strategy} for {@code k} results: the request's {@code ef} when it
     * gives one (> 0), else the measured defaults, at least k (for k > 16 the post-filter beam is 2k, by
     * the same ratio as 32 for k = 10..16; not measured beyond k = 10).
     */
    public int beam(Strategy strategy, int k, int ef) {
        if (ef > 0) {
            return Math.max(ef, k);
        }
        return strategy == Strategy.POST_FILTER ? Math.max(POST_FILTER_EF, 2 * k) : Math.max(ACORN_EF, k);
    }
}
