package io.panavec.engine;

import io.panavec.internal.NativeMetric;
import io.panavec.bindings.PanavecNativeException;
import io.panavec.bindings.panavec_h;
import io.panavec.store.VectorStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Exact top-k of many queries in one pass over a store: the native blocked scan ({@code pv_topk_batch})
 * scores each tile of rows against every query while it is in cache, so a batch reads each row from memory
 * once per call instead of once per query. {@link FlatEngine#searchBatch} splits queries into ranges over
 * threads (each range one independent pass, so nothing to merge). Stateless; safe from any thread.
 */
final class BlockedScan {
    private BlockedScan() {}

    /**
     * The best {@code k} of the first {@code rows} rows for each of {@code queries[from, to)} (validated f32,
     * prepared), only rows set in {@code allow} unless it is NULL; best first, ties by lower row.
     */
    static Candidates[] scan(VectorStore store, NativeMetric metric, float[][] queries, int from, int to, int k, MemorySegment allow,
                             long rows, String label) {
        int nq = to - from;
        Candidates[] out = new Candidates[nq];
        int kk = (int) Math.min(k, rows);
        if (kk == 0) {
            java.util.Arrays.fill(out, Candidates.empty(label, 0));
            return out;
        }
        int dim = store.dimension();
        int elem = switch (store.elementType()) {
            case F32 -> panavec_h.PV_ELEM_F32();
            case F16 -> panavec_h.PV_ELEM_F16();
            case I8 -> throw new IllegalArgumentException("batch search takes float queries: an int8 store is searched one query at a time");
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nq * dim);
            for (int i = 0; i < nq; i++) {
                MemorySegment.copy(queries[from + i], 0, q, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, dim);
            }
            MemorySegment hs = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nq * kk);
            MemorySegment hr = arena.allocate(ValueLayout.JAVA_LONG, (long) nq * kk);
            MemorySegment sizes = arena.allocate(ValueLayout.JAVA_LONG, nq); // zeroed: empty heaps
            int m = metric.code();
            FlatEngine.forEachBlock(store, rows, (block, n, first) -> { // the same blocks as one query's scan
                int status = panavec_h.pv_topk_batch(m, elem, q, nq, block, n, dim, first, allow, kk, hs, hr, sizes);
                if (status != panavec_h.PV_OK()) {
                    throw new PanavecNativeException(status, "blocked scan of " + nq + " queries failed");
                }
            });
            for (int i = 0; i < nq; i++) {
                out[i] = FlatEngine.sortedHeap(m, hs.asSlice((long) i * kk * 4, (long) kk * 4),
                        hr.asSlice((long) i * kk * 8, (long) kk * 8), sizes.getAtIndex(ValueLayout.JAVA_LONG, i), rows, label);
            }
            return out;
        }
    }
}
