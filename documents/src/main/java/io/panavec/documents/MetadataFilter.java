package io.panavec.documents;

import java.util.List;
import java.util.Objects;

/**
 * A condition on documents' metadata, built by the framework adapters from their own filter models and
 * translated by {@link DocumentIndex} into a panavec {@link io.panavec.filter.Filter} on the metadata
 * attributes. Values are as {@link Document} metadata takes them; numbers compare by value across Integer,
 * Long, Float and Double, strings lexicographically, a UUID as its string.
 *
 * <p>Missing keys: a document without the key fails {@code eq}, {@code in}, comparisons, {@code contains}
 * and {@code exists}, and so passes their negations ({@code ne}, {@code notIn}, {@code not(..)}). Immutable.
 */
public sealed interface MetadataFilter {
    enum Op { EQ, GT, GE, LT, LE }

    record Compare(String key, Op op, Object value) implements MetadataFilter {
        public Compare {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(op, "op");
            MetadataCodec.filterValue(value); // refuses null and unsupported types now, not at search time
        }
    }

    record In(String key, List<?> values) implements MetadataFilter {
        public In {
            Objects.requireNonNull(key, "key");
            if (values.isEmpty()) throw new IllegalArgumentException("in(" + key + ") needs at least one value");
            values.forEach(MetadataCodec::filterValue);
            values = List.copyOf(values);
        }
    }

    record Contains(String key, String substring) implements MetadataFilter {
        public Contains {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(substring, "substring");
        }
    }

    record Exists(String key) implements MetadataFilter {
        public Exists {
            Objects.requireNonNull(key, "key");
        }
    }

    record Not(MetadataFilter filter) implements MetadataFilter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }
    }

    record And(List<MetadataFilter> filters) implements MetadataFilter {
        public And {
            filters = List.copyOf(filters);
        }
    }

    record Or(List<MetadataFilter> filters) implements MetadataFilter {
        public Or {
            filters = List.copyOf(filters);
        }
    }

    static MetadataFilter eq(String key, Object value) {
        return new Compare(key, Op.EQ, value);
    }

    /** Not equal: documents without the key pass. */
    static MetadataFilter ne(String key, Object value) {
        return new Not(eq(key, value));
    }

    static MetadataFilter compare(String key, Op op, Object value) {
        return new Compare(key, op, value);
    }

    static MetadataFilter in(String key, List<?> values) {
        return new In(key, values);
    }

    /** Not among {@code values}: documents without the key pass. */
    static MetadataFilter notIn(String key, List<?> values) {
        return new Not(in(key, values));
    }

    static MetadataFilter contains(String key, String substring) {
        return new Contains(key, substring);
    }

    static MetadataFilter exists(String key) {
        return new Exists(key);
    }

    static MetadataFilter not(MetadataFilter f) {
        return new Not(f);
    }

    static MetadataFilter and(MetadataFilter... fs) {
        return new And(List.of(fs));
    }

    static MetadataFilter or(MetadataFilter... fs) {
        return new Or(List.of(fs));
    }
}
