package io.panavec.attributes;

import io.panavec.persist.CheckedFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The attribute records added since the last snapshot, appended and fsynced before the vectors they
 * describe are committed to the store, so every committed row has durable attributes. Frames:
 * {@code int length, int crc32c, long firstRow, int count, bytes}; a torn last frame (crash mid-write)
 * is ignored and cut off on open (after a copy); a damaged frame before the end is reported, never cut. A frame
 * with {@code firstRow = -1} records a schema growth: its bytes are the grown schema's text, and the record
 * frames after it are in the grown schema's form.
 *
 * <p>Thread safety: one writer ({@link #append}); not for concurrent use.
 */
public final class AttributeLog implements AutoCloseable {
    private static final int HEADER = 8;

    private final FileChannel ch;

    private AttributeLog(FileChannel ch) {
        this.ch = ch;
    }

    /** One frame read back: rows firstRow .. firstRow+count-1, encoded. */
    public record Frame(long firstRow, int count, byte[] records) {
        /** The grown schema a schema frame records, or null for a frame of records. */
        public Schema grownSchema() {
            return firstRow == SCHEMA_FRAME ? Schema.parse(new String(records, java.nio.charset.StandardCharsets.UTF_8)) : null;
        }
    }

    private static final long SCHEMA_FRAME = -1;
    private static final long MAGIC = 0x474F4C5454415650L; // "PVATTLOG"
    private static final String WHAT = "attribute log";

    /** Creates an empty log at {@code file} (replacing any), bound to index {@code indexId} (null: none, as older builds). */
    public static AttributeLog create(Path file, java.util.UUID indexId) throws IOException {
        return new AttributeLog(io.panavec.persist.LogHeader.create(file, MAGIC, indexId));
    }

    /**
     * Reads the whole frames of {@code file}, cuts off a torn tail (copied first to {@code <file>.torn-<time>}),
     * and opens it for appending. Only the last frame can be torn (a crash mid-append); a damaged frame with
     * more bytes after it is corruption and throws, naming the file and offset, with nothing truncated.
     */
    public static AttributeLog open(Path file, java.util.UUID indexId, List<Frame> framesOut) throws IOException {
        long good = scan(file, indexId, framesOut);
        io.panavec.persist.CheckedFile.copyTornTail(file, good);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        io.panavec.persist.CrashPoints.reach("truncate " + file.getFileName());
        ch.truncate(good);
        ch.position(good);
        ch.force(true);
        return new AttributeLog(ch);
    }

    /** The whole frames of {@code file} (a torn tail ignored), without writing to it. */
    public static List<Frame> read(Path file, java.util.UUID indexId) throws IOException {
        List<Frame> frames = new ArrayList<>();
        scan(file, indexId, frames);
        return frames;
    }

    /** Adds the whole frames of {@code file} to {@code framesOut}; returns the length they take. */
    private static long scan(Path file, java.util.UUID indexId, List<Frame> framesOut) throws IOException {
        byte[] all = Files.exists(file) || indexId != null ? Files.readAllBytes(file) : new byte[0];
        int start = io.panavec.persist.LogHeader.framesStart(all, MAGIC, indexId, file, WHAT);
        ByteBuffer b = ByteBuffer.wrap(all).position(start);
        long good = start;
        while (b.remaining() >= HEADER) {
            int len = b.getInt();
            int crc = b.getInt();
            if (len < 12 || len > b.remaining()) {
                break;
            }
            CRC32C c = new CRC32C();
            c.update(all, b.position(), len);
            if ((int) c.getValue() != crc) {
                if (b.position() + len < all.length) { // whole frames follow: not a torn tail
                    throw new IOException(file + ": corrupt attribute log frame at byte " + (b.position() - HEADER) + " of " + all.length
                            + " (checksum mismatch, " + (all.length - b.position() - len) + " bytes follow it)");
                }
                break;
            }
            long first = b.getLong();
            int count = b.getInt();
            byte[] recs = new byte[len - 12];
            b.get(recs);
            framesOut.add(new Frame(first, count, recs));
            good = b.position();
        }
        return good;
    }

    /** Appends one frame and fsyncs it. */
    public void append(long firstRow, int count, byte[] records) throws IOException {
        io.panavec.persist.CrashPoints.reach("append attribute log");
        ByteBuffer body = ByteBuffer.allocate(12 + records.length);
        body.putLong(firstRow).putInt(count).put(records).flip();
        CRC32C c = new CRC32C();
        c.update(body.duplicate());
        ByteBuffer frame = ByteBuffer.allocate(HEADER + body.remaining());
        frame.putInt(body.remaining()).putInt((int) c.getValue()).put(body).flip();
        while (frame.hasRemaining()) ch.write(frame);
        ch.force(false);
    }

    /** Appends a schema frame (the schema grew to {@code grown}) and fsyncs it. */
    public void appendSchema(Schema grown) throws IOException {
        append(SCHEMA_FRAME, 0, grown.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
