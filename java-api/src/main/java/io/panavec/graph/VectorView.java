package io.panavec.graph;

import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * An immutable snapshot of where a store's first {@code count} rows live in memory, in the form native
 * graph code reads ({@code pv_vectors} of panavec_graph.h: a table of chunk base addresses, rows per chunk
 * as a power of two, count, dimension, element type). Snapshots are cheap; take a new one after the
 * store grows. Valid while the store is open (the store's mappings are never moved while open).
 */
public record VectorView(MemorySegment[] chunks, int rowsPerChunkLog2, long count, int dimension, ElementType type) {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("chunks"),
            ValueLayout.JAVA_LONG.withName("rows_per_chunk_log2"),
            ValueLayout.JAVA_LONG.withName("count"),
            ValueLayout.JAVA_INT.withName("dim"),
            ValueLayout.JAVA_INT.withName("elem_type"));

    /** The committed rows of {@code store}. */
    public static VectorView committed(VectorStore store) {
        long count = store.size();
        int n = store.chunkCount();
        MemorySegment[] cs = new MemorySegment[n];
        for (int c = 0; c < n; c++) {
            cs[c] = store.chunk(c);
        }
        return new VectorView(cs, Long.numberOfTrailingZeros(store.rowsPerChunk()), count, store.dimension(), store.elementType());
    }

    /** Writes the pv_vectors struct (and its chunk table) into {@code arena}; valid while the arena is. */
    public MemorySegment struct(Arena arena) {
        MemorySegment table = arena.allocate(ValueLayout.ADDRESS, Math.max(1, chunks.length));
        for (int c = 0; c < chunks.length; c++) {
            table.setAtIndex(ValueLayout.ADDRESS, c, chunks[c]);
        }
        MemorySegment s = arena.allocate(LAYOUT);
        s.set(ValueLayout.ADDRESS, 0, table);
        s.set(ValueLayout.JAVA_LONG, 8, rowsPerChunkLog2);
        s.set(ValueLayout.JAVA_LONG, 16, count);
        s.set(ValueLayout.JAVA_INT, 24, dimension);
        s.set(ValueLayout.JAVA_INT, 28, switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case I8 -> 2;
        });
        return s;
    }
}
