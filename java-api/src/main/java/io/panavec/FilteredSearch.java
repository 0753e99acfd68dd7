package io.panavec;

import io.panavec.faiss.FaissIndex;
import io.panavec.faiss.SearchParams;
import io.panavec.filter.AttributeTable;
import io.panavec.filter.Filter;
import io.panavec.filter.Planner;
import io.panavec.graph.HnswGraph;
import io.panavec.graph.VectorView;
import io.panavec.internal.RowBitset;
import io.panavec.store.VectorStore;
import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.RoaringBitmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a filtered query of a {@link PanavecIndex}: evaluates the filter on the attribute bitmaps into an
 * allow bitset (matching and not deleted), lets the {@link Planner} pick a strategy from the exact match
 * count, runs it, and keeps the guarantee: every hit is re-checked against the bitset (a hit that fails
 * is dropped, never returned), and when a graph strategy found fewer than min(k, matches) rows an exact
 * scan of the matching rows finishes the query.
 *
 * <p>Evaluated filters are cached (LRU, keyed by filter, row count and deleted count, so any add or
 * delete makes a fresh entry). Thread-safe: searches run concurrently; the cache is synchronized.
 */
final class FilteredSearch {
    private static final int CACHE_ENTRIES = 16;
    private static final int ALLOW_SLACK_WORDS = 1024;

    private final VectorStore store;
    private final FlatIndex flat;
    private final FaissIndex faiss;
    private final RowBitset deleted;
    private final AttributeTable attributes;
    private volatile Planner planner;
    private final Map<Key, Match> cache = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Match> e) {
            return size() > CACHE_ENTRIES;
        }
    };

    private record Key(Filter filter, long rows, long deleted) {}

    /**
     * Allow words over rows [0, rows), how many bits are set, and the same words in native memory (with
     * zero slack words past them) for the kernels: made once per cache entry, shared read-only by every
     * query that hits it, so a query copies no bitset (freed by the GC with the entry).
     */
    record Match(long[] words, long count, MemorySegment allow) {}

    FilteredSearch(VectorStore store, FlatIndex flat, FaissIndex faiss, RowBitset deleted,
                   AttributeTable attributes, Planner planner) {
        this.store = store;
        this.flat = flat;
        this.faiss = faiss;
        this.deleted = deleted;
        this.attributes = attributes;
        this.planner = planner;
    }

    void planner(Planner p) {
        this.planner = java.util.Objects.requireNonNull(p, "planner");
    }

    /** The rows among the first {@code rows} that match {@code filter} and are not deleted. */
    Match match(Filter filter, long rows) {
        Key key = new Key(filter, rows, deleted.cardinality());
        synchronized (cache) {
            Match m = cache.get(key);
            if (m != null) {
                return m;
            }
        }
        RoaringBitmap bits = attributes.evaluate(filter, rows);
        long[] words = new long[(int) Math.max(1, (rows + 63) >>> 6)];
        long[] got = BitSetUtil.toLongArray(bits);
        System.arraycopy(got, 0, words, 0, Math.min(got.length, words.length));
        MemorySegment del = deleted.words();
        long delWords = del.byteSize() / 8;
        long count = 0;
        for (int i = 0; i < words.length; i++) {
            if (i < delWords) words[i] &= ~del.getAtIndex(ValueLayout.JAVA_LONG, i);
            count += Long.bitCount(words[i]);
        }
        // Zero slack past the matched rows: rows committed by a concurrent add while a query runs are
        // covered (and not allowed), so the exact scan's bitset size check holds.
        MemorySegment allow = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG, words.length + ALLOW_SLACK_WORDS);
        MemorySegment.copy(words, 0, allow, ValueLayout.JAVA_LONG, 0, words.length);
        Match m = new Match(words, count, allow);
        synchronized (cache) {
            cache.put(key, m);
        }
        return m;
    }

    /** Runs the query; {@code graph} is the index's current graph (compaction replaces it), or null. */
    SearchResult search(HnswGraph graph, float[] q, SearchRequest request) {
        VectorView view = graph != null ? VectorView.committed(store) : null;
        long rows = view != null ? view.count() : store.size();
        Match match = match(request.filter(), rows);
        int k = request.k();
        boolean hasIndex = graph != null || faiss != null;
        Planner.Strategy strategy = planner.plan(match.count(), rows, k, request.efSearch(), hasIndex);
        if (strategy == Planner.Strategy.EMPTY) {
            return new SearchResult(List.of(), strategy.label(), 0);
        }
        MemorySegment allow = match.allow();
        if (strategy == Planner.Strategy.EXACT) {
            return new SearchResult(flat.search(q, k, allow), strategy.label(), match.count());
        }
        List<SearchHit> hits = new ArrayList<>((int) Math.min(k, match.count()));
        long scored;
        String label;
        if (graph != null) {
            int ef = planner.beam(strategy, k, request.efSearch());
            HnswGraph.Result r = strategy == Planner.Strategy.ACORN
                    ? graph.searchFiltered(view, q, k, ef, allow)
                    : graph.search(view, q, k, ef, allow);
            for (int i = 0; i < r.rows().length; i++) {
                long row = r.rows()[i];
                if (allowed(match.words(), row, rows)) {
                    hits.add(new SearchHit(store.externalId(row), row, r.scores()[i]));
                }
            }
            scored = r.distanceComputations();
            label = strategy.label();
        } else {
            SearchParams p = SearchParams.defaults().withEfSearch(request.efSearch()).withNprobe(request.nprobe())
                    .withAllow(java.util.BitSet.valueOf(match.words()));
            io.panavec.faiss.SearchResult r = faiss.search(q, k, p);
            for (int i = 0; i < r.size(); i++) {
                long row = r.ids()[i];
                if (allowed(match.words(), row, rows)) {
                    hits.add(new SearchHit(store.externalId(row), row, r.scores()[i]));
                }
            }
            scored = -1;
            label = "faiss-filtered";
        }
        if (hits.size() < Math.min(k, match.count())) {
            return new SearchResult(flat.search(q, k, allow), label + "+exact-fallback",
                    (scored < 0 ? 0 : scored) + match.count());
        }
        return new SearchResult(hits, label, scored);
    }

    private static boolean allowed(long[] words, long row, long rows) {
        return row >= 0 && row < rows && (words[(int) (row >>> 6)] & (1L << row)) != 0;
    }
}
