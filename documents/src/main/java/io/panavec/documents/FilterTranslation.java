package io.panavec.documents;

import io.panavec.filter.Filter;
import io.panavec.attributes.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Translates a {@link MetadataFilter} into a panavec {@link Filter} on the metadata attributes of a schema.
 * A key the schema does not have (no document ever had it) makes its predicate constant false, folded away
 * through not/and/or, so the result is a filter, "everything" or "nothing".
 */
final class FilterTranslation {
    private FilterTranslation() {}

    /** A filter, or a constant: {@code filter == null} and {@code all} says which. */
    record Result(Filter filter, boolean all) {
        static final Result ALL = new Result(null, true);
        static final Result NONE = new Result(null, false);

        boolean isNone() {
            return filter == null && !all;
        }
    }

    static Result translate(MetadataFilter f, Schema schema) {
        return switch (f) {
            case MetadataFilter.Compare c -> known(schema, c.key()) ? new Result(compare(c), false) : Result.NONE;
            case MetadataFilter.In in -> known(schema, in.key())
                    ? new Result(Filter.in(MetadataCodec.attribute(in.key()), in.values().stream().map(MetadataCodec::filterValue).toList()), false)
                    : Result.NONE;
            case MetadataFilter.Contains c -> known(schema, c.key())
                    ? new Result(Filter.contains(MetadataCodec.attribute(c.key()), c.substring()), false) : Result.NONE;
            case MetadataFilter.Exists x -> known(schema, x.key()) ? new Result(Filter.exists(MetadataCodec.attribute(x.key())), false) : Result.NONE;
            case MetadataFilter.Not n -> {
                Result r = translate(n.filter(), schema);
                yield r.filter() == null ? (r.all() ? Result.NONE : Result.ALL) : new Result(Filter.not(r.filter()), false);
            }
            case MetadataFilter.And a -> combine(a.filters(), schema, true);
            case MetadataFilter.Or o -> combine(o.filters(), schema, false);
        };
    }

    private static Result combine(List<MetadataFilter> parts, Schema schema, boolean and) {
        List<Filter> kept = new ArrayList<>();
        for (MetadataFilter p : parts) {
            Result r = translate(p, schema);
            if (r.filter() != null) kept.add(r.filter());
            else if (r.all() != and) return r; // false in an AND, true in an OR decides it
        }
        if (kept.isEmpty()) return and ? Result.ALL : Result.NONE;
        Filter[] fs = kept.toArray(Filter[]::new);
        return new Result(and ? Filter.and(fs) : Filter.or(fs), false);
    }

    private static boolean known(Schema schema, String key) {
        return schema.has(MetadataCodec.attribute(key));
    }

    private static Filter compare(MetadataFilter.Compare c) {
        String a = MetadataCodec.attribute(c.key());
        Object v = MetadataCodec.filterValue(c.value());
        return switch (c.op()) {
            case EQ -> Filter.eq(a, v);
            case GT -> new Filter.Range(a, v, false, null, false);
            case GE -> new Filter.Range(a, v, true, null, false);
            case LT -> new Filter.Range(a, null, false, v, false);
            case LE -> new Filter.Range(a, null, false, v, true);
        };
    }
}
