package io.panavec;

import io.panavec.bindings.PanavecNativeException;
import io.panavec.bindings.panavec_batch_h;
import io.panavec.bindings.panavec_h;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact top-k of many queries in one pass over a store: the native blocked scan ({@code pv_topk_batch})
 * scores each tile of rows against every query while it is in cache, so a batch reads each row from memory
 * once per call instead of once per query. The caller splits queries across threads (each range is one
 * independent pass, so no merge is needed) and validates the queries.
 *
 * <p>Stateless apart from the store it reads; safe from any number of threads.
 */
final class BlockedScan {
    /** Rows per downcall: bounds the time between checks for interruption and keeps heaps in cache. */
    static final long ROWS_PER_CALL = 8192;

    private BlockedScan() {}

    /**
     * The best {@code k} rows of each query in {@code queries[from, to)}, best first (ties by lower row);
     * {@code allow} as in {@link FlatIndex#search(float[], int, MemorySegment)} (null: every row).
     */
    static List<List<SearchHit>> search(VectorStore store, Metric metric, float[][] queries, int from, int to, int k,
                                        MemorySegment allow) {
        long size = store.size();
        int nq = to - from;
        int kk = (int) Math.min(k, size);
        if (kk == 0 || nq == 0) {
            List<List<SearchHit>> empty = new ArrayList<>(nq);
            for (int i = 0; i < nq; i++) empty.add(List.of());
            return empty;
        }
        if (allow != null && allow.byteSize() < ((size + 63) >>> 6) * 8) {
            throw new IllegalArgumentException("allow bitset holds " + allow.byteSize() + " bytes, " + size + " rows need "
                    + ((size + 63) >>> 6) * 8);
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
            MemorySegment sizes = arena.allocate(ValueLayout.JAVA_LONG, nq); // zeroed
            MemorySegment allowed = allow == null ? MemorySegment.NULL : allow;
            int m = metric.nativeCode();
            long perChunk = store.rowsPerChunk();
            long rowBytes = store.rowBytes();
            for (int c = 0; (long) c * perChunk < size; c++) {
                long chunkFirst = (long) c * perChunk;
                long chunkRows = Math.min(perChunk, size - chunkFirst);
                MemorySegment chunk = store.chunk(c);
                for (long off = 0; off < chunkRows; off += ROWS_PER_CALL) {
                    long n = Math.min(ROWS_PER_CALL, chunkRows - off);
                    int status = panavec_batch_h.pv_topk_batch(m, elem, q, nq, chunk.asSlice(off * rowBytes, n * rowBytes), n, dim,
                            chunkFirst + off, allowed, kk, hs, hr, sizes);
                    if (status != panavec_h.PV_OK()) {
                        throw new PanavecNativeException(status, "blocked scan of " + nq + " queries failed");
                    }
                }
            }
            List<List<SearchHit>> out = new ArrayList<>(nq);
            for (int i = 0; i < nq; i++) {
                long heap = sizes.getAtIndex(ValueLayout.JAVA_LONG, i);
                MemorySegment s = hs.asSlice((long) i * kk * 4, (long) kk * 4);
                MemorySegment r = hr.asSlice((long) i * kk * 8, (long) kk * 8);
                panavec_h.pv_topk_sort(m, s, r, heap);
                List<SearchHit> hits = new ArrayList<>((int) heap);
                for (int j = 0; j < heap; j++) {
                    long row = r.getAtIndex(ValueLayout.JAVA_LONG, j);
                    hits.add(new SearchHit(store.externalId(row), row, s.getAtIndex(ValueLayout.JAVA_FLOAT, j)));
                }
                out.add(hits);
            }
            return out;
        }
    }
}
