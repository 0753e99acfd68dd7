package io.panavec.graph;

import io.panavec.internal.NativeMetric;
import io.panavec.bindings.PanavecNativeException;
import io.panavec.internal.Checks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static io.panavec.bindings.panavec_graph_h.*;

/**
 * panavec's native HNSW graph: links only; the vectors are read through a {@link VectorView} over a
 * memory-mapped store and scored by panavec's SIMD kernels. Graph node i is store row i.
 *
 * <p>Metrics: {@link NativeMetric#INNER_PRODUCT} and {@link NativeMetric#L2} natively; {@link NativeMetric#COSINE} is inner
 * product over vectors the caller normalized (queries included).
 *
 * <p>Thread safety: {@link #search} runs concurrently with other searches and with one thread in
 * {@link #addRange} or {@link #markDeleted} (the native index links new nodes without blocking readers).
 * {@link #close()} waits for every call in flight; afterwards every method throws
 * {@link IllegalStateException} and no call reaches the freed handle.
 */
public final class HnswGraph implements AutoCloseable {
    private static final int ERR_CAP = 1024;

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final int dimension;
    private final NativeMetric metric;
    private MemorySegment handle; // NULL once closed; guarded by lifecycle

    private HnswGraph(MemorySegment handle, int dimension, NativeMetric metric) {
        this.handle = handle;
        this.dimension = dimension;
        this.metric = metric;
    }

