package io.panavec.engine;

import io.panavec.internal.NativeMetric;
import io.panavec.bindings.panavec_h;
import io.panavec.persist.Commit;
import io.panavec.store.VectorStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * The exact scan: every row of the store (or every allowed row) scored by panavec's fused top-k kernels
 * directly on the memory-mapped chunks, in bounded blocks per downcall. The exact path of every query plan
 * (filtered scans, fallbacks) and the engine of {@code flat} indexes. Stateless over its store; thread-safe.
 */
public final class FlatEngine implements SearchEngine {
    /** Rows per native call: about 1 ms of scanning, so GC is never held off for long. */
    static final long ROWS_PER_CALL = 8192;
    /** Below this many queries per thread a batch is one range (a range reads every row once). */
    static final int MIN_QUERIES_PER_RANGE = 8;

    private final VectorStore store;
    private final NativeMetric metric;

    public FlatEngine(VectorStore store, NativeMetric metric) {
        this.store = store;
        this.metric = metric;
    }

    @Override
    public String label() {
        return "exact-scan";
    }

    @Override
    public boolean walks() {
        return false;
    }

    @Override
    public boolean excludesDeleted() {
        return false;
    }

    @Override
    public Candidates search(float[] query, int k, Effort effort, AllowSet allow, Walk walk) {
        try (Arena arena = Arena.ofConfined()) {
            long rows = allow == null ? store.size() : Math.min(store.size(), allow.rows());
            return scan(arena, arena.allocateFrom(ValueLayout.JAVA_FLOAT, query), k,
                    allow == null ? MemorySegment.NULL : allow.words(), rows).withScored(allow == null ? rows : allow.count());
        }
    }

    /** The best {@code k} of the first {@code rows} store rows (a fixed range: rows committed later are not seen). */
    public Candidates searchFirst(float[] query, int k, long rows) {
        try (Arena arena = Arena.ofConfined()) {
            return scan(arena, arena.allocateFrom(ValueLayout.JAVA_FLOAT, query), k, MemorySegment.NULL, Math.min(rows, store.size()));
        }
    }

    /**
     * The best {@code k} of the first {@code rows} rows for {@code query} (the store's element type; a
     * segment of {@code arena}), only rows set in {@code allow} unless it is NULL; best first, ties by lower row.
     */
    public Candidates scan(Arena arena, MemorySegment query, int k, MemorySegment allow, long rows) {
        int kk = (int) Math.min(k, rows);
        if (kk == 0) {
            return Candidates.empty(label(), 0);
        }
        MemorySegment scores = arena.allocate(ValueLayout.JAVA_FLOAT, kk);
        MemorySegment found = arena.allocate(ValueLayout.JAVA_LONG, kk);
        long[] heap = {0};
        int m = metric.code();
        int dimension = store.dimension();
        // Critical downcalls hold off GC safepoints: each one scans a bounded block of rows.
        forEachBlock(store, rows, (block, n, first) -> heap[0] = switch (store.elementType()) {
            case F32 -> panavec_h.pv_f32_topk(m, query, block, n, dimension, first, allow, kk, scores, found, heap[0]);
            case F16 -> panavec_h.pv_f16_topk(m, query, block, n, dimension, first, allow, kk, scores, found, heap[0]);
            case I8 -> panavec_h.pv_i8_topk(m, query, block, n, dimension, first, allow, kk, scores, found, heap[0]);
        });
        return sortedHeap(m, scores, found, heap[0], rows, label());
    }

    /** A scan of {@code n} consecutive store rows from row {@code first}, held in {@code block}. */
    @FunctionalInterface
    interface BlockScan {
        void scan(MemorySegment block, long n, long first);
    }

    /** Calls {@code scan} on the first {@code rows} rows of {@code store}, in blocks of at most {@link #ROWS_PER_CALL} rows inside one chunk. */
    static void forEachBlock(VectorStore store, long rows, BlockScan scan) {
        long perChunk = store.rowsPerChunk();
        long rowBytes = store.rowBytes();
        for (int c = 0; (long) c * perChunk < rows; c++) {
            long chunkFirst = (long) c * perChunk;
            long chunkRows = Math.min(perChunk, rows - chunkFirst);
            MemorySegment chunk = store.chunk(c);
            for (long off = 0; off < chunkRows; off += ROWS_PER_CALL) {
                long n = Math.min(ROWS_PER_CALL, chunkRows - off);
                scan.scan(chunk.asSlice(off * rowBytes, n * rowBytes), n, chunkFirst + off);
            }
        }
    }

    /** The {@code heap} entries of a top-k kernel's heap, sorted best first (ties by lower row), as candidates. */
    static Candidates sortedHeap(int metric, MemorySegment scores, MemorySegment rows, long heap, long scored, String label) {
        panavec_h.pv_topk_sort(metric, scores, rows, heap);
        return new Candidates(rows.asSlice(0, heap * 8).toArray(ValueLayout.JAVA_LONG),
                scores.asSlice(0, heap * 4).toArray(ValueLayout.JAVA_FLOAT), scored, label);
    }

    /**
     * Exact top-k of every query (prepared: validated, normalized for cosine) in one blocked scan per range of
     * queries: each row is read once per range instead of once per query. The ranges run on {@code pool}, one
     * per thread (null: all on the calling thread). Result i answers query i, as {@link #search} would, up to
     * the last bits of the summation order.
     */
    public List<Candidates> searchBatch(float[][] queries, int k, AllowSet allow, ForkJoinPool pool) {
        long rows = allow == null ? store.size() : Math.min(store.size(), allow.rows());
        MemorySegment words = allow == null ? MemorySegment.NULL : allow.words();
        int threads = pool == null ? 1 : pool.getParallelism();
        int ranges = (int) Math.max(1, Math.min(threads, queries.length / MIN_QUERIES_PER_RANGE));
        int per = (queries.length + ranges - 1) / ranges;
        List<Candidates[]> parts = Parallel.map(pool, ranges,
                r -> BlockedScan.scan(store, metric, queries, r * per, Math.min(queries.length, (r + 1) * per), k, words, rows,
                        "exact-scan-batch"));
        List<Candidates> out = new ArrayList<>(queries.length);
        for (Candidates[] p : parts) {
            for (Candidates c : p) out.add(c.withScored(allow == null ? rows : allow.count()));
        }
        return out;
    }

    @Override
    public void link(VectorStore s, int threads) {
        // the scan reads the store's committed rows as they are
    }

    @Override
    public void commit(Commit commit) {
        // nothing beside the store
    }

    @Override
    public void close() {
        // owns nothing
    }
}
