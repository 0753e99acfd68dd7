package io.panavec.persist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The one way an index file reaches its name: written under a temporary name, fsynced, its length and
 * CRC-32C taken, renamed atomically to its final name, the directory fsynced. A crash leaves either no
 * file of that name or the whole file. {@link #verify} checks a file against the length and checksum its
 * manifest recorded. Every component file of an index directory goes through here (checks on names or
 * on what a directory may hold belong here too). Stateless and thread-safe.
 */
public final class CheckedFile {
    private static final String TMP_SUFFIX = ".tmp";

    private CheckedFile() {}

    /** What was written: the file name (in its directory), its length and {@link #checksum}. */
    public record Stamp(String name, long bytes, int checksum) {}

    /** Writes a file's content to the path it is given (any earlier content of that path is replaced). */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path file) throws IOException;
    }

    /** Writes {@code dir/name} through {@code writer} (temporary name, fsync, atomic rename, directory fsync). */
    public static Stamp write(Path dir, String name, Writer writer) throws IOException {
        Path target = dir.resolve(requirePlainName(name));
        Path tmp = dir.resolve(name + TMP_SUFFIX);
        Files.deleteIfExists(tmp);
        try {
            CrashPoints.reach("write " + name);
            writer.writeTo(tmp);
            CrashPoints.reach("fsync " + name);
            fsync(tmp);
            Stamp stamp = new Stamp(name, Files.size(tmp), checksum(tmp));
            CrashPoints.reach("rename " + name);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(dir + ": the file system cannot replace files atomically", e);
            }
            syncDirectory(dir);
            return stamp;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Throws unless {@code file} has the recorded length and checksum (named in the message): {@link #checksum}, or
     * for a manifest written before it ({@code legacy}) the file's plain CRC-32C.
     */
    public static void verify(Path file, long bytes, int checksum, boolean legacy) throws IOException {
        long size = Files.size(file);
        if (size != bytes) {
            throw new IOException(file + ": " + size + " bytes, the manifest says " + bytes + ": truncated or replaced");
        }
        if ((legacy ? crc32c(file) : checksum(file)) != checksum) {
            throw new IOException(file + ": checksum mismatch: the file is corrupt");
        }
    }

    /**
     * The checksum a manifest records for a file: the CRC-32C of its bytes followed by their CRC-32 (IEEE, 4 bytes
     * little-endian). Not the plain CRC-32C: that is linear, and a file ending with the CRC-32C of what precedes it
     * (the codes file does) has the same plain CRC-32C whatever it holds, so two such files of one length (another
     * index's, another generation's) would pass for each other. The CRC-32 of the bytes differs between them, and
     * feeding it to the CRC-32C makes the results differ too.
     */
    public static int checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        java.util.zip.CRC32 ieee = new java.util.zip.CRC32();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
                ieee.update(buf, 0, n);
            }
        }
        crc.update(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, (int) ieee.getValue()));
        return (int) crc.getValue();
    }

    /** The CRC-32C of a whole file. */
    public static int crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
        }
        return (int) crc.getValue();
    }

    /** The CRC-32C of a byte range. */
    public static int crc32c(byte[] bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }

    /**
     * Copies the bytes of {@code file} past {@code goodLength} (a log's torn tail, about to be cut) to
     * {@code <file>.torn-<time>}, durably; nothing when there are none. Recovery never cuts bytes without a copy.
     */
    public static void copyTornTail(Path file, long goodLength) throws IOException {
        long size = Files.exists(file) ? Files.size(file) : 0;
        if (goodLength >= size) {
            return;
        }
        Path copy = file.resolveSibling(file.getFileName() + ".torn-" + System.currentTimeMillis());
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long pos = goodLength; pos < size; ) pos += in.transferTo(pos, size - pos, out);
            out.force(true);
        }
    }

    /**
     * Opens an append-only log for appending after its first {@code goodLength} bytes (its whole frames):
     * a torn tail past them is cut off, durably, before anything is appended.
     */
    public static FileChannel openLogForAppend(Path file, long goodLength) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            ch.truncate(goodLength);
            ch.position(goodLength);
            ch.force(true);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Forces a file's content to storage. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Makes a rename in {@code dir} durable. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; the rename is then as durable as they make it.
        }
    }

    /** {@code name} itself if it is a plain file name (no directory part), else IllegalArgumentException. */
    public static String requirePlainName(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        return name;
    }
}
