package io.panavec.internal;

import io.panavec.persist.CheckedFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    private final FileChannel ch;

    private DeleteLog(FileChannel ch) {
        this.ch = ch;
    }

    /** Creates an empty log at {@code file} (replacing any). */
    public static DeleteLog create(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        ch.force(true);
        return new DeleteLog(ch);
    }

    /** Passes every row of the whole frames of {@code file} to {@code rows}, cuts off a torn tail, and opens it for appending. */
    public static DeleteLog open(Path file, LongConsumer rows) throws IOException {
        long good = read(file, rows);
        return new DeleteLog(CheckedFile.openLogForAppend(file, good));
    }

    /** Passes every row of the whole frames of {@code file} to {@code rows} without writing to it; returns their length. */
    public static long read(Path file, LongConsumer rows) throws IOException {
        byte[] all = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long good = 0;
        while (b.remaining() >= HEADER) {
            int count = b.getInt();
            int crc = b.getInt();
            if (count < 0 || count > MAX_FRAME_ROWS || (long) count * Long.BYTES > b.remaining()) {
                break;
            }
            CRC32C c = new CRC32C();
            c.update(all, b.position(), count * Long.BYTES);
            if ((int) c.getValue() != crc) {
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
