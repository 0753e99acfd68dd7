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
    KEYWORDS;

    public boolean isNumeric() {
        return this == INT || this == LONG || this == FLOAT || this == DOUBLE;
    }

    boolean isIntegral() {
        return this == INT || this == LONG;
    }

    /** The name used in schema text and messages: int, long, float, double, boolean, keyword, keywords. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttributeType parse(String s) {
        for (AttributeType t : values()) {
            if (t.text().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown attribute type '" + s + "' (int, long, float, double, boolean, keyword, keywords)");
    }
}
