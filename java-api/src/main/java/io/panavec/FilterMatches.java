package io.panavec;

import io.panavec.attributes.AttributeTable;
import io.panavec.engine.AllowSet;
import io.panavec.filter.Filter;
import io.panavec.filter.FilterEvaluator;
import io.panavec.internal.RowBitset;
import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.RoaringBitmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The allow-sets of a {@link PanavecIndex}'s queries: for a filter, the rows that match it (evaluated on the
 * attribute bitmaps) and are not deleted; without one, the rows not deleted. Each is made once as native
 * words (with zero slack words past the rows, so rows committed by a concurrent add while a query runs are
 * covered and not allowed) and handed as that memory to every engine.
 *
 * <p>Evaluated filters are cached (LRU, keyed by filter, row count and deleted count, so any add or
 * delete makes a fresh entry), shared read-only by every query that hits them and freed by the GC with
 * the entry. Thread-safe: searches run concurrently; the cache is synchronized.
 */
final class FilterMatches {
    private static final int CACHE_ENTRIES = 16;
    static final int ALLOW_SLACK_WORDS = 1024;

    private final RowBitset deleted;
    private final AttributeTable attributes;
    private final Map<Key, AllowSet> cache = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, AllowSet> e) {
            return size() > CACHE_ENTRIES;
        }
    };

    private record Key(Filter filter, long rows, long deleted) {}

    FilterMatches(RowBitset deleted, AttributeTable attributes) {
        this.deleted = deleted;
        this.attributes = attributes;
    }

    /**
     * The rows among the first {@code rows} that match {@code filter} and are not deleted or {@code superseded} (the rows
     * an upsert in flight replaces, not tombstoned yet: {@link io.panavec.internal.UpsertsInFlight#supersededIn}).
     */
    AllowSet matching(Filter filter, long rows, long[] superseded) {
        return without(matching(filter, rows), superseded, rows);
    }

    /** The rows among the first {@code rows} not deleted or {@code superseded}, in {@code arena}; null when all are live. */
    AllowSet live(long rows, Arena arena, long[] superseded) {
        AllowSet live = live(rows, arena);
        if (superseded.length == 0) return live;
        if (live == null) { // nothing deleted: every row so far
            long n = Math.max(1, (rows + 63) >>> 6);
            MemorySegment all = arena.allocate(ValueLayout.JAVA_LONG, n + ALLOW_SLACK_WORDS);
            for (long i = 0; i < rows >>> 6; i++) all.setAtIndex(ValueLayout.JAVA_LONG, i, -1L);
            if ((rows & 63) != 0) all.setAtIndex(ValueLayout.JAVA_LONG, rows >>> 6, (1L << (rows & 63)) - 1);
            live = new AllowSet(all, rows, rows);
        }
        return without(live, superseded, rows);
    }

    /** {@code allow} without {@code rows}: a copy (cached allow-sets are shared), or {@code allow} itself when none is in it. */
    private static AllowSet without(AllowSet allow, long[] rows, long limit) {
        if (rows.length == 0) return allow;
        MemorySegment words = allow.words();
        long count = allow.count();
        MemorySegment copy = null;
        for (long r : rows) {
            if (r >= limit) continue;
            long w = (copy != null ? copy : words).getAtIndex(ValueLayout.JAVA_LONG, r >>> 6);
            if ((w & (1L << (r & 63))) == 0) continue;
            if (copy == null) {
                copy = Arena.ofAuto().allocate(words.byteSize(), 8);
                copy.copyFrom(words);
            }
            copy.setAtIndex(ValueLayout.JAVA_LONG, r >>> 6, w & ~(1L << (r & 63)));
            count--;
        }
        return copy == null ? allow : new AllowSet(copy, allow.rows(), count);
    }

    /** The rows among the first {@code rows} that match {@code filter} and are not deleted. */
    AllowSet matching(Filter filter, long rows) {
        Key key = new Key(filter, rows, deleted.cardinality());
        synchronized (cache) {
            AllowSet m = cache.get(key);
            if (m != null) {
                return m;
            }
        }
        RoaringBitmap bits = FilterEvaluator.evaluate(filter, attributes, rows);
        long[] words = new long[(int) Math.max(1, (rows + 63) >>> 6)];
        long[] got = BitSetUtil.toLongArray(bits);
        System.arraycopy(got, 0, words, 0, Math.min(got.length, words.length));
        MemorySegment del = deleted.words();
        long delWords = del.byteSize() / 8;
        long count = 0;
        for (int i = 0; i < words.length; i++) {
            if (i < delWords) words[i] &= ~del.getAtIndex(ValueLayout.JAVA_LONG, i);
            count += Long.bitCount(words[i]);
        }
        MemorySegment allow = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG, words.length + ALLOW_SLACK_WORDS);
        MemorySegment.copy(words, 0, allow, ValueLayout.JAVA_LONG, 0, words.length);
        AllowSet m = new AllowSet(allow, rows, count);
        synchronized (cache) {
            cache.put(key, m);
        }
        return m;
    }

    /** The rows among the first {@code rows} not deleted, in {@code arena}; null when none is deleted. */
    AllowSet live(long rows, Arena arena) {
        long dead = deleted.cardinality();
        if (dead == 0) {
            return null;
        }
        long n = Math.max(1, (rows + 63) >>> 6);
        MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG, n + ALLOW_SLACK_WORDS);
        MemorySegment.copy(deleted.complement(rows, arena), 0, out, 0, n * 8);
        long count = 0;
        for (long i = 0; i < n; i++) {
            count += Long.bitCount(out.getAtIndex(ValueLayout.JAVA_LONG, i));
        }
        return new AllowSet(out, rows, count);
    }
}
