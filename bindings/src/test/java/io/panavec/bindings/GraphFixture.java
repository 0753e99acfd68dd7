package io.panavec.bindings;

import static io.panavec.bindings.panavec_graph_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

/**
 * Test support for the HNSW bindings: clustered random vectors in native memory split into
 * chunks (so chunk addressing is exercised), thin checked wrappers over the downcalls, and a
 * brute-force oracle. Not thread-safe except {@link #search}, which may run from many threads.
 */
final class GraphFixture implements AutoCloseable {
    static final int METRIC_IP = 0;
    static final int METRIC_L2 = 1;
    static final int CHUNK_LOG2 = 10;

    final Arena arena = Arena.ofShared();
    final int dim;
    final int capacity;
    final float[][] data;
    final MemorySegment chunkTable;

    /** capacity rows of dim floats around n_clusters centers; unit length if normalize. */
    GraphFixture(int capacity, int dim, int nClusters, boolean normalize, long seed) {
        this.dim = dim;
        this.capacity = capacity;
        this.data = clustered(capacity, dim, nClusters, normalize, new Random(seed));
        int rowsPerChunk = 1 << CHUNK_LOG2;
        int nChunks = (capacity + rowsPerChunk - 1) / rowsPerChunk;
        chunkTable = arena.allocate(ValueLayout.ADDRESS, nChunks);
        for (int c = 0; c < nChunks; c++) {
            MemorySegment chunk = arena.allocate((long) rowsPerChunk * dim * Float.BYTES, 64);
            for (int r = c * rowsPerChunk; r < Math.min(capacity, (c + 1) * rowsPerChunk); r++) {
                MemorySegment.copy(data[r], 0, chunk, ValueLayout.JAVA_FLOAT, (long) (r - c * rowsPerChunk) * dim * Float.BYTES, dim);
            }
            chunkTable.setAtIndex(ValueLayout.ADDRESS, c, chunk);
        }
    }

    static float[][] clustered(int n, int dim, int nClusters, boolean normalize, Random rnd) {
        float[][] centers = new float[nClusters][dim];
        for (float[] c : centers) for (int i = 0; i < dim; i++) c[i] = (float) rnd.nextGaussian();
        float[][] out = new float[n][dim];
        for (int r = 0; r < n; r++) {
            float[] c = centers[rnd.nextInt(nClusters)];
            for (int i = 0; i < dim; i++) out[r][i] = c[i] + 0.9f * (float) rnd.nextGaussian();
            if (normalize) normalize(out[r]);
        }
        return out;
    }

    static void normalize(float[] v) {
        double s = 0;
        for (float x : v) s += x * x;
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
    }

    /** A pv_vectors view of the first count rows. */
    MemorySegment view(long count) {
        MemorySegment v = pv_vectors.allocate(arena);
        pv_vectors.chunks(v, chunkTable);
        pv_vectors.rows_per_chunk_log2(v, CHUNK_LOG2);
        pv_vectors.count(v, count);
        pv_vectors.dim(v, dim);
        pv_vectors.elem_type(v, 0);
        return v;
    }


    static MemorySegment create(Arena a, int dim, int metric, int m, int efc) {
        MemorySegment out = a.allocate(ValueLayout.ADDRESS);
        MemorySegment err = a.allocate(256);
        PanavecNativeException.check(pv_hnsw_create(dim, metric, m, efc, 7, out, err, 256), err);
        return out.get(ValueLayout.ADDRESS, 0);
    }

    static void add(Arena a, MemorySegment index, MemorySegment view, long first, long n, int threads) {
        MemorySegment err = a.allocate(256);
        PanavecNativeException.check(pv_hnsw_add_range(index, view, first, n, threads, err, 256), err);
    }

    record Hits(long[] rows, float[] scores, long distanceComputations) {}

    /** Searches with a confined arena of its own, so it is safe from any thread. */
    static Hits search(MemorySegment index, MemorySegment view, float[] q, int k, int ef, MemorySegment allow) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment query = a.allocateFrom(ValueLayout.JAVA_FLOAT, q);
            MemorySegment rows = a.allocate(ValueLayout.JAVA_LONG, k);
            MemorySegment scores = a.allocate(ValueLayout.JAVA_FLOAT, k);
            MemorySegment found = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment ndist = a.allocate(ValueLayout.JAVA_LONG);
            MemorySegment err = a.allocate(256);
            PanavecNativeException.check(pv_hnsw_search(index, view, query, k, ef, allow == null ? MemorySegment.NULL : allow, rows, scores, found,
                    ndist, err, 256), err);
            int n = found.get(ValueLayout.JAVA_INT, 0);
            return new Hits(Arrays.copyOf(rows.toArray(ValueLayout.JAVA_LONG), n),
                    Arrays.copyOf(scores.toArray(ValueLayout.JAVA_FLOAT), n), ndist.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    static float score(int metric, float[] q, float[] x) {
        double s = 0;
        for (int i = 0; i < q.length; i++) s += metric == METRIC_IP ? (double) q[i] * x[i] : (double) (q[i] - x[i]) * (q[i] - x[i]);
        return (float) s;
    }

    /** Exact top-k rows among rows [0, count) that pass the filter, best first. */
    long[] bruteForce(int metric, float[] q, int k, long count, java.util.function.LongPredicate keep) {
        return java.util.stream.LongStream.range(0, count).filter(keep).boxed()
                .sorted((a, b) -> {
                    float sa = score(metric, q, data[(int) (long) a]), sb = score(metric, q, data[(int) (long) b]);
                    int c = metric == METRIC_IP ? Float.compare(sb, sa) : Float.compare(sa, sb);
                    return c != 0 ? c : Long.compare(a, b);
                })
                .limit(k).mapToLong(Long::longValue).toArray();
    }

    static double overlap(long[] got, long[] truth) {
        long hits = Arrays.stream(got).filter(r -> Arrays.stream(truth).anyMatch(t -> t == r)).count();
        return truth.length == 0 ? 1 : (double) hits / truth.length;
    }

    @Override
    public void close() {
        arena.close();
    }
}
