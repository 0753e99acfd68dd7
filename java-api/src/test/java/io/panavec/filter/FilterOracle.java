package io.panavec.filter;

import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * An independent, row-at-a-time evaluation of a {@link Filter} on a plain attribute map, written from the
 * documented semantics (not from the bitmap code): the oracle the bitmap evaluation is tested against.
 */
public final class FilterOracle {
    private FilterOracle() {}

    public static boolean test(Filter f, Map<String, Object> rec, Schema schema) {
        return switch (f) {
            case Filter.Eq e -> has(rec, e.attribute()) && equal(schema.type(e.attribute()), rec.get(e.attribute()), e.value());
            case Filter.In in -> has(rec, in.attribute())
                    && in.values().stream().anyMatch(v -> equal(schema.type(in.attribute()), rec.get(in.attribute()), v));
            case Filter.Range r -> has(rec, r.attribute()) && values(rec.get(r.attribute())).stream()
                    .anyMatch(v -> inRange(schema.type(r.attribute()), v, r));
            case Filter.Contains c -> has(rec, c.attribute()) && values(rec.get(c.attribute())).stream()
                    .anyMatch(v -> v instanceof String s && s.contains(c.substring()));
            case Filter.Exists x -> has(rec, x.attribute());
            case Filter.Not n -> !test(n.filter(), rec, schema);
            case Filter.And a -> a.filters().stream().allMatch(g -> test(g, rec, schema));
            case Filter.Or o -> o.filters().stream().anyMatch(g -> test(g, rec, schema));
        };
    }

    private static boolean has(Map<String, Object> rec, String a) {
        Object v = rec.get(a);
        return v != null && !(v instanceof Collection<?> c && c.isEmpty());
    }

    private static List<?> values(Object stored) {
        return stored instanceof List<?> l ? l : List.of(stored);
    }

    private static boolean equal(AttributeType t, Object stored, Object literal) {
        return switch (t) {
            case KEYWORDS -> ((List<?>) stored).contains(literal);
            case KEYWORD, BOOLEAN -> stored.equals(literal);
            case INT, LONG -> ((Number) stored).longValue() == ((Number) literal).doubleValue()
                    && (literal instanceof Long l ? l == ((Number) stored).longValue() : true);
            case FLOAT -> ((Number) stored).floatValue() == ((Number) literal).floatValue();
            case DOUBLE -> ((Number) stored).doubleValue() == ((Number) literal).doubleValue();
            // numbers by exact value (an integral value is never rounded to a double), else same kind and equal
            case ANY -> stored instanceof Number a && literal instanceof Number b
                    ? compare(a, b) == 0
                    : stored.equals(literal);
            case TEXT -> throw new IllegalArgumentException("text is not filterable");
        };
    }

    private static int compare(Number a, Number b) {
        return exact(a).compareTo(exact(b));
    }

    private static BigDecimal exact(Number n) {
        return n instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal(n.doubleValue());
    }

    private static boolean inRange(AttributeType t, Object stored, Filter.Range r) {
        if (r.lower() instanceof String || r.upper() instanceof String) {
            if (!(stored instanceof String s)) return false;
            if (r.lower() != null) {
                int c = s.compareTo((String) r.lower());
                if (r.lowerInclusive() ? c < 0 : c <= 0) return false;
            }
            if (r.upper() != null) {
                int c = s.compareTo((String) r.upper());
                if (r.upperInclusive() ? c > 0 : c >= 0) return false;
            }
            return true;
        }
        if (!(stored instanceof Number v)) return false;
        if (t == AttributeType.ANY) {
            if (r.lower() != null) {
                int c = compare(v, (Number) r.lower());
                if (r.lowerInclusive() ? c < 0 : c <= 0) return false;
            }
            if (r.upper() != null) {
                int c = compare(v, (Number) r.upper());
                if (r.upperInclusive() ? c > 0 : c >= 0) return false;
            }
            return true;
        }
        double x = t == AttributeType.FLOAT ? v.floatValue() : v.doubleValue();
        if (r.lower() != null) {
            double lo = t == AttributeType.FLOAT ? ((Number) r.lower()).floatValue() : ((Number) r.lower()).doubleValue();
            if (r.lowerInclusive() ? x < lo : x <= lo) return false;
        }
        if (r.upper() != null) {
            double hi = t == AttributeType.FLOAT ? ((Number) r.upper()).floatValue() : ((Number) r.upper()).doubleValue();
            if (r.upperInclusive() ? x > hi : x >= hi) return false;
        }
        return true;
    }
}
