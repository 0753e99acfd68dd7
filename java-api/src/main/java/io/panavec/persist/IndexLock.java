package io.panavec.persist;

import io.panavec.store.StoreLockedException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The one-writer lock of an index directory: an OS lock on {@value #FILE} that every panavec process takes
 * before opening the directory for writing, held until the index closes (the kernel drops it when the process
 * dies, kill -9 included). Read-only opens take none, so searches run beside the writer.
 *
 * <p>Why a file of its own: Java's file locks are POSIX record locks, which belong to the process and are
 * dropped when <em>any</em> descriptor of the file in that process closes. The store's own lock on
 * {@code vectors.pvs} is dropped that way when the same JVM opens and closes the store read-only (a read-only
 * index, a verify, a copy), letting a second process in. Nothing opens {@value #FILE} but this class, once per
 * directory per JVM (a second writer in the same JVM is refused from {@link #HELD} without opening it).
 * The holder's pid is written into the file, so the refusal names it.
 *
 * <p>Thread-safe.
 */
public final class IndexLock implements AutoCloseable {
    public static final String FILE = "index.lock";
    private static final Set<Path> HELD = new HashSet<>(); // directories (real paths) locked by this JVM

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private IndexLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} for writing by this process.
     *
     * @throws StoreLockedException if another process, or another open index in this JVM, has it open for writing
     */
    public static IndexLock acquire(Path dir) throws IOException {
        Path real = dir.toRealPath();
        synchronized (HELD) {
            if (!HELD.add(real)) {
                throw new StoreLockedException(real + " is already open for writing in this JVM (close that index first,"
                        + " or open it with PanavecIndex.openReadOnly to search it)");
            }
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(real.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                String holder = holder(ch);
                throw new StoreLockedException(real + " is open for writing by another process" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + "; one process writes an index at a time: close it there, or open it here with PanavecIndex.openReadOnly to search it");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new IndexLock(real, ch, lock);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            synchronized (HELD) {
                HELD.remove(real);
            }
            throw e;
        }
    }

    /** The pid the holder wrote (empty if unreadable). */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock (idempotent); the file stays, so the next writer locks the same inode. */
    @Override
    public synchronized void close() throws IOException {
        if (released) {
            return;
        }
        released = true;
        try {
            lock.release();
        } finally {
            channel.close();
            synchronized (HELD) {
                HELD.remove(dir);
            }
        }
    }
}
