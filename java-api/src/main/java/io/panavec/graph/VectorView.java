package io.panavec.graph;

import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * An immutable snapshot of where a store's first {@code count} rows live in memory, in the form native
 * graph code reads ({@code pv_vectors} of panavec_graph.h: a table of chunk base addresses, rows per chunk
 * as a power of two, count, dimension, element type). Snapshots are cheap; take a new one after the
 * store grows. Valid while the store is open (the store's mappings are never moved while open): a call
 * on a view of a closed store throws; closing the store while a call runs is the caller's to prevent
 * (an internal type: {@code PanavecIndex} orders them with its lifecycle lock).
 */
public record VectorView(MemorySegment[] chunks, int rowsPerChunkLog2, long count, int dimension, ElementType type) {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("chunks"),
            ValueLayout.JAVA_LONG.withName("rows_per_chunk_log2"),
            ValueLayout.JAVA_LONG.withName("count"),
            ValueLayout.JAVA_INT.withName("dim"),
            ValueLayout.JAVA_INT.withName("elem_type"));

    /**
     * Checks that the chunks hold the {@code count} rows the view claims (native memory, alive, each chunk
     * large enough for its rows), so that native code never reads past them: a view over a zero-length
     * segment such as {@code MemorySegment.ofAddress(4096)} is refused here, not dereferenced.
     */
    public VectorView {
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(type, "type");
        if (dimension <= 0 || count < 0 || rowsPerChunkLog2 < 0 || rowsPerChunkLog2 > 62) {
            throw new IllegalArgumentException("bad view: dimension " + dimension + ", count " + count + ", rows per chunk 2^" + rowsPerChunkLog2);
        }
        chunks = chunks.clone();
        long perChunk = 1L << rowsPerChunkLog2;
        long rowBytes = (long) dimension * type.bytes();
        long needChunks = count == 0 ? 0 : (count - 1) / perChunk + 1;
        if (chunks.length < needChunks) {
            throw new IllegalArgumentException(count + " rows need " + needChunks + " chunks, the view has " + chunks.length);
        }
        for (int c = 0; c < needChunks; c++) {
            MemorySegment chunk = Objects.requireNonNull(chunks[c], "chunk " + c);
            long rows = Math.min(perChunk, count - c * perChunk);
            if (!chunk.isNative() || chunk.byteSize() < Math.multiplyExact(rows, rowBytes)) {
                throw new IllegalArgumentException("chunk " + c + " (" + chunk.byteSize() + " bytes" + (chunk.isNative() ? "" : ", on the heap")
                        + ") cannot hold its " + rows + " rows of " + rowBytes + " bytes");
            }
        }
        requireAlive(chunks);
    }

    /** A copy of the chunk table (the view's own cannot be changed after its checks). */
    @Override
    public MemorySegment[] chunks() {
        return chunks.clone();
    }

    /** Throws {@link IllegalStateException} if the store's memory was released (it was closed). */
    public void requireAlive() {
        requireAlive(chunks);
    }

    private static void requireAlive(MemorySegment[] chunks) {
        for (MemorySegment chunk : chunks) {
            if (chunk != null && !chunk.scope().isAlive()) {
                throw new IllegalStateException("the memory of this vector view was released (its store is closed)");
            }
        }
    }

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
        requireAlive(chunks);
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
