package io.panavec.multivector;

import io.panavec.bindings.panavec_multivector_h;
import io.panavec.graph.VectorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Exact Chamfer (MaxSim) scores of documents against a query token set, read straight from the
 * memory-mapped token store by libpanavec's blocked SIMD kernel ({@code pv_chamfer_docs}: query tokens x
 * document tokens, no copy of a document's tokens).
 *
 * <p>Thread-safe: scoring reads committed rows only and may run from any number of threads beside one writer.
 */
final class MaxSimReranker {
    /** Documents per downcall in a full scan, so a call stays short. */
    private static final int SCAN_BLOCK = 4096;

    private final TokenStore store;

    MaxSimReranker(TokenStore store) {
        this.store = store;
    }

    /** A query's packed tokens in native memory of {@code arena}, with the kernel's scratch. */
    record Query(MemorySegment tokens, int count, MemorySegment scratch) {}

    Query prepare(float[] packed, int count, Arena arena) {
        MemorySegment q = arena.allocate(ValueLayout.JAVA_FLOAT, packed.length);
        MemorySegment.copy(packed, 0, q, ValueLayout.JAVA_FLOAT, 0, packed.length);
        return new Query(q, count, arena.allocate(ValueLayout.JAVA_FLOAT, count));
    }

    /** Chamfer scores of document rows {@code docs} (each < store.documents()). */
    float[] score(Query q, long[] docs, Arena arena) {
        int n = docs.length;
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        MemorySegment ranges = arena.allocate(ValueLayout.JAVA_LONG, 2L * n);
        for (int i = 0; i < n; i++) {
            ranges.setAtIndex(ValueLayout.JAVA_LONG, 2L * i, store.start(docs[i]));
            ranges.setAtIndex(ValueLayout.JAVA_LONG, 2L * i + 1, store.count(docs[i]));
        }
        MemorySegment scores = arena.allocate(ValueLayout.JAVA_FLOAT, n);
        panavec_multivector_h.pv_chamfer_docs(VectorView.committed(store.tokens()).struct(arena), q.tokens(), q.count(),
                ranges, n, q.scratch(), scores);
        MemorySegment.copy(scores, ValueLayout.JAVA_FLOAT, 0, out, 0, n);
        return out;
    }

    /** Chamfer scores of every committed document, in row order, ranges read from the offsets column in place. */
    float[] scoreAll(Query q, Arena arena) {
        long docs = store.documents();
        float[] out = new float[Math.toIntExact(docs)];
        MemorySegment view = VectorView.committed(store.tokens()).struct(arena);
        MemorySegment scores = arena.allocate(ValueLayout.JAVA_FLOAT, SCAN_BLOCK);
        long per = store.offsetsPerChunk();
        for (int c = 0; c < store.offsetsChunkCount(); c++) {
            MemorySegment chunk = store.offsetsChunk(c);
            long rows = chunk.byteSize() / TokenStore.OFFSET_ROW_BYTES;
            for (long from = 0; from < rows; from += SCAN_BLOCK) {
                long n = Math.min(SCAN_BLOCK, rows - from);
                panavec_multivector_h.pv_chamfer_docs(view, q.tokens(), q.count(),
                        chunk.asSlice(from * TokenStore.OFFSET_ROW_BYTES, n * TokenStore.OFFSET_ROW_BYTES), n, q.scratch(), scores);
                MemorySegment.copy(scores, ValueLayout.JAVA_FLOAT, 0, out, Math.toIntExact(c * per + from), (int) n);
            }
        }
        return out;
    }
}
