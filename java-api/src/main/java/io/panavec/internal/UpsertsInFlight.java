package io.panavec.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one upsert whose new rows are searchable while the rows they replace are not tombstoned yet, and the grace
 * period that lets its writer wait for the searches that began before the new rows were visible.
 *
 * <p>An upsert publishes its new rows first (store commit) and tombstones the replaced ones after, so a search
 * never sees an id with neither row: one that began before the commit sees the old rows, live until it ends
 * ({@link #awaitEarlierSearches}); one that sees the new rows treats the old ones as dead ({@link #supersededIn}),
 * so it sees each id once, with its newer row, and asks its engine for no row it will drop.
 *
 * <p>Thread safety: {@link #enter}/{@link #exit} from any number of searching threads; {@link #publishing},
 * {@link #awaitEarlierSearches} and {@link #done} from one writer at a time (the index's writer lock).
 */
public final class UpsertsInFlight {
    private static final long[] NONE = new long[0];

    private record Pending(long firstNewRow, long[] replaced) {}

    private volatile Pending pending;
    // Searches in progress per epoch: a writer flips the epoch and waits for the other one to drain, so it waits
    // for every search that entered before the flip and for none that entered after it.
    private final AtomicLong[] active = {new AtomicLong(), new AtomicLong()};
    private volatile int epoch;

    /** A search begins (before it reads the store's row count); pass the result to {@link #exit}. */
    public int enter() {
        while (true) {
            int e = epoch;
            active[e].incrementAndGet();
            if (epoch == e) return e;
            active[e].decrementAndGet(); // the writer flipped meanwhile: count this search in the new epoch
        }
    }

    /** The search that {@link #enter} returned {@code e} for has ended. */
    public void exit(int e) {
        active[e].decrementAndGet();
    }

    /**
     * The rows a search that sees {@code rows} store rows must treat as dead: those the upsert in flight replaces,
     * once its new rows are among the {@code rows}; empty otherwise (a search reads the row count first, then this).
     */
    public long[] supersededIn(long rows) {
        Pending p = pending;
        return p != null && rows > p.firstNewRow ? p.replaced : NONE;
    }

    /** Writer: rows from {@code firstNewRow} on, about to be published, replace {@code replaced} (not tombstoned yet). */
    public void publishing(long firstNewRow, long[] replaced) {
        pending = replaced.length == 0 ? null : new Pending(firstNewRow, replaced.clone());
    }

    /** Writer: waits until every search that entered before this call has exited. */
    public void awaitEarlierSearches() {
        int old = epoch;
        epoch = old ^ 1;
        while (active[old].get() != 0) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Writer: the replaced rows are tombstoned (the deleted-row bitset covers them from now on). */
    public void done() {
        pending = null;
    }
}
