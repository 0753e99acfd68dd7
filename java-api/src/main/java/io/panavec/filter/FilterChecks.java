package io.panavec.filter;

import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;

/** Checks a filter against a schema before it is evaluated: every attribute known, every value typed right. */
final class FilterChecks {
    private FilterChecks() {}

    static void check(Filter f, Schema schema) {
        switch (f) {
            case Filter.Eq e -> value(schema, e.attribute(), e.value(), "=");
            case Filter.In in -> in.values().forEach(v -> value(schema, in.attribute(), v, "IN"));
            case Filter.Range r -> {
                AttributeType t = schema.type(r.attribute());
                if (!t.isNumeric()) {
                    throw new IllegalArgumentException("a range needs a numeric attribute; '" + r.attribute() + "' is " + t.text());
                }
            }
            case Filter.Exists x -> schema.type(x.attribute());
            case Filter.Not n -> check(n.filter(), schema);
            case Filter.And a -> a.filters().forEach(g -> check(g, schema));
            case Filter.Or o -> o.filters().forEach(g -> check(g, schema));
        }
    }

    private static void value(Schema schema, String attribute, Object v, String op) {
        AttributeType t = schema.type(attribute);
        boolean ok = switch (t) {
            case INT, LONG -> v instanceof Long || (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63);
            case FLOAT, DOUBLE -> v instanceof Long || v instanceof Double;
            case BOOLEAN -> v instanceof Boolean;
            case KEYWORD, KEYWORDS -> v instanceof String;
        };
        if (!ok) {
            throw new IllegalArgumentException("'" + attribute + "' is " + t.text() + ", it cannot be compared (" + op + ") with "
                    + FilterValues.text(v) + (v instanceof String ? " (a string)" : v instanceof Boolean ? " (a boolean)" : " (a number)"));
        }
    }
}
