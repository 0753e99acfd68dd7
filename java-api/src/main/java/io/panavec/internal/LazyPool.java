package io.panavec.internal;

import java.util.concurrent.ForkJoinPool;

/**
 * A ForkJoinPool of a fixed size, created on first use (most indexes never search in parallel) and shut down
 * by {@link #close()}. Thread-safe.
 */
public final class LazyPool implements AutoCloseable {
    private final int threads;
    private volatile ForkJoinPool pool;

    public LazyPool(int threads) {
        this.threads = threads;
    }

    /** The pool, created on the first call. */
    public ForkJoinPool get() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    pool = p = new ForkJoinPool(threads);
                }
            }
        }
        return p;
    }

    /** Shuts the pool down if it was created. Idempotent. */
    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
