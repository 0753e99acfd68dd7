package io.panavec.attributes;

import org.roaringbitmap.RoaringBitmap;

import java.util.HashMap;
import java.util.Map;

/**
 * A bitmap index of one keyword, multi-valued keyword or boolean attribute: for every distinct value, the
 * RoaringBitmap of rows holding it, and the rows holding any value. Booleans use the values "true"/"false".
 *
 * <p>Thread safety: appends by one writer under the table's write lock; reads under its read lock.
 */
final class KeywordColumn {
    private final Map<String, RoaringBitmap> byValue = new HashMap<>();
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

    RoaringBitmap present() {
        return present;
    }

    int distinctValues() {
        return byValue.size();
    }

    private static final RoaringBitmap EMPTY = new RoaringBitmap();
}
