package io.panavec.embedding;

import io.panavec.bindings.panavec_embedding_h;
import io.panavec.store.VectorStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A copy of a store's committed rows in anonymous memory advised for 2 MiB pages ({@link Residency#HUGE_PAGES}),
 * laid out chunk by chunk as the store's are (chunk c at c x rowsPerChunk x rowBytes), so the gather kernels read it
 * through the same chunk address table; and of the vocabulary's slots (a key's probe costs a page walk too). The
 * memory is owned by a shared {@link Arena} and unmapped by {@link #close()}.
 *
 * <p>Thread-safe: immutable after construction; readers must not outlive {@link #close()} (the table closes it only
 * after its running calls end).
 */
final class ResidentRows implements AutoCloseable {
    private final Arena arena;
    private final long rows;
    private final long bytes;
    private final long[] chunkAddresses;
    private final MemorySegment region; // the rows' copy (NULL when there are none)

    private ResidentRows(Arena arena, long rows, long bytes, long[] chunkAddresses, MemorySegment region) {
        this.arena = arena;
        this.region = region;
        this.rows = rows;
        this.bytes = bytes;
        this.chunkAddresses = chunkAddresses;
    }

    /**
     * Copies the committed rows of {@code store}, and the slots of {@code vocabulary} (which reads them from the copy
     * from then on); throws {@link OutOfMemoryError} when the OS maps no memory for them.
     */
    static ResidentRows copyOf(VectorStore store, Vocabulary vocabulary) {
        long rows = store.size();
        int chunks = store.chunkCount();
        long stride = store.rowsPerChunk() * store.rowBytes();
        if (rows == 0 || chunks == 0) {
            return new ResidentRows(null, 0, 0, new long[0], MemorySegment.NULL);
        }
        long bytes = Math.addExact(Math.multiplyExact(chunks - 1L, stride), store.chunk(chunks - 1).byteSize());
        Arena arena = Arena.ofShared();
        try {
            MemorySegment region = allocate(bytes, arena);
            long[] addresses = new long[chunks];
            for (int c = 0; c < chunks; c++) {
                MemorySegment chunk = store.chunk(c);
                MemorySegment.copy(chunk, 0, region, c * stride, chunk.byteSize());
                addresses[c] = region.address() + c * stride;
            }
            long slots = vocabulary.residentSlots(n -> allocate(n, arena));
            return new ResidentRows(arena, rows, bytes + slots, addresses, region);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** {@code bytes} of 2 MiB-aligned anonymous memory advised for huge pages, unmapped when {@code arena} closes. */
    private static MemorySegment allocate(long bytes, Arena arena) {
        MemorySegment base;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment out = call.allocate(ValueLayout.ADDRESS);
            if (panavec_embedding_h.pv_emb_resident_alloc(bytes, out) < 0) {
                throw new OutOfMemoryError("cannot map " + bytes + " bytes of resident memory for an embedding table");
            }
            base = out.get(ValueLayout.ADDRESS, 0);
        }
        return base.reinterpret(bytes, arena, s -> panavec_embedding_h.pv_emb_resident_free(s, bytes));
    }

    /** Rows 0 .. rows() - 1 are held here. */
    long rows() {
        return rows;
    }

    /** Bytes of the copies, rows and vocabulary slots (the memory they cost, before rounding up to whole 2 MiB pages). */
    long bytes() {
        return bytes;
    }

    /** The memory of the rows' copy (the slots' copy is the vocabulary's {@link Vocabulary#slotMemory()}). */
    List<MemorySegment> regions() {
        return region.byteSize() == 0 ? List.of() : List.of(region);
    }

    /** Base address of each chunk's copy. */
    long[] chunkAddresses() {
        return chunkAddresses;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
