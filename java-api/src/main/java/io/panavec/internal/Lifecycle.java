package io.panavec.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The locking an index facade does around its calls: every call holds a shared lifecycle lock, so
 * {@link #close} waits for the calls in flight and every later call throws {@link IllegalStateException};
 * mutations also take the one writer lock, so they run one at a time beside any number of reads.
 * Thread-safe.
 */
public final class Lifecycle {
    /** A mutation or close step. */
    @FunctionalInterface
    public interface Step {
        void run() throws IOException;
    }

    /** A read that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoRead<T> {
        T get() throws IOException;
    }

    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock writer = new ReentrantLock();
    private final String owner;
    private final String readOnly;
    private boolean closed; // guarded by lifecycle

    /**
     * @param owner    what the messages call the facade ("PanavecIndex is closed")
     * @param readOnly why mutations are refused (their {@link IllegalStateException}'s message), or null
     */
    public Lifecycle(String owner, String readOnly) {
        this.owner = owner;
        this.readOnly = readOnly;
    }

    /** Runs a read (a search, a look-up) beside others and beside one mutation; never after close. */
    public <T> T read(Supplier<T> body) {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            return body.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Runs a read with no mutation in flight (it holds the writer lock too: a check of the committed state);
     * allowed when read-only, never after close.
     */
    public <T> T readQuiesced(IoRead<T> body) throws IOException {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            writer.lock();
            try {
                return body.get();
            } finally {
                writer.unlock();
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Runs a mutation under the writer lock; an I/O failure surfaces as {@link UncheckedIOException}. */
    public void mutate(Step body) {
        try {
            mutateIo(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Runs a mutation under the writer lock, beside reads; refused after close and when read-only. */
    public void mutateIo(Step body) throws IOException {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            if (readOnly != null) {
                throw new IllegalStateException(readOnly);
            }
            writer.lock();
            try {
                body.run();
            } finally {
                writer.unlock();
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Runs {@code body} under the writer lock only: while opening, before the facade is shared (read-only or not). */
    public void opening(Runnable body) {
        writer.lock();
        try {
            body.run();
        } finally {
            writer.unlock();
        }
    }

    /**
     * Runs {@code body} with no other call in flight (a structure swapped under searches). After close it
     * runs {@code ifClosed} instead and throws.
     */
    public void exclusive(Runnable body, Runnable ifClosed) {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                ifClosed.run();
                requireOpen();
            }
            body.run();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Waits for the calls in flight, then runs {@code closer} once (later closes do nothing); every later call throws. */
    public void close(Step closer) throws IOException {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closer.run();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(owner + " is closed");
        }
    }
}
