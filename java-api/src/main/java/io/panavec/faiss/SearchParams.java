package io.panavec.faiss;

import java.util.BitSet;

/**
 * Per-request search parameters for {@link FaissIndex}. Immutable and thread-safe: the allow-list
 * is copied when set.
 *
 * <ul>
 *   <li>{@code efSearch}: HNSW candidate queue size; 0 = the value currently set on the index.</li>
 *   <li>{@code nprobe}: IVF lists visited; 0 = the index's own nprobe (FAISS default 1).</li>
 *   <li>{@code allow}: only these ids may be returned (external ids for IDMap indexes); null
 *       allows all. Supported for Flat, IVF and HNSW indexes (also behind IDMap/OPQ).</li>
 * </ul>
 * Parameters that do not apply to an index are ignored.
 */
public final class SearchParams {
    private static final SearchParams DEFAULTS = new SearchParams(0, 0, null);

    private final int efSearch;
    private final int nprobe;
    private final long[] allowWords; // BitSet.toLongArray layout, null = all allowed

    private SearchParams(int efSearch, int nprobe, long[] allowWords) {
        if (efSearch < 0) throw new IllegalArgumentException("efSearch must be >= 0, got " + efSearch);
        if (nprobe < 0) throw new IllegalArgumentException("nprobe must be >= 0, got " + nprobe);
        this.efSearch = efSearch;
        this.nprobe = nprobe;
        this.allowWords = allowWords;
    }

    public static SearchParams defaults() {
        return DEFAULTS;
    }

    public SearchParams withEfSearch(int efSearch) {
        return new SearchParams(efSearch, nprobe, allowWords);
    }

    public SearchParams withNprobe(int nprobe) {
        return new SearchParams(efSearch, nprobe, allowWords);
    }

    /** Restricts results to the ids set in {@code allow} (copied); null removes the restriction. */
    public SearchParams withAllow(BitSet allow) {
        return new SearchParams(efSearch, nprobe, allow == null ? null : allow.toLongArray());
    }

    public int efSearch() {
        return efSearch;
    }

    public int nprobe() {
        return nprobe;
    }

    /** A copy of the allow-list, or null when every id is allowed. */
    public BitSet allow() {
        return allowWords == null ? null : BitSet.valueOf(allowWords);
    }

    long[] allowWords() {
        return allowWords;
    }
}
