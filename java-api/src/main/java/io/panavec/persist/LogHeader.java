package io.panavec.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The header that binds an append-only log (deleted rows, attribute records) to its index and to its own file name,
 * which carries its generation: {@code u64 magic, u64 index id (high), u64 index id (low), i32 CRC-32C of the file
 * name, i32 CRC-32C of bytes 0..27}, little-endian. A log swapped in from another index, or a previous generation's
 * log under the current name, is refused instead of replaying the wrong rows. Written and fsynced when the log is
 * created, before any manifest names it; logs of indexes without an identity (written before 0.2) have none.
 * Stateless, thread-safe.
 */
public final class LogHeader {
    public static final int BYTES = 32;

    private LogHeader() {}

    /**
     * Creates the empty log {@code file} (replacing any) with its header (none when {@code indexId} is null: an index of
     * an older build), fsynced; returns it open for appending.
     */
    public static FileChannel create(Path file, long magic, UUID indexId) throws IOException {
        FileChannel ch = FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        try {
            if (indexId != null) {
                ByteBuffer b = encode(magic, indexId, file);
                while (b.hasRemaining()) ch.write(b);
            }
            ch.force(true);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Where the frames of {@code file} (its bytes {@code all}) start: after a header naming {@code indexId} and this
     * file, or at 0 for a log of an index without an identity.
     *
     * @throws IOException naming the file if the header is missing, damaged, or of another index or file
     */
    public static int framesStart(byte[] all, long magic, UUID indexId, Path file, String what) throws IOException {
        if (indexId == null) {
            return 0;
        }
        if (all.length < BYTES) {
            throw new IOException(file + ": " + all.length + " bytes, shorter than the " + what + " header: truncated or not this index's");
        }
        ByteBuffer b = ByteBuffer.wrap(all, 0, BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(0) != magic) {
            throw new IOException(file + ": not a " + what + " (bad magic)");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, BYTES - 4);
        if ((int) crc.getValue() != b.getInt(BYTES - 4)) {
            throw new IOException(file + ": " + what + " header checksum mismatch: the log is corrupt");
        }
        UUID owner = new UUID(b.getLong(8), b.getLong(16));
        if (!owner.equals(indexId)) {
            throw new IOException(file + ": a " + what + " of index " + owner + ", not of this index (" + indexId + ")");
        }
        if (b.getInt(24) != nameCrc(file)) {
            throw new IOException(file + ": a " + what + " written under another name (another generation's log)");
        }
        return BYTES;
    }

    private static ByteBuffer encode(long magic, UUID indexId, Path file) {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, magic).putLong(8, indexId.getMostSignificantBits()).putLong(16, indexId.getLeastSignificantBits())
                .putInt(24, nameCrc(file));
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(0).limit(BYTES - 4));
        return b.putInt(BYTES - 4, (int) crc.getValue());
    }

    private static int nameCrc(Path file) {
        CRC32C crc = new CRC32C();
        crc.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }
}
