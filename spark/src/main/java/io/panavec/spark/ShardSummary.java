package io.panavec.spark;

import io.panavec.Metric;
import io.panavec.filter.Filter;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a shard can hold, for pruning (the SQUASH idea): its row count, the centroid of its (stored, so
 * normalized under cosine) vectors with the radius of the ball around it that holds them all, and per
 * attribute the number of rows with a value, the min/max of numeric values and the set of keyword values
 * (up to {@link #MAX_KEYWORDS} distinct; beyond that the set is unknown and never prunes).
 *
 * <p>Both tests are conservative: {@link #mayMatch} is false only when no row of the shard can satisfy the
 * filter, and {@link #scoreBound} is a bound no row's score can beat, so skipping a shard never changes a
 * result. Immutable and serializable (it travels in the broadcast manifest).
 */
record ShardSummary(long rows, float[] centroid, double radius, Map<String, AttributeStats> attributes) implements Serializable {
    static final int MAX_KEYWORDS = 256;

    /** Per attribute: rows with a value; min and max of numeric (and boolean as 0/1) values; keyword values or null (too many). */
    record AttributeStats(long count, double min, double max, TreeSet<String> values) implements Serializable {}

    /** Whether some row of this shard may satisfy {@code f} (null: no filter). */
    boolean mayMatch(Filter f) {
        if (rows == 0) {
            return false;
        }
        if (f == null) {
            return true;
        }
        return switch (f) {
            case Filter.Eq e -> mayEqual(e.attribute(), e.value());
            case Filter.In in -> in.values().stream().anyMatch(v -> mayEqual(in.attribute(), v));
            case Filter.Range r -> {
                AttributeStats s = attributes.get(r.attribute());
                if (s == null || s.count == 0) yield false;
                if (Double.isNaN(s.min)) yield true; // keyword attribute: the filter itself refuses a range on it
                boolean aboveLower = r.lower() == null || (r.lowerInclusive() ? s.max >= num(r.lower()) : s.max > num(r.lower()));
                boolean belowUpper = r.upper() == null || (r.upperInclusive() ? s.min <= num(r.upper()) : s.min < num(r.upper()));
                yield aboveLower && belowUpper;
            }
            case Filter.Exists x -> {
                AttributeStats s = attributes.get(x.attribute());
                yield s != null && s.count > 0;
            }
            case Filter.Not n -> {
                if (n.filter() instanceof Filter.Exists x) { // some row lacks the attribute
                    AttributeStats s = attributes.get(x.attribute());
                    yield s == null || s.count < rows;
                }
                yield true; // the complement of a summary test is not a summary test
            }
            case Filter.And a -> a.filters().stream().allMatch(this::mayMatch);
            case Filter.Or o -> o.filters().stream().anyMatch(this::mayMatch);
        };
    }

    private boolean mayEqual(String attribute, Object value) {
        AttributeStats s = attributes.get(attribute);
        if (s == null || s.count == 0) {
            return false;
        }
        return switch (value) {
            case String v -> s.values == null || s.values.contains(v);
            case Boolean b -> s.min <= (b ? 1 : 0) && (b ? 1 : 0) <= s.max;
            case Long l -> Double.isNaN(s.min) || (s.min <= l && l <= s.max);
            case Double d -> Double.isNaN(s.min) || (s.min <= d && d <= s.max);
            default -> true;
        };
    }

    private static double num(Object v) {
        return ((Number) v).doubleValue();
    }

    /**
     * A bound on the score of any row of the shard for query {@code q} (normalized already under cosine): the
     * highest possible similarity for IP and cosine, the lowest possible squared distance for L2. The rows lie
     * in the ball of {@link #radius} around {@link #centroid}: for IP the bound is {@code q.c + |q| r}; for L2
     * {@code max(0, |q - c| - r)^2}; under cosine the rows are also unit vectors, so they lie in the spherical
     * cap the ball cuts from the unit sphere, of half-angle theta with {@code cos theta = (1 + |c|^2 - r^2) / 2|c|},
     * and the bound is {@code |q| cos(max(0, angle(q, c) - theta))}. Padded by a small margin for float rounding.
     */
    double scoreBound(Metric metric, float[] q) {
        double dot = 0, qq = 0, cc = 0;
        for (int i = 0; i < q.length; i++) {
            dot += (double) q[i] * centroid[i];
            qq += (double) q[i] * q[i];
            cc += (double) centroid[i] * centroid[i];
        }
        double qn = Math.sqrt(qq), cn = Math.sqrt(cc);
        if (metric == Metric.L2) {
            double dist = Math.sqrt(Math.max(0, qq - 2 * dot + cc));
            double gap = Math.max(0, dist - radius);
            return Math.max(0, gap * gap * (1 - 1e-5) - 1e-6);
        }
        double ball = dot + qn * radius;
        if (metric == Metric.COSINE && cn > 1e-6 && qn > 0) {
            double cosTheta = (1 + cc - radius * radius) / (2 * cn);
            double theta = Math.acos(Math.max(-1, Math.min(1, cosTheta)));
            double phi = Math.acos(Math.max(-1, Math.min(1, dot / (qn * cn))));
            ball = Math.min(ball, qn * Math.cos(Math.max(0, phi - theta)));
        }
        return ball + 1e-5 * (Math.abs(ball) + qn) + 1e-6;
    }

    /** How close the query is to the centroid (higher is closer): the order in which a query probes shards. */
    double centroidScore(Metric metric, float[] q) {
        double s = 0;
        for (int i = 0; i < q.length; i++) {
            s += metric == Metric.L2 ? -((double) q[i] - centroid[i]) * ((double) q[i] - centroid[i]) : (double) q[i] * centroid[i];
        }
        return s;
    }

    /** Whether a row of this shard may score at least as well as {@code threshold}. */
    boolean mayReach(Metric metric, float[] q, double threshold) {
        double b = scoreBound(metric, q);
        return metric == Metric.L2 ? b <= threshold : b >= threshold;
    }

    /** Accumulates a summary while a shard is built. Not thread-safe. */
    static final class Builder {
        private static final class Acc {
            long count;
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            TreeSet<String> values = new TreeSet<>(); // null once past MAX_KEYWORDS
            boolean keyword;

            void keyword(String v) {
                keyword = true;
                if (values != null && values.add(v) && values.size() > MAX_KEYWORDS) values = null;
            }

            void number(double v) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }

        private final Map<String, Acc> attributes = new TreeMap<>();

        void attribute(String name, Object value) {
            if (value == null) {
                return;
            }
            Acc a = attributes.computeIfAbsent(name, n -> new Acc());
            a.count++;
            switch (value) {
                case String s -> a.keyword(s);
                case Boolean b -> a.number(b ? 1 : 0);
                case Number n -> a.number(n.doubleValue());
                case java.util.List<?> l -> l.forEach(o -> a.keyword(String.valueOf(o)));
                default -> throw new IllegalArgumentException("attribute " + name + ": unsupported value " + value.getClass().getSimpleName());
            }
        }

        ShardSummary build(long rows, float[] centroid, double radius) {
            Map<String, AttributeStats> out = new TreeMap<>();
            attributes.forEach((name, a) -> out.put(name, a.keyword
                    ? new AttributeStats(a.count, Double.NaN, Double.NaN, a.values)
                    : new AttributeStats(a.count, a.min, a.max, null)));
            return new ShardSummary(rows, centroid, radius, out);
        }
    }
}
