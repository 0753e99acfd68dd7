package io.panavec.attributes;

import java.util.Locale;

/** The type of one attribute in a {@link Schema}. */
public enum AttributeType {
    /** 32-bit signed integer (held as long; values outside int range are refused). */
    INT,
    LONG,
    /** 32-bit float (compared as the float nearest to a literal). */
    FLOAT,
    DOUBLE,
    BOOLEAN,
    /** One exact-match string. */
    KEYWORD,
    /** Any number of exact-match strings; {@code eq} matches a row holding the value among them. */
    KEYWORDS,
    /**
     * A value of any of the kinds above per row (integral, floating point, boolean or string), for keys whose
     * type differs between rows (schemaless metadata): numbers compare with numbers (an integral value with a
     * floating one by value), strings with strings, booleans with booleans; a row holding another kind fails
     * the comparison as a row without a value does.
     */
    ANY,
    /** Stored, not indexed: text of any length given back with the row's attributes; no filter can use it. */
    TEXT;

    /** Whether filters can use the attribute (every type but {@link #TEXT}). */
    public boolean isIndexed() {
        return this != TEXT;
    }

    /** Whether string comparisons ({@code <}, {@code CONTAINS}) apply: keyword, keywords, any. */
    public boolean holdsStrings() {
        return this == KEYWORD || this == KEYWORDS || this == ANY;
    }

    public boolean isNumeric() {
        return this == INT || this == LONG || this == FLOAT || this == DOUBLE;
    }

    boolean isIntegral() {
        return this == INT || this == LONG;
    }

    /** The name used in schema text and messages: int, long, float, double, boolean, keyword, keywords, any, text. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttributeType parse(String s) {
        for (AttributeType t : values()) {
            if (t.text().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown attribute type '" + s + "' (int, long, float, double, boolean, keyword, keywords, any, text)");
    }
}
