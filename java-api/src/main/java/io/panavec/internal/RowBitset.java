package io.panavec.internal;

import io.panavec.persist.Commit;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A growable bitset over rows in native memory, in the layout native kernels take as an allow or deny
 * list (bit r of 64-bit word r/64). Readers get a snapshot segment ({@link #words()}) that stays valid
 * after the set grows (old arrays are reclaimed by the GC once no snapshot refers to them).
 *
 * <p>Thread safety: one writer ({@link #set}) concurrent with readers of snapshots; a reader may or may
 * not see a bit set concurrently, never a torn word.
 */
public final class RowBitset {
    private volatile MemorySegment words;
    private long cardinality;

    public RowBitset(long rows) {
        words = allocate(wordsFor(rows));
    }

    private static long wordsFor(long rows) {
        return Math.max(1, (rows + 63) >>> 6);
    }

    private static MemorySegment allocate(long nWords) {
        return Arena.ofAuto().allocate(ValueLayout.JAVA_LONG, nWords);
    }

    /** The current words; covers at least every row set so far. */
    public MemorySegment words() {
        return words;
    }

    /** Rows the current words can hold. */
    public long capacity() {
        return words.byteSize() * 8;
    }

    public boolean get(long row) {
        MemorySegment w = words;
        long i = row >>> 6;
        return row >= 0 && i < w.byteSize() / 8 && (w.getAtIndex(ValueLayout.JAVA_LONG, i) & (1L << row)) != 0;
    }

    /** Sets a bit; returns whether it was clear. Writer only. */
    public synchronized boolean set(long row) {
        if (row < 0) {
            throw new IndexOutOfBoundsException("row " + row);
        }
        ensureCapacity(row + 1);
        long i = row >>> 6;
        long old = words.getAtIndex(ValueLayout.JAVA_LONG, i);
        long now = old | (1L << row);
        if (now == old) {
            return false;
        }
        words.setAtIndex(ValueLayout.JAVA_LONG, i, now);
        cardinality++;
        return true;
    }

    /** Grows (copy, then publish) so that rows below {@code rows} fit. Writer only. */
    public synchronized void ensureCapacity(long rows) {
        if (rows <= capacity()) {
            return;
        }
        MemorySegment bigger = allocate(Math.max(wordsFor(rows), words.byteSize() / 8 * 2));
        MemorySegment.copy(words, 0, bigger, 0, words.byteSize());
        words = bigger;
    }

    /** Calls {@code action} with every set row, ascending. */
    public void forEachSet(java.util.function.LongConsumer action) {
        MemorySegment w = words;
        long n = w.byteSize() / 8;
        for (long i = 0; i < n; i++) {
            long bits = w.getAtIndex(ValueLayout.JAVA_LONG, i);
            while (bits != 0) {
                action.accept((i << 6) + Long.numberOfTrailingZeros(bits));
                bits &= bits - 1;
            }
        }
    }

    public synchronized long cardinality() {
        return cardinality;
    }

    /** A copy whose every bit in rows [0, rows) is flipped: the allow-list for a deny-list. */
    public MemorySegment complement(long rows, Arena arena) {
        long n = wordsFor(rows);
        MemorySegment w = words;
        MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG, n);
        long have = w.byteSize() / 8;
        for (long i = 0; i < n; i++) {
            long bits = i < have ? w.getAtIndex(ValueLayout.JAVA_LONG, i) : 0;
            out.setAtIndex(ValueLayout.JAVA_LONG, i, ~bits);
        }
        long tail = rows & 63;
        if (tail != 0) {
            out.setAtIndex(ValueLayout.JAVA_LONG, n - 1, out.getAtIndex(ValueLayout.JAVA_LONG, n - 1) & ((1L << tail) - 1));
        }
        return out;
    }

    /** Writes the words to {@code file} (little-endian) and returns their CRC-32C. */
    public synchronized int write(Path file) throws IOException {
        byte[] bytes = words.toArray(ValueLayout.JAVA_BYTE);
        Files.write(file, bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** Records the set in {@code commit} (a file of this generation; nothing while no row is set). */
    public void commit(Commit commit) throws IOException {
        if (cardinality() > 0) {
            commit.write(ManifestKey.DELETED, "deleted", "bits", this::write);
        }
    }

    /** The set the manifest names (checked), or an empty one over {@code rows} rows. */
    public static RowBitset open(Path dir, Manifest m, long rows) throws IOException {
        if (!m.has(ManifestKey.DELETED)) {
            return new RowBitset(rows);
        }
        Path file = m.verifiedFile(dir, ManifestKey.DELETED);
        if (!m.has(ManifestKey.DELETED.bytes()) && m.has(ManifestKey.DELETED.crc32c())
                && io.panavec.persist.CheckedFile.crc32c(file) != m.require(ManifestKey.DELETED.crc32c())) { // a 0.1 manifest
            throw new IOException(file + ": checksum mismatch: the deleted-rows file is corrupt");
        }
        return read(file);
    }

    /** Reads a file written by {@link #write} (its checksum checked against the manifest already). */
    public static RowBitset read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length % 8 != 0) {
            throw new IOException(file + ": " + bytes.length + " bytes, not whole words: the deleted-rows file is corrupt");
        }
        RowBitset s = new RowBitset((long) bytes.length * 8);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s.words, 0, bytes.length);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        long card = 0;
        while (bb.hasRemaining()) card += Long.bitCount(bb.getLong());
        s.cardinality = card;
        return s;
    }
}
