package io.panavec.embedding;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The UTF-8 bytes of each row's string key, off the Java heap: what a string look-up compares against after its
 * 64-bit fingerprint found a slot, so two keys whose hashes collide never share a row. Rows are appended in order
 * (row {@code r} is the {@code r}-th append); {@code offsets[r] .. offsets[r + 1]} are its bytes.
 *
 * <p>Thread safety: one writer appends beside any number of readers of rows already published (the vocabulary
 * publishes a row to readers with a release store after appending its key); grown buffers are published whole.
 */
final class KeyBytes {
    private record Buffers(MemorySegment offsets, MemorySegment data) {}

    private volatile Buffers buffers;
    private long rows;      // writer
    private long dataBytes; // writer

    KeyBytes(long expectedRows, long expectedBytes) {
        buffers = new Buffers(allocate(8 * (Math.max(expectedRows, 16) + 1)), allocate(Math.max(expectedBytes, 256)));
    }

    long rows() {
        return rows;
    }

    /** Writer: appends the key of row {@link #rows()}. */
    void append(byte[] key) {
        Buffers b = buffers;
        long needOffsets = 8 * (rows + 2), needData = dataBytes + key.length;
        if (needOffsets > b.offsets.byteSize() || needData > b.data.byteSize()) {
            MemorySegment o = b.offsets, d = b.data;
            if (needOffsets > o.byteSize()) o = grown(o, needOffsets);
            if (needData > d.byteSize()) d = grown(d, needData);
            b = new Buffers(o, d);
            buffers = b;
        }
        MemorySegment.copy(key, 0, b.data, ValueLayout.JAVA_BYTE, dataBytes, key.length);
        dataBytes += key.length;
        b.offsets.setAtIndex(ValueLayout.JAVA_LONG, rows + 1, dataBytes);
        rows++;
    }

    /** Whether row {@code row}'s key is {@code key} (row published to this reader). */
    boolean matches(long row, byte[] key) {
        Buffers b = buffers;
        long from = b.offsets.getAtIndex(ValueLayout.JAVA_LONG, row), to = b.offsets.getAtIndex(ValueLayout.JAVA_LONG, row + 1);
        return to - from == key.length
                && MemorySegment.mismatch(b.data, from, to, MemorySegment.ofArray(key), 0, key.length) < 0;
    }

    /** Row {@code row}'s key. */
    byte[] key(long row) {
        Buffers b = buffers;
        long from = b.offsets.getAtIndex(ValueLayout.JAVA_LONG, row), to = b.offsets.getAtIndex(ValueLayout.JAVA_LONG, row + 1);
        return b.data.asSlice(from, to - from).toArray(ValueLayout.JAVA_BYTE);
    }

    private static MemorySegment grown(MemorySegment old, long need) {
        long size = old.byteSize();
        while (size < need) size *= 2;
        MemorySegment g = allocate(size);
        MemorySegment.copy(old, 0, g, 0, old.byteSize());
        return g;
    }

    private static MemorySegment allocate(long bytes) {
        return Arena.ofAuto().allocate(bytes, 8); // readers may hold a replaced buffer: the GC frees it
    }
}