    /** An empty graph; {@code seed} fixes node levels (the links depend on insertion order too). */
    public static HnswGraph create(int dimension, NativeMetric metric, int m, int efConstruction, long seed) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be positive, was " + dimension);
        }
        Objects.requireNonNull(metric, "metric");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_hnsw_create(dimension, metric.unitVectorCode(), m, efConstruction, seed, out, err, ERR_CAP), err);
            return new HnswGraph(out.get(ValueLayout.ADDRESS, 0), dimension, metric);
        }
    }

    /** Loads a graph saved by {@link #save}; a corrupt, truncated or mismatching file is refused. */
    public static HnswGraph load(Path file, int dimension, NativeMetric metric) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_hnsw_load(arena.allocateFrom(file.toString()), dimension, metric.unitVectorCode(), out, err, ERR_CAP), err);
            return new HnswGraph(out.get(ValueLayout.ADDRESS, 0), dimension, metric);
        }
    }

    public int dimension() {
        return dimension;
    }

    public NativeMetric metric() {
        return metric;
    }

    /** Rows linked into the graph (deleted ones included). */
    public long size() {
        return read(h -> pv_hnsw_count(h));
    }

    public long deletedCount() {
        return read(h -> pv_hnsw_deleted_count(h));
    }

    /** Native memory held by the links. */
    public long memoryBytes() {
        return read(h -> pv_hnsw_memory_bytes(h));
    }

    /**
     * Links rows {@code size() .. view.count()-1} of the view into the graph, on {@code threads} threads.
     * The view must cover every row the graph already holds (the same store).
     */
    public void addRange(VectorView view, int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, was " + threads);
        }
        requireView(view);
        read(h -> {
            long first = pv_hnsw_count(h);
            long n = view.count() - first;
            if (n < 0) {
                throw new IllegalArgumentException("the view has " + view.count() + " rows, fewer than the graph's " + first);
            }
            if (n == 0) {
                return null;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment err = arena.allocate(ERR_CAP);
                PanavecNativeException.check(pv_hnsw_add_range(h, view.struct(arena), first, n, threads, err, ERR_CAP), err);
            }
            return null;
        });
    }

    /**
     * Up to {@code k} rows nearest to {@code query}, best first, found with a beam of max(ef, k).
     *
     * @param allow optional bitset over rows (bit r of word r/64 set = may be returned); NULL for all
     */
    public Result search(VectorView view, float[] query, int k, int ef, MemorySegment allow) {
        return search(view, query, k, ef, allow, false);
    }

    /**
     * Filter-aware search (ACORN-1 style): only rows set in {@code allow} (required) are scored; a
     * neighbour that fails the filter is crossed to its own neighbours. For selective filters, where the
     * plain walk of {@link #search} would score mostly rows it cannot return. May find fewer than k rows
     * even when k pass: finish with an exact scan when k are required.
     */
    public Result searchFiltered(VectorView view, float[] query, int k, int ef, MemorySegment allow) {
        Objects.requireNonNull(allow, "allow");
        if (allow.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("allow must not be NULL for a filtered search");
        }
        return search(view, query, k, ef, allow, true);
    }

    private Result search(VectorView view, float[] query, int requestedK, int requestedEf, MemorySegment allow, boolean filtered) {
        Checks.requireVector(query, dimension, "query");
        requireView(view);
        return walk(query, requestedK, requestedEf, allow, view.count(), "the view's", (h, arena, q, a, k, ef, out) -> filtered
                ? pv_hnsw_search_filtered(h, view.struct(arena), q, k, Math.max(ef, 1), a, out.rows, out.scores, out.found, out.scored, out.err, ERR_CAP)
                : pv_hnsw_search(h, view.struct(arena), q, k, ef, a, out.rows, out.scores, out.found, out.scored, out.err, ERR_CAP));
    }

    /**
     * Like {@link #search}, but the walk scores quantized code rows (graph node r = code row r) against
     * {@code preparedQuery} from the codes' quantizer ({@link io.panavec.quant.Quantizer#prepareQuery}).
     * The scores are code scores: re-rank the rows for exact ones. Unlike {@link #search}, a k above ef does not
     * widen the beam: the walk stays ef wide and returns the best k rows of all it scored (those the beam dropped
     * too), so a re-rank can go deeper than the beam at no extra hop.
     */
    public Result searchCodes(io.panavec.quant.CodeView codes, float[] preparedQuery, int requestedK, int requestedEf, MemorySegment allow) {
        Objects.requireNonNull(codes, "codes");
        if (!codes.rows().scope().isAlive()) {
            throw new IllegalStateException("the memory of these codes was released");
        }
        Checks.requireVector(preparedQuery, codes.preparedQueryLength(), "prepared query");
        return walk(preparedQuery, requestedK, requestedEf, allow, codes.count(), "the codes'", (h, arena, q, a, k, ef, out) ->
                io.panavec.bindings.panavec_quant_h.pv_hnsw_search_codes(h, codes.struct(arena), q, k, Math.max(ef, 1), a,
                        out.rows, out.scores, out.found, out.scored, out.err, ERR_CAP));
    }

    /** The output buffers of one native walk. */
    private record Out(MemorySegment rows, MemorySegment scores, MemorySegment found, MemorySegment scored, MemorySegment err) {}

    private interface NativeWalk {
        int run(MemorySegment handle, Arena arena, MemorySegment query, MemorySegment allow, int k, int ef, Out out);
    }

    /**
     * Checks k, ef and the allow bitset against the {@code count} rows walked, clamps k and ef to them (no
     * buffer larger than the rows), runs the walk, reads its result.
     */
    private Result walk(float[] query, int requestedK, int requestedEf, MemorySegment allow, long count, String whose, NativeWalk call) {
        Checks.requirePositiveK(requestedK);
        if (requestedEf < 0) {
            throw new IllegalArgumentException("ef must be >= 0, was " + requestedEf);
        }
        int k = Checks.clampDepth(requestedK, count);
        int ef = Checks.clampEffort(requestedEf, k, count);
        if (allow != null && !allow.equals(MemorySegment.NULL) && allow.byteSize() < ((count + 63) >>> 6) * 8) {
            throw new IllegalArgumentException("allow bitset holds " + allow.byteSize() + " bytes, " + whose + " "
                    + count + " rows need " + (((count + 63) >>> 6) * 8));
        }
        return read(h -> {
            try (Arena arena = Arena.ofConfined()) {
                Out out = new Out(arena.allocate(ValueLayout.JAVA_LONG, k), arena.allocate(ValueLayout.JAVA_FLOAT, k),
                        arena.allocate(ValueLayout.JAVA_INT), arena.allocate(ValueLayout.JAVA_LONG), arena.allocate(ERR_CAP));
                MemorySegment q = arena.allocateFrom(ValueLayout.JAVA_FLOAT, query);
                PanavecNativeException.check(call.run(h, arena, q, allow == null ? MemorySegment.NULL : allow, k, ef, out), out.err);
                int n = out.found.get(ValueLayout.JAVA_INT, 0);
                return new Result(out.rows.asSlice(0, 8L * n).toArray(ValueLayout.JAVA_LONG),
                        out.scores.asSlice(0, 4L * n).toArray(ValueLayout.JAVA_FLOAT), out.scored.get(ValueLayout.JAVA_LONG, 0));
            }
        });
    }

    /** Rows found, their scores (best first) and how many vectors the search scored. */
    public record Result(long[] rows, float[] scores, long distanceComputations) {}

    /** Tombstones a row: never returned again, still used to navigate. */
    public void markDeleted(long row) {
        read(h -> {
            if (row < 0 || row >= pv_hnsw_count(h)) {
                throw new IndexOutOfBoundsException("row " + row + " is not in the graph (" + pv_hnsw_count(h) + " rows)");
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment err = arena.allocate(ERR_CAP);
                PanavecNativeException.check(pv_hnsw_mark_deleted(h, row, err, ERR_CAP), err);
            }
            return null;
        });
    }

    public boolean isDeleted(long row) {
        return read(h -> pv_hnsw_is_deleted(h, row) == 1);
    }

    /** A new graph over the same rows with tombstoned rows unlinked; this one is unchanged. */
    public HnswGraph compacted(VectorView view, int threads) {
        requireView(view);
        return read(h -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
                MemorySegment err = arena.allocate(ERR_CAP);
                PanavecNativeException.check(pv_hnsw_rebuild(h, view.struct(arena), threads, out, err, ERR_CAP), err);
                return new HnswGraph(out.get(ValueLayout.ADDRESS, 0), dimension, metric);
            }
        });
    }

    /** Writes the graph to {@code file} (overwriting it). Must not overlap {@link #addRange}. */
    public void save(Path file) {
        read(h -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment err = arena.allocate(ERR_CAP);
                PanavecNativeException.check(pv_hnsw_save(h, arena.allocateFrom(file.toString()), err, ERR_CAP), err);
            }
            return null;
        });
    }

    private void requireView(VectorView view) {
        Objects.requireNonNull(view, "view");
        if (view.dimension() != dimension) {
            throw new IllegalArgumentException("view has dimension " + view.dimension() + ", the graph " + dimension);
        }
    }

    private interface Body<T> {
        T apply(MemorySegment handle);
    }

    private <T> T read(Body<T> body) {
        lifecycle.readLock().lock();
        try {
            if (handle == null) {
                throw new IllegalStateException("HnswGraph is closed");
            }
            return body.apply(handle);
        } finally {
            lifecycle.readLock().unlock();
        }
    }


    /** Waits for calls in flight, then frees the native graph. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (handle != null) {
                pv_hnsw_free(handle);
                handle = null;
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
