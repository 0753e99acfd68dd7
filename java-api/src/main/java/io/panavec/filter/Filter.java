package io.panavec.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A boolean condition on a row's attributes, built with the static methods here or parsed from text with
 * {@link #parse} (e.g. {@code pos = 'n' AND gloss_chars < 40}). Values are String (keyword), Long or Integer
 * (integral), Double or Float (floating point) and Boolean; each is checked against the schema's type when
 * the filter is evaluated, so a wrongly typed or unknown attribute fails with a message, never silently.
 *
 * <p>Semantics. {@code eq} on a multi-valued keyword matches a row holding the value among its values.
 * Ranges take numbers, or strings on string attributes (lexicographic order); {@code contains} matches a
 * substring of a string value. A row without a value for an attribute fails every {@code eq}, {@code in},
 * range, {@code contains} and {@code exists} on it;
 * {@code not} is the complement over all rows (so {@code not(eq(a, x))} includes rows without {@code a}),
 * while {@code ne(a, x)} is {@code exists(a) and not(eq(a, x))}, as SQL's {@code <>}.
 *
 * <p>Filters are immutable records with value equality (usable as cache keys) and thread-safe. Their
 * nesting is bounded ({@link #MAX_DEPTH}): evaluation and printing recurse, and a deeper filter would end in
 * a {@link StackOverflowError}, so building one throws {@link IllegalArgumentException}.
 */
public sealed interface Filter {
    /** The deepest filter that can be built: a leaf has depth 1, not/and/or one more than their deepest part. */
    int MAX_DEPTH = 100;

    record Eq(String attribute, Object value) implements Filter {
        public Eq {
            Objects.requireNonNull(attribute, "attribute");
            value = FilterValues.literal(value);
        }
    }

    record In(String attribute, List<Object> values) implements Filter {
        public In {
            Objects.requireNonNull(attribute, "attribute");
            if (values.isEmpty()) {
                throw new IllegalArgumentException("in(" + attribute + ") needs at least one value");
            }
            values = values.stream().map(FilterValues::literal).toList();
        }
    }

    /**
     * lower/upper may be null (unbounded); they are numbers (Long or Double) or both strings (compared
     * lexicographically, as {@link String#compareTo}).
     */
    record Range(String attribute, Object lower, boolean lowerInclusive, Object upper, boolean upperInclusive) implements Filter {
        public Range {
            Objects.requireNonNull(attribute, "attribute");
            lower = lower == null ? null : FilterValues.bound(lower, attribute);
            upper = upper == null ? null : FilterValues.bound(upper, attribute);
            if (lower == null && upper == null) {
                throw new IllegalArgumentException("range on " + attribute + " needs a lower or an upper bound");
            }
            if (lower != null && upper != null && (lower instanceof String) != (upper instanceof String)) {
                throw new IllegalArgumentException("range on " + attribute + " mixes a string and a number bound");
            }
        }
    }

    /** A string value (keyword, keywords, any) that contains {@code substring}, case-sensitive. */
    record Contains(String attribute, String substring) implements Filter {
        public Contains {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(substring, "substring");
        }
    }

    record Exists(String attribute) implements Filter {
        public Exists {
            Objects.requireNonNull(attribute, "attribute");
        }
    }

    record Not(Filter filter) implements Filter {
        public Not {
            Objects.requireNonNull(filter, "filter");
            FilterDepth.check(List.of(filter));
        }
    }

    record And(List<Filter> filters) implements Filter {
        public And {
            filters = FilterDepth.operands(filters, "and()");
        }
    }

    record Or(List<Filter> filters) implements Filter {
        public Or {
            filters = FilterDepth.operands(filters, "or()");
        }
    }

    static Filter eq(String attribute, Object value) {
        return new Eq(attribute, value);
    }

    /** {@code exists(attribute) and not(eq(attribute, value))}. */
    static Filter ne(String attribute, Object value) {
        return and(exists(attribute), not(eq(attribute, value)));
    }

    static Filter in(String attribute, Object... values) {
        return new In(attribute, new ArrayList<>(List.of(values)));
    }

    static Filter in(String attribute, List<?> values) {
        return new In(attribute, new ArrayList<>(values));
    }

    /** {@code lower <= value <= upper}. */
    static Filter between(String attribute, Number lower, Number upper) {
        return new Range(attribute, lower, true, upper, true);
    }

    static Filter range(String attribute, Number lower, boolean lowerInclusive, Number upper, boolean upperInclusive) {
        return new Range(attribute, lower, lowerInclusive, upper, upperInclusive);
    }

    static Filter lt(String attribute, Number v) {
        return new Range(attribute, null, false, v, false);
    }

    static Filter le(String attribute, Number v) {
        return new Range(attribute, null, false, v, true);
    }

    static Filter gt(String attribute, Number v) {
        return new Range(attribute, v, false, null, false);
    }

    static Filter ge(String attribute, Number v) {
        return new Range(attribute, v, true, null, false);
    }

    /** Rows with a string value containing {@code substring} (case-sensitive). */
    static Filter contains(String attribute, String substring) {
        return new Contains(attribute, substring);
    }

    static Filter exists(String attribute) {
        return new Exists(attribute);
    }

    static Filter not(Filter f) {
        return new Not(f);
    }

    static Filter and(Filter... fs) {
        return fs.length == 1 ? fs[0] : new And(List.of(fs));
    }

    static Filter or(Filter... fs) {
        return fs.length == 1 ? fs[0] : new Or(List.of(fs));
    }

    /** Parses the text form; a malformed string throws {@link FilterParseException} pointing at the position. */
    static Filter parse(String text) {
        return new FilterParser(text).parse();
    }

    /** The text form, parseable by {@link #parse}. */
    static String text(Filter f) {
        return switch (f) {
            case Eq e -> e.attribute() + " = " + FilterValues.text(e.value());
            case In i -> i.attribute() + " IN (" + i.values().stream().map(FilterValues::text).collect(Collectors.joining(", ")) + ")";
            case Range r -> {
                List<String> parts = new ArrayList<>();
                if (r.lower() != null) parts.add(r.attribute() + (r.lowerInclusive() ? " >= " : " > ") + FilterValues.text(r.lower()));
                if (r.upper() != null) parts.add(r.attribute() + (r.upperInclusive() ? " <= " : " < ") + FilterValues.text(r.upper()));
                yield parts.size() == 1 ? parts.get(0) : "(" + String.join(" AND ", parts) + ")";
            }
            case Exists x -> "EXISTS " + x.attribute();
            case Contains c -> c.attribute() + " CONTAINS " + FilterValues.text(c.substring());
            case Not n -> "NOT (" + text(n.filter()) + ")";
            case And a -> "(" + a.filters().stream().map(Filter::text).collect(Collectors.joining(" AND ")) + ")";
            case Or o -> "(" + o.filters().stream().map(Filter::text).collect(Collectors.joining(" OR ")) + ")";
        };
    }
}

/** The depth bound of {@link Filter#MAX_DEPTH}; parts are already bounded, so the walk is too. */
final class FilterDepth {
    private FilterDepth() {}

    /** The operands of an and() / or(): at least one, copied, within the depth bound. */
    static List<Filter> operands(List<Filter> filters, String what) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException(what + " needs at least one filter");
        }
        List<Filter> copy = List.copyOf(filters);
        check(copy);
        return copy;
    }

    static void check(List<Filter> parts) {
        int d = 1;
        for (Filter f : parts) d = Math.max(d, 1 + depth(f));
        if (d > Filter.MAX_DEPTH) {
            throw new IllegalArgumentException("filter nested " + d + " deep; at most " + Filter.MAX_DEPTH + " levels are supported");
        }
    }

    static int depth(Filter f) {
        return switch (f) {
            case Filter.Not n -> 1 + depth(n.filter());
            case Filter.And a -> 1 + a.filters().stream().mapToInt(FilterDepth::depth).max().orElse(0);
            case Filter.Or o -> 1 + o.filters().stream().mapToInt(FilterDepth::depth).max().orElse(0);
            default -> 1;
        };
    }
}

/** Normalizes and prints literal values. */
final class FilterValues {
    private FilterValues() {}

    static Object literal(Object v) {
        return switch (v) {
            case null -> throw new IllegalArgumentException("filter values must not be null (use exists/not exists)");
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Double d -> requireFinite(d);
            case Float f -> requireFinite((double) f);
            default -> throw new IllegalArgumentException("unsupported filter value " + v + " of " + v.getClass().getSimpleName()
                    + " (String, Long/Integer, Double/Float, Boolean)");
        };
    }

    static Object bound(Object v, String attribute) {
        Object n = literal(v);
        if (!(n instanceof Long || n instanceof Double || n instanceof String)) {
            throw new IllegalArgumentException("range bound on " + attribute + " must be a number or a string, was " + text(n));
        }
        return n;
    }

    private static Double requireFinite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("filter value " + d + " is not a finite number");
        }
        return d;
    }

    static String text(Object v) {
        return switch (v) {
            case String s -> "'" + s.replace("'", "''") + "'";
            case Double d -> String.format(Locale.ROOT, "%s", d);
            default -> v.toString();
        };
    }
}
