package io.panavec.embedding;

import io.panavec.bindings.panavec_embedding_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The hot path of a table's vocabulary: an open-addressing hash table (linear probing) from a 64-bit key to a
 * row, off the Java heap in one {@link MemorySegment} of 16-byte slots ({@code long key, long entry}, little-endian).
 * An entry is 0 for a free slot, else {@code row + 2}, with {@link #DELETED} set once the key is deleted: a slot
 * keeps its key until the table is rebuilt (rehash or compaction), so probe chains never have holes and a reader
 * never sees a slot's key change under it.
 *
 * <p>Why not a Chronicle Map on the hot path: a batch look-up through Chronicle costs one map look-up per key (its
 * segment lock, hashing, a copy of the entry), which alone is what a plain Chronicle Map of the vectors costs, so
 * the table could never be several times faster than one. Here a look-up is a few loads from one mapped segment, a
 * batch's in one native pass with its misses overlapped ({@link #rowsOf}). Durability does not rest on this table: rows carry their key in the store, deletes
 * are logged, and the table is persisted at commit as one checksummed file ({@link #writeTo}, through
 * {@link io.panavec.persist.CheckedFile}); opening maps that file read-only and catches up what came after it.
 *
 * <p>Thread safety: one writer ({@link #put}, {@link #delete}, {@link #grow}) beside any number of readers. A
 * writer stores a slot's key before publishing its entry with a release store, readers load the entry with an
 * acquire load before comparing the key; growing builds a new segment and publishes it whole.
 */
final class KeyRowTable {
    static final long DELETED = 1L << 62;
    static final long MAGIC = 0x3142_4143_4F56_5650L; // "PVVOCAB1"
    static final int HEADER_BYTES = 64;
    private static final int MIN_CAPACITY = 16;
    private static final VarHandle ENTRY = ValueLayout.JAVA_LONG.varHandle(); // aligned: segments are allocated and mapped 64-byte aligned
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** One generation of slots: replaced whole when the table grows. */
    private record Slots(MemorySegment segment, long mask, boolean writable) {}

    private volatile Slots slots;
    private long live;  // keys with a row (writer)
    private long used;  // slots taken, deleted keys included (writer)

    private KeyRowTable(Slots slots, long live, long used) {
        this.slots = slots;
        this.live = live;
        this.used = used;
    }

    /** An empty table with room for {@code expected} keys before it grows. */
    static KeyRowTable create(long expected) {
        return new KeyRowTable(allocate(capacityFor(expected)), 0, 0);
    }

    /** Live keys. */
    long size() {
        return live;
    }

    // ------------------------------------------------------------------------------------------ reads

    /** The row of {@code key}, or -1 (unknown or deleted). */
    long rowOf(long key) {
        long e = entry(key);
        return e == 0 || (e & DELETED) != 0 ? -1 : e - 2;
    }

    /** The raw entry of {@code key}: 0 if no slot holds it, else {@code row + 2} with {@link #DELETED} if deleted. */
    long entry(long key) {
        Slots s = slots;
        MemorySegment seg = s.segment;
        long mask = s.mask;
        for (long i = Hashing.mix(key) & mask; ; i = (i + 1) & mask) {
            long off = i << 4;
            long e = (long) ENTRY.getAcquire(seg, off + 8);
            if (e == 0) return 0;
            if (seg.get(LONG, off) == key) return e;
        }
    }

    /**
     * rows[i] = the row of keys[i], or {@code fallback} when it has none: the batch look-up, one native pass
     * ({@code pv_emb_rows_of}: the same probe as {@link #entry}, each key's first slot requested several keys ahead,
     * so a batch's cache misses overlap instead of following one another).
     */
    void rowsOf(long[] keys, long[] rows, long fallback) {
        if (rows.length < keys.length) {
            throw new IllegalArgumentException(rows.length + " rows for " + keys.length + " keys");
        }
        Slots s = slots; // one generation for the whole batch; the downcall keeps its segment alive
        if (panavec_embedding_h.pv_emb_rows_of(s.segment, s.mask, MemorySegment.ofArray(keys), keys.length, fallback,
                MemorySegment.ofArray(rows)) != 0) {
            throw new IllegalStateException("the vocabulary has no free slot"); // never written so: see put
        }
    }

    // ------------------------------------------------------------------------------------------ writes (one writer)

    /** Points {@code key} at {@code row} (a new key, a replaced row, or a deleted key put again). */
    void put(long key, long row) {
        if (row < 0 || row >= DELETED - 2) throw new IllegalArgumentException("row " + row);
        writable();
        Slots s = slots;
        long slot = find(s, key);
        long off = slot << 4;
        long e = s.segment.get(LONG, off + 8);
        if (e == 0) {
            if ((used + 1) * 10 > (s.mask + 1) * 7) { // keep the load under 0.7: grow, then insert into the new slots
                grow(live + 1);
                put(key, row);
                return;
            }
            s.segment.set(LONG, off, key);
            used++;
            live++;
        } else if ((e & DELETED) != 0) {
            live++;
        }
        ENTRY.setRelease(s.segment, off + 8, row + 2);
    }

    /** Deletes {@code key}: returns its row, or -1 if it had none. */
    long delete(long key) {
        Slots s = slots;
        long off = find(s, key) << 4;
        long e = s.segment.get(LONG, off + 8);
        if (e == 0 || (e & DELETED) != 0) return -1;
        writable();
        s = slots;
        ENTRY.setRelease(s.segment, off + 8, e | DELETED);
        live--;
        return e - 2;
    }

    /** The slot holding {@code key}, or the free slot ending its probe chain. */
    private static long find(Slots s, long key) {
        MemorySegment seg = s.segment;
        for (long i = Hashing.mix(key) & s.mask; ; i = (i + 1) & s.mask) {
            long off = i << 4;
            if (seg.get(LONG, off + 8) == 0 || seg.get(LONG, off) == key) return i;
        }
    }

    /** Rebuilds the slots for at least {@code keys} live keys (deleted keys are dropped), published whole. */
    void grow(long keys) {
        Slots old = slots;
        Slots next = allocate(capacityFor(Math.max(keys, live)));
        long n = 0;
        for (long i = 0; i <= old.mask; i++) {
            long off = i << 4;
            long e = old.segment.get(LONG, off + 8);
            if (e == 0 || (e & DELETED) != 0) continue;
            long key = old.segment.get(LONG, off);
            long to = find(next, key) << 4;
            next.segment.set(LONG, to, key);
            next.segment.set(LONG, to + 8, e);
            n++;
        }
        used = live = n;
        VarHandle.releaseFence();
        slots = next;
    }

    /**
     * Copies the slots into a segment from {@code allocator} (the resident copy of a read-only table, owned by its
     * caller, which must keep it alive while this table is read) and reads them there; returns their bytes. A later
     * change copies them again, as from a mapping.
     */
    long copySlotsInto(java.util.function.LongFunction<MemorySegment> allocator) {
        Slots s = slots;
        long bytes = s.segment.byteSize();
        MemorySegment copy = allocator.apply(bytes);
        copy.copyFrom(s.segment);
        VarHandle.releaseFence();
        slots = new Slots(copy, s.mask, false);
        return bytes;
    }

    /** The memory the slots are read from now: the mapped file, a private copy, or a resident copy. */
    MemorySegment slotMemory() {
        return slots.segment;
    }

    /** A mapped (read-only) table becomes a private copy before its first change. */
    private void writable() {
        Slots s = slots;
        if (s.writable) return;
        Slots copy = allocate(s.mask + 1);
        copy.segment.copyFrom(s.segment);
        slots = copy;
    }

    private static long capacityFor(long keys) {
        long c = MIN_CAPACITY;
        while (c * 7 < keys * 10 + 10 || c < keys * 2) c <<= 1; // load at most 0.5 after a rebuild
        return c;
    }

    private static Slots allocate(long capacity) {
        // Arena.ofAuto: a reader may still hold a replaced generation; the GC frees it once none does.
        MemorySegment seg = Arena.ofAuto().allocate(capacity * 16, 64);
        return new Slots(seg, capacity - 1, true);
    }

    // ------------------------------------------------------------------------------------------ file

    /**
     * Writes the table: a 64-byte header ({@code magic, int version 1, int key kind, long capacity, long live, long
     * used, long covered rows, 16 bytes 0}) then the slots. The caller writes it through a checksummed file.
     */
    void writeTo(Path file, int keyKind, long coveredRows) throws IOException {
        Slots s = slots;
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            MemorySegment h = arena.allocate(HEADER_BYTES);
            h.set(LONG, 0, MAGIC);
            h.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 8, 1);
            h.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 12, keyKind);
            h.set(LONG, 16, s.mask + 1);
            h.set(LONG, 24, live);
            h.set(LONG, 32, used);
            h.set(LONG, 40, coveredRows);
            write(ch, h);
            write(ch, s.segment);
        }
    }

    private static void write(FileChannel ch, MemorySegment m) throws IOException {
        java.nio.ByteBuffer b = m.asByteBuffer();
        while (b.hasRemaining()) ch.write(b);
    }

    /**
     * Maps a table written by {@link #writeTo} (already checked against its manifest's length and checksum) read-only,
     * checking its header and every slot: the key kind, the covered rows, rows below them, the counts.
     */
    static KeyRowTable map(Path file, int keyKind, long coveredRows) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES) throw new IOException(file + ": " + size + " bytes, shorter than a vocabulary header");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
            var INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
            long capacity = all.get(LONG, 16), live = all.get(LONG, 24), used = all.get(LONG, 32), covered = all.get(LONG, 40);
            if (all.get(LONG, 0) != MAGIC || all.get(INT, 8) != 1) throw new IOException(file + ": not a panavec vocabulary (bad magic or version)");
            if (all.get(INT, 12) != keyKind) throw new IOException(file + ": a vocabulary of another key type");
            if (capacity < MIN_CAPACITY || Long.bitCount(capacity) != 1 || capacity > (size - HEADER_BYTES) / 16
                    || size != HEADER_BYTES + capacity * 16) {
                throw new IOException(file + ": " + size + " bytes do not hold the " + capacity + " slots its header names");
            }
            if (covered != coveredRows) throw new IOException(file + ": covers " + covered + " rows, the manifest says " + coveredRows);
            MemorySegment seg = all.asSlice(HEADER_BYTES);
            long n = 0, u = 0;
            for (long i = 0; i < capacity; i++) {
                long e = seg.get(LONG, (i << 4) + 8);
                if (e == 0) continue;
                u++;
                long row = (e & ~DELETED) - 2;
                if (e < 0 || row < 0 || row >= covered) {
                    throw new IOException(file + ": slot " + i + " names row " + row + " of " + covered);
                }
                if ((e & DELETED) == 0) n++;
            }
            if (n != live || u != used || used == capacity) {
                throw new IOException(file + ": " + n + " live keys in " + u + " slots, the header says " + live + " in " + used);
            }
            return new KeyRowTable(new Slots(seg, capacity - 1, false), live, used);
        }
    }
}
