package io.panavec.bench.embedding;

import io.panavec.bindings.PanavecNativeException;
import io.panavec.bindings.panavec_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Exact inner-product top-k of a few queries over rows fed batch by batch (panavec's blocked native scan,
 * {@code pv_topk_batch}, its heaps carried across batches): the neighbour lists of the memory-budget report, over
 * the original rows and over each compressed table's decoded rows alike. Not thread-safe; close frees its memory.
 */
final class ScanTopK implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final int nq, k, dim;
    private final MemorySegment queries, scores, rows, sizes;

    ScanTopK(float[][] queries, int k) {
        this.nq = queries.length;
        this.k = k;
        this.dim = queries[0].length;
        this.queries = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nq * dim);
        for (int i = 0; i < nq; i++) MemorySegment.copy(queries[i], 0, this.queries, ValueLayout.JAVA_FLOAT, (long) i * dim * 4, dim);
        scores = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nq * k);
        rows = arena.allocate(ValueLayout.JAVA_LONG, (long) nq * k);
        sizes = arena.allocate(ValueLayout.JAVA_LONG, nq);
    }

    /** Scores {@code n} float32 rows (native, row-major) numbered {@code firstRow ..} against every query. */
    void add(MemorySegment batch, long n, long firstRow) {
        int status = panavec_h.pv_topk_batch(panavec_h.PV_METRIC_IP(), panavec_h.PV_ELEM_F32(), queries, nq, batch, n, dim, firstRow,
                MemorySegment.NULL, k, scores, rows, sizes);
        if (status != panavec_h.PV_OK()) throw new PanavecNativeException(status, "blocked scan failed");
    }

    /** Query i's rows, best first (ties by row). */
    long[] top(int i) {
        long size = sizes.getAtIndex(ValueLayout.JAVA_LONG, i);
        MemorySegment s = scores.asSlice((long) i * k * 4, (long) k * 4), r = rows.asSlice((long) i * k * 8, (long) k * 8);
        panavec_h.pv_topk_sort(panavec_h.PV_METRIC_IP(), s, r, size);
        return r.asSlice(0, size * 8).toArray(ValueLayout.JAVA_LONG);
    }

    @Override
    public void close() {
        arena.close();
    }
}
