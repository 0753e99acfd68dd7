package io.panavec.attributes;

import org.roaringbitmap.RoaringBitmap;

import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A bitmap index of one keyword, multi-valued keyword or boolean attribute: for every distinct value, the
 * RoaringBitmap of rows holding it, and the rows holding any value. Booleans use the values "true"/"false".
 * Values are kept in {@link String#compareTo} order, so a range of strings is a range of the map.
 *
 * <p>Thread safety: appends by one writer under the table's write lock; reads under its read lock.
 */
final class KeywordColumn {
    private final NavigableMap<String, RoaringBitmap> byValue = new TreeMap<>();
    private final RoaringBitmap present = new RoaringBitmap();

    void append(int row, Object value) {
        switch (value) {
            case null -> {
                return;
            }
            case String s -> add(s, row);
            case Boolean b -> add(b.toString(), row);
            case String[] a -> {
                if (a.length == 0) {
                    return; // an empty list is no value: the row fails exists()
                }
                for (String s : a) add(s, row);
            }
            default -> throw new IllegalStateException("not a keyword value: " + value);
        }
        present.add(row);
    }

    private void add(String v, int row) {
        byValue.computeIfAbsent(v, x -> new RoaringBitmap()).add(row);
    }

    /** Rows holding {@code value} (shared: do not modify). */
    RoaringBitmap rows(String value) {
        RoaringBitmap b = byValue.get(value);
        return b == null ? EMPTY : b;
    }

    /** Rows holding a value in the range (lexicographic, {@link String#compareTo}); null bounds are open. */
    RoaringBitmap range(String lower, boolean lowerInc, String upper, boolean upperInc) {
        NavigableMap<String, RoaringBitmap> part;
        if (lower != null && upper != null) {
            int c = lower.compareTo(upper);
            if (c > 0 || (c == 0 && !(lowerInc && upperInc))) {
                return new RoaringBitmap();
            }
            part = byValue.subMap(lower, lowerInc, upper, upperInc);
        } else if (lower != null) {
            part = byValue.tailMap(lower, lowerInc);
        } else {
            part = byValue.headMap(upper, upperInc);
        }
        return RoaringBitmap.or(part.values().iterator());
    }

    /** Rows holding a value that contains {@code part} (case-sensitive): one test per distinct value. */
    RoaringBitmap containing(String part) {
        return RoaringBitmap.or(byValue.entrySet().stream().filter(e -> e.getKey().contains(part)).map(java.util.Map.Entry::getValue).iterator());
    }

    RoaringBitmap present() {
        return present;
    }

    int distinctValues() {
        return byValue.size();
    }

    private static final RoaringBitmap EMPTY = new RoaringBitmap();
}
