package io.panavec.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * Which store row is live: the one place upsert and delete are decided. The store is append-only; an
 * external id names its latest row (the {@link IdMap}); every earlier row of the id is dead. So adding an
 * id that names a live row kills that row (the new row replaces it, attributes included), a batch that
 * repeats an id keeps only its last row, and {@link #delete} kills the one live row an id has, whatever
 * its history. Dead rows are set in the deleted-row bitset that every search path consults; the caller
 * tombstones the rows returned here in its graph.
 *
 * <p><b>Durability.</b> The bitset is written with each commit. A delete is logged ({@link DeleteLog},
 * fsynced) before it returns. A row that replaced another after the last commit is in the store (adds
 * are durable), its replacement mark is not logged: {@link #recover} derives those marks again on open
 * from the store's ids, so a close without commit or a kill -9 at any point reopens with one live row
 * per id and every delete that returned.
 *
 * <p>Thread safety: mutations run under the index's writer lock (one at a time); readers of the bitset
 * run concurrently (see {@link RowBitset}).
 */
public final class LiveRows implements AutoCloseable {
    private static final long[] NONE = new long[0];

    private final Supplier<IdMap> ids; // opened on first use (Chronicle Map needs JVM flags that searches do not)
    private final RowBitset deleted;
    private DeleteLog log; // null: an index written before delete logs (deletes durable at commit)

    public LiveRows(Supplier<IdMap> ids, RowBitset deleted, DeleteLog log) {
        this.ids = ids;
        this.deleted = deleted;
        this.log = log;
    }

    /** Logs deletes to {@code next} from now on (a commit wrote the bitset); returns the previous log, to close. */
    public DeleteLog switchLog(DeleteLog next) {
        DeleteLog previous = log;
        log = next;
        return previous;
    }

    /**
     * Kills the rows of the appended, not yet published rows {@code [first, first + batchIds.length)} that a later row
     * of the same batch replaces (a repeated id keeps its last row). Call before the rows are published, so that no
     * search sees two new rows of one id. Returns the rows killed.
     */
    public long[] replaceWithinBatch(long[] batchIds, long first) {
        Map<Long, Long> latestInBatch = new HashMap<>();
        long[] killed = NONE;
        int n = 0;
        for (int i = 0; i < batchIds.length; i++) {
            Long earlier = latestInBatch.put(batchIds[i], first + i);
            if (earlier != null && deleted.set(earlier)) {
                if (n == killed.length) killed = Arrays.copyOf(killed, Math.max(4, n * 2));
                killed[n++] = earlier;
            }
        }
        return Arrays.copyOf(killed, n);
    }

    /**
     * The live rows, before the batch, of {@code batchIds}' ids: what the batch replaces. They stay live until the
     * batch's rows are published and {@link #kill} is called (an upsert publishes before it tombstones, so a search
     * never sees an id with neither row; see {@link UpsertsInFlight}).
     */
    public long[] replacedBy(long[] batchIds) {
        IdMap map = ids.get();
        long[] rows = NONE;
        int n = 0;
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long id : batchIds) {
            long row = map.rowOf(id);
            if (row >= 0 && !deleted.get(row) && seen.add(row)) {
                if (n == rows.length) rows = Arrays.copyOf(rows, Math.max(4, n * 2));
                rows[n++] = row;
            }
        }
        return Arrays.copyOf(rows, n);
    }

    /**
     * Kills {@code rows}, replaced by rows now published; not logged (derived again on open from the store's ids, see
     * {@link #recover}). Returns the rows this killed.
     */
    public long[] kill(long[] rows) {
        long[] killed = new long[rows.length];
        int n = 0;
        for (long r : rows) {
            if (deleted.set(r)) killed[n++] = r;
        }
        return Arrays.copyOf(killed, n);
    }

    /** Kills the live row of {@code id} (logged first); returns it, or -1 when the id has none. */
    public long delete(long id) throws IOException {
        long row = ids.get().rowOf(id);
        if (row < 0 || deleted.get(row)) {
            return -1;
        }
        delete(new long[] {row});
        return row;
    }

    /** Kills the live ones of {@code rows} (logged first); returns them. */
    public long[] delete(long[] rows) throws IOException {
        long[] alive = Arrays.stream(rows).filter(r -> !deleted.get(r)).toArray();
        if (log != null) {
            log.append(alive);
        }
        for (long r : alive) deleted.set(r);
        return alive;
    }

    /** Whether {@code row} is live. */
    public boolean isLive(long row) {
        return !deleted.get(row);
    }

    /** The live row of {@code id}, or -1. */
    public long rowOf(long id) {
        long row = ids.get().rowOf(id);
        return row < 0 || deleted.get(row) ? -1 : row;
    }

    /**
     * On open: rows {@code [from, rows)} were committed to the store after the deleted-row bitset was
     * written (kill -9, or close without commit), so the rows they replaced are not marked. Kills every row
     * whose id names a later row: the earlier rows of the tail's ids, below {@code from} (one pass over the
     * store's ids) and inside the tail (from the tail's own ids: the id map is not needed, so an index opens
     * without Chronicle Map's flags). Returns the rows killed.
     */
    public long[] recover(long from, long rows, LongUnaryOperator idOfRow) {
        if (from >= rows) {
            return NONE;
        }
        long[] tail = new long[Math.toIntExact(rows - from)];
        for (long r = from; r < rows; r++) tail[(int) (r - from)] = idOfRow.applyAsLong(r);
        long[] sorted = tail.clone();
        Arrays.sort(sorted);
        Map<Long, Long> lastInTail = new HashMap<>();
        for (long r = from; r < rows; r++) lastInTail.put(tail[(int) (r - from)], r);
        long[] killed = new long[16];
        int n = 0;
        for (long r = 0; r < rows; r++) {
            if (deleted.get(r)) {
                continue;
            }
            long id = r < from ? idOfRow.applyAsLong(r) : tail[(int) (r - from)];
            boolean replaced = r < from ? Arrays.binarySearch(sorted, id) >= 0 : lastInTail.get(id) != r;
            if (replaced && deleted.set(r)) {
                if (n == killed.length) killed = Arrays.copyOf(killed, n * 2);
                killed[n++] = r;
            }
        }
        return Arrays.copyOf(killed, n);
    }

    @Override
    public void close() throws IOException {
        if (log != null) log.close();
    }
}
