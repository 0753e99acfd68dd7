package io.panavec.embedding;

import java.util.Objects;

/**
 * What a look-up of a key that is not in a table's vocabulary gives: never an exception. {@link #zeros()}: a zero
 * vector (and, in a bag, the key is left out: it neither adds nor counts toward a mean, like EmbeddingBag's
 * padding index); {@link #key(long)} / {@link #key(String)}: the vector of that key (an "unknown" entry the model
 * was trained with), or zeros while the table does not hold it. Hashing unknown keys into rows is what
 * {@link EmbeddingFeatures} does for a feature whose dedicated table misses. Immutable.
 */
public final class Oov {
    private static final Oov ZEROS = new Oov(null, null);
    private final Long longKey;
    private final String stringKey;

    private Oov(Long longKey, String stringKey) {
        this.longKey = longKey;
        this.stringKey = stringKey;
    }

    /** Unknown keys read as zeros (and are left out of bags). */
    public static Oov zeros() {
        return ZEROS;
    }

    /** Unknown keys read as the vector of {@code key} (in a table with long keys). */
    public static Oov key(long key) {
        return new Oov(key, null);
    }

    /** Unknown keys read as the vector of {@code key} (in a table with string keys). */
    public static Oov key(String key) {
        return new Oov(null, Objects.requireNonNull(key, "key"));
    }

    boolean isZeros() {
        return longKey == null && stringKey == null;
    }

    Long longKey() {
        return longKey;
    }

    String stringKey() {
        return stringKey;
    }

    /** The manifest form: {@code zeros}, {@code long:<key>} or {@code string:<key>}. */
    String text() {
        return isZeros() ? "zeros" : longKey != null ? "long:" + longKey : "string:" + stringKey;
    }

    static Oov parse(String text) {
        if (text.equals("zeros")) {
            return ZEROS;
        }
        if (text.startsWith("long:")) {
            return key(Long.parseLong(text.substring(5)));
        }
        if (text.startsWith("string:")) {
            return key(text.substring(7));
        }
        throw new IllegalArgumentException("unknown out-of-vocabulary policy '" + text + "'");
    }

    @Override
    public String toString() {
        return text();
    }
}
