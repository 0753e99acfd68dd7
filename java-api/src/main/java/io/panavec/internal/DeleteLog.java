package io.panavec.internal;

import io.panavec.persist.CheckedFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * The rows deleted since the last commit wrote the deleted-row bitset, appended and fsynced before a
 * delete returns, so a delete survives a close without commit and a kill -9. Frames (little-endian):
 * {@code int count, int crc32c of the rows, long row × count}; a torn last frame (crash mid-write) is
 * ignored and cut off on open. A commit starts a new, empty log named in the new manifest.
 *
 * <p>Thread safety: one writer; not for concurrent use.
 */
public final class DeleteLog implements AutoCloseable {
    private static final int HEADER = 8;
    private static final int MAX_FRAME_ROWS = 1 << 24;
    private static final long MAGIC = 0x474F4C4C45445650L; // "PVDELLOG"
    private static final String WHAT = "deleted-rows log";

    private final FileChannel ch;

    private DeleteLog(FileChannel ch) {
        this.ch = ch;
    }

    /** Creates an empty log at {@code file} (replacing any), bound to index {@code indexId} (null: none, as older builds). */
    public static DeleteLog create(Path file, java.util.UUID indexId) throws IOException {
        return new DeleteLog(io.panavec.persist.LogHeader.create(file, MAGIC, indexId));
    }

    /**
     * Passes every row of the whole frames of {@code file} to {@code rows}, cuts off a torn tail (copied first to
     * {@code <file>.torn-<time>}), and opens it for appending. A damaged frame with whole frames after it is no torn
     * tail: it throws, naming the file and offset, and nothing is cut.
     */
    public static DeleteLog open(Path file, java.util.UUID indexId, LongConsumer rows) throws IOException {
        long good = read(file, indexId, rows);
        CheckedFile.copyTornTail(file, good);
        return new DeleteLog(CheckedFile.openLogForAppend(file, good));
    }

    /**
     * Passes every row of the whole frames of {@code file} to {@code rows} without writing to it; returns their length.
     * The log must be bound to {@code indexId} ({@link io.panavec.persist.LogHeader}; null: an older index's, unbound).
     */
    public static long read(Path file, java.util.UUID indexId, LongConsumer rows) throws IOException {
        byte[] all = Files.exists(file) || indexId != null ? Files.readAllBytes(file) : new byte[0];
        int start = io.panavec.persist.LogHeader.framesStart(all, MAGIC, indexId, file, WHAT);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).position(start);
        long good = start;
        while (b.remaining() >= HEADER) {
            int count = b.getInt();
            int crc = b.getInt();
            if (count == 0) { // never written (append skips empty batches): zeroed or damaged bytes
                if (b.remaining() > 0) {
                    throw new IOException(file + ": corrupt " + WHAT + " frame at byte " + (b.position() - HEADER) + " of " + all.length
                            + " (an empty frame, " + b.remaining() + " bytes follow it)");
                }
                break;
            }
            if (count < 0 || count > MAX_FRAME_ROWS || (long) count * Long.BYTES > b.remaining()) {
                break;
            }
            CRC32C c = new CRC32C();
            c.update(all, b.position(), count * Long.BYTES);
            if ((int) c.getValue() != crc) {
                if (b.position() + (long) count * Long.BYTES < all.length) { // bytes follow it: not a torn tail
                    throw new IOException(file + ": corrupt " + WHAT + " frame at byte " + (b.position() - HEADER) + " of "
                            + all.length + " (checksum mismatch, " + (all.length - b.position() - (long) count * Long.BYTES)
                            + " bytes follow it)");
                }
                break;
            }
            for (int i = 0; i < count; i++) rows.accept(b.getLong());
            good = b.position();
        }
        return good;
    }

    /** Appends one frame of {@code rows} and fsyncs it. */
    public void append(long[] rows) throws IOException {
        if (rows.length == 0) {
            return;
        }
        for (int from = 0; from < rows.length; from += MAX_FRAME_ROWS) {
            int n = Math.min(MAX_FRAME_ROWS, rows.length - from);
            ByteBuffer frame = ByteBuffer.allocate(HEADER + n * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            frame.position(HEADER);
            for (int i = 0; i < n; i++) frame.putLong(rows[from + i]);
            CRC32C c = new CRC32C();
            c.update(frame.array(), HEADER, n * Long.BYTES);
            frame.putInt(0, n).putInt(4, (int) c.getValue()).position(0);
            while (frame.hasRemaining()) ch.write(frame);
        }
        ch.force(false);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
