package io.panavec;

import io.panavec.filter.Filter;
import io.panavec.internal.Checks;

/**
 * One query and how hard to search for it. Immutable; the {@code with*} methods return copies.
 *
 * <p>{@code efSearch} is the graph beam (HNSW: panavec's or FAISS's), {@code nprobe} the IVF lists visited;
 * 0 means the index's default. Parameters that do not apply to an index are ignored. The query array is
 * not copied: do not change it while a search runs. {@code filter} (null: none) restricts results to rows
 * whose attributes satisfy it; see {@link PanavecIndex#search} for the guarantee. {@code rerank} is how many
 * candidates a quantized index re-ranks exactly (0: its default, max(2k, 50); depths below k count as k).
 */
public record SearchRequest(float[] query, int k, int efSearch, int nprobe, Filter filter, int rerank) {
    public SearchRequest(float[] query, int k, int efSearch, int nprobe) {
        this(query, k, efSearch, nprobe, null, 0);
    }

    public SearchRequest(float[] query, int k, int efSearch, int nprobe, Filter filter) {
        this(query, k, efSearch, nprobe, filter, 0);
    }

    public SearchRequest {
        if (query == null) {
            throw new IllegalArgumentException("query is null");
        }
        Checks.requirePositiveK(k);
        if (efSearch < 0) {
            throw new IllegalArgumentException("efSearch must be >= 0 (0 = default), was " + efSearch);
        }
        if (nprobe < 0) {
            throw new IllegalArgumentException("nprobe must be >= 0 (0 = default), was " + nprobe);
        }
        if (rerank < 0) {
            throw new IllegalArgumentException("rerank depth must be >= 0 (0 = default), was " + rerank);
        }
    }

    public static SearchRequest of(float[] query, int k) {
        return new SearchRequest(query, k, 0, 0);
    }

    public SearchRequest withEfSearch(int ef) {
        return new SearchRequest(query, k, ef, nprobe, filter, rerank);
    }

    public SearchRequest withNprobe(int n) {
        return new SearchRequest(query, k, efSearch, n, filter, rerank);
    }

    /** Only rows whose attributes satisfy {@code f} (null: no filter). */
    public SearchRequest withFilter(Filter f) {
        return new SearchRequest(query, k, efSearch, nprobe, f, rerank);
    }

    /** Candidates a quantized index re-ranks exactly (0: the default); ignored by other indexes. */
    public SearchRequest withRerank(int depth) {
        return new SearchRequest(query, k, efSearch, nprobe, filter, depth);
    }

    /** Parses {@code f} in the filter language ({@link Filter#parse}); a malformed string throws here. */
    public SearchRequest withFilter(String f) {
        return withFilter(Filter.parse(f));
    }
}
