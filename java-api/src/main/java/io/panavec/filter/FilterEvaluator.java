package io.panavec.filter;

import io.panavec.attributes.AttributeTable;
import org.roaringbitmap.RoaringBitmap;

/** Evaluates a {@link Filter} on an {@link AttributeTable}'s columns and bitmaps into the matching rows; no per-row lookup. Stateless. */
public final class FilterEvaluator {
    private FilterEvaluator() {}

    /**
     * The rows among the first {@code limit} that satisfy {@code filter}. An unknown attribute or a value of
     * the wrong type throws IllegalArgumentException; nothing is returned for a filter that does not check.
     */
    public static RoaringBitmap evaluate(Filter filter, AttributeTable table, long limit) {
        FilterChecks.check(filter, table.schema());
        return table.query(limit, n -> {
            RoaringBitmap r = eval(filter, table, n);
            if (!r.isEmpty() && r.last() >= n) {
                r.remove(n, 1L << 32);
            }
            return r;
        });
    }

    private static RoaringBitmap eval(Filter f, AttributeTable t, int n) {
        return switch (f) {
            case Filter.Eq e -> t.equal(e.attribute(), e.value(), n);
            case Filter.In in -> {
                RoaringBitmap out = new RoaringBitmap();
                for (Object v : in.values()) out.or(t.equal(in.attribute(), v, n));
                yield out;
            }
            case Filter.Range r -> t.range(r.attribute(), r.lower(), r.lowerInclusive(), r.upper(), r.upperInclusive(), n);
            case Filter.Exists x -> t.present(x.attribute(), n);
            case Filter.Not not -> RoaringBitmap.flip(eval(not.filter(), t, n), 0L, (long) n);
            case Filter.And a -> {
                RoaringBitmap out = eval(a.filters().get(0), t, n);
                for (int i = 1; i < a.filters().size() && !out.isEmpty(); i++) out.and(eval(a.filters().get(i), t, n));
                yield out;
            }
            case Filter.Or o -> {
                RoaringBitmap out = new RoaringBitmap();
                for (Filter g : o.filters()) out.or(eval(g, t, n));
                yield out;
            }
        };
    }
}
