package io.panavec;

import io.panavec.engine.Effort;
import io.panavec.engine.QueryPlanner;
import io.panavec.internal.Checks;
import io.panavec.internal.NativeMetric;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Exact (brute-force) top-k search over every committed row of a {@link VectorStore}, scored by panavec's
 * SIMD kernels directly on the memory-mapped chunks: no vector is copied to the Java heap.
 *
 * <p>Rows appended and committed to the store after the index was opened are searched too: each query
 * scans the rows committed when it starts. Results carry the store's external ids.
 *
 * <p>Thread safety: all search methods may be called concurrently from any number of threads. {@link
 * #close()} waits for searches in flight, after which every call throws {@link IllegalStateException}.
 * The index does not own the store; close the store after the index.
 */
public final class FlatIndex implements AutoCloseable {
    private final VectorStore store;
    private final QueryPlanner exact; // exact scans only
    private final Metric metric;
    private final int dimension;
    private final ElementType elementType;
    private final int threads;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final io.panavec.internal.LazyPool pool;
    private boolean closed;

    private FlatIndex(VectorStore store, Metric metric, int threads) {
        this.store = Objects.requireNonNull(store, "store");
        this.metric = Objects.requireNonNull(metric, "metric");
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, was " + threads);
        }
        this.dimension = store.dimension();
        this.elementType = store.elementType();
        this.threads = threads;
        this.pool = new io.panavec.internal.LazyPool(threads);
        this.exact = QueryPlanner.exact(store, NativeMetric.ofCode(metric.nativeCode()));
    }

    /** An exact index over {@code store}, using all available processors for batches. */
    public static FlatIndex over(VectorStore store, Metric metric) {
        return new FlatIndex(store, metric, Runtime.getRuntime().availableProcessors());
    }

    /** An exact index over {@code store}, using {@code threads} threads for batches of queries. */
    public static FlatIndex over(VectorStore store, Metric metric, int threads) {
        return new FlatIndex(store, metric, threads);
    }

    public Metric metric() {
        return metric;
    }

    public int dimension() {
        return dimension;
    }

    /** Committed rows the next query will scan. */
    public long size() {
        return store.size();
    }

    /**
     * The best {@code k} rows for {@code query}, best first (ties by lower row); fewer when the store holds
     * fewer rows. For F32 and F16 stores; an I8 store takes {@link #search(byte[], int)}.
     */
    public List<SearchHit> search(float[] query, int k) {
        return search(query, k, null);
    }

    /**
     * Like {@link #search(float[], int)}, returning only rows whose bit is set in {@code allow} (bit r of
     * 64-bit word r/64; it must cover every committed row), or every row when {@code allow} is null.
     */
    public List<SearchHit> search(float[] query, int k, MemorySegment allow) {
        Checks.requireVector(query, dimension, "query");
        Checks.requirePositiveK(k);
        if (elementType == ElementType.I8) {
            throw new IllegalArgumentException("this store holds int8 vectors: search it with a byte[] query");
        }
        return guarded(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment q = arena.allocateFrom(ValueLayout.JAVA_FLOAT, query);
                return scan(arena, q, k, allow);
            }
        });
    }

    /** The best {@code k} rows for an int8 {@code query}; for I8 stores. */
    public List<SearchHit> search(byte[] query, int k) {
        Checks.requireVector(query, dimension, "query");
        Checks.requirePositiveK(k);
        if (elementType != ElementType.I8) {
            throw new IllegalArgumentException("this store holds " + elementType + " vectors: search it with a float[] query");
        }
        return guarded(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment q = arena.allocateFrom(ValueLayout.JAVA_BYTE, query);
                return scan(arena, q, k, null);
            }
        });
    }

    /**
     * Searches a batch of queries with the blocked scan: each tile of rows is scored against every query while
     * it is in cache, so a batch reads each row once per thread instead of once per query; the queries are split
     * into one range per thread. Result i answers query i, as {@link #search(float[], int)} would (scores up to
     * the last bits of the summation order). For F32 and F16 stores.
     */
    public List<List<SearchHit>> search(float[][] queries, int k) {
        Objects.requireNonNull(queries, "queries");
        for (int i = 0; i < queries.length; i++) {
            Checks.requireVector(queries[i], dimension, "query " + i);
        }
        Checks.requirePositiveK(k);
        if (elementType == ElementType.I8) {
            throw new IllegalArgumentException("this store holds int8 vectors: search it with byte[] queries");
        }
        return guarded(() -> exact.searchBatch(queries, k, Effort.DEFAULT, null, store.size(), threads > 1 ? pool() : null).stream()
                .map(c -> SearchHits.of(c, store)).toList());
    }

    private List<SearchHit> scan(Arena arena, MemorySegment q, int k, MemorySegment allow) {
        long size = store.size();
        if (allow != null && allow.byteSize() < ((size + 63) >>> 6) * 8) {
            throw new IllegalArgumentException("allow bitset holds " + allow.byteSize() + " bytes, " + size + " rows need "
                    + ((size + 63) >>> 6) * 8);
        }
        return SearchHits.of(exact.scan(arena, q, k, allow == null ? MemorySegment.NULL : allow, size), store);
    }

    private <T> T guarded(java.util.function.Supplier<T> body) {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("FlatIndex is closed");
            }
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private ForkJoinPool pool() {
        return pool.get();
    }

    /** Waits for searches in flight, then releases the index's threads. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            closed = true;
        } finally {
            lifecycle.writeLock().unlock();
        }
        synchronized (this) {
            pool.close();
        }
    }
}
