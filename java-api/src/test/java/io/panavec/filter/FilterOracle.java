package io.panavec.filter;

import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;

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
            case Filter.Range r -> has(rec, r.attribute()) && inRange(schema.type(r.attribute()), (Number) rec.get(r.attribute()), r);
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

    private static boolean equal(AttributeType t, Object stored, Object literal) {
        return switch (t) {
            case KEYWORDS -> ((List<?>) stored).contains(literal);
            case KEYWORD, BOOLEAN -> stored.equals(literal);
            case INT, LONG -> ((Number) stored).longValue() == ((Number) literal).doubleValue()
                    && (literal instanceof Long l ? l == ((Number) stored).longValue() : true);
            case FLOAT -> ((Number) stored).floatValue() == ((Number) literal).floatValue();
            case DOUBLE -> ((Number) stored).doubleValue() == ((Number) literal).doubleValue();
        };
    }

    private static boolean inRange(AttributeType t, Number v, Filter.Range r) {
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
