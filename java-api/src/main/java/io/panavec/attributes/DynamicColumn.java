package io.panavec.attributes;

import org.roaringbitmap.RoaringBitmap;

/**
 * One {@link AttributeType#ANY} attribute: a value of any kind per row, kept in one column per kind
 * (integral, floating point, string, boolean) so that each comparison runs on the column of its kind: a
 * number against both numeric columns (by value), a string against the strings, a boolean against the
 * booleans.
 *
 * <p>Thread safety: as {@link NumericColumn} and {@link KeywordColumn} (the table's lock).
 */
final class DynamicColumn {
    private final NumericColumn integral = new NumericColumn(AttributeType.LONG);
    private final NumericColumn floating = new NumericColumn(AttributeType.DOUBLE);
    private final KeywordColumn strings = new KeywordColumn();
    private final KeywordColumn booleans = new KeywordColumn();

    void append(int row, Object value) {
        switch (value) {
            case null -> { }
            case Long l -> integral.append(row, l);
            case Double d -> floating.append(row, d);
            case Boolean b -> booleans.append(row, b);
            case String s -> strings.append(row, s);
            default -> throw new IllegalStateException("not an 'any' value: " + value);
        }
    }

    /** Rows holding {@code value} (Long, Double, Boolean or String) among the first {@code limit}. */
    RoaringBitmap eq(Object value, int limit) {
        return switch (value) {
            case Boolean b -> booleans.rows(b.toString()).clone();
            case String s -> strings.rows(s).clone();
            default -> range(value, true, value, true, limit);
        };
    }

    /** A numeric range over both numeric columns, or a string range over the strings (bounds of one kind). */
    RoaringBitmap range(Object lower, boolean lowerInc, Object upper, boolean upperInc, int limit) {
        if (lower instanceof String || upper instanceof String) {
            return strings.range((String) lower, lowerInc, (String) upper, upperInc);
        }
        RoaringBitmap out = integral.range(lower, lowerInc, upper, upperInc, limit);
        out.or(floating.range(lower, lowerInc, upper, upperInc, limit));
        return out;
    }

    RoaringBitmap containing(String part) {
        return strings.containing(part);
    }

    RoaringBitmap present() {
        return RoaringBitmap.or(integral.present(), floating.present(), strings.present(), booleans.present());
    }
}
