package io.panavec.bench.ann;

import io.panavec.Metric;
import io.panavec.internal.NativeMetric;

import java.util.Locale;

/**
 * The metric every engine of one {@link AnnReport} run ranks by, from {@code -Dann.metric=ip|l2} (default ip):
 * inner product over unit vectors (the report normalizes base and queries, Lucene's DOT_PRODUCT insists), or
 * squared Euclidean distance over the vectors as they are. Immutable.
 */
public enum AnnMetric {
    IP, L2;

    /** The run's metric. */
    public static final AnnMetric RUN = parse(System.getProperty("ann.metric", "ip"));

    static AnnMetric parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "ip", "angular", "cosine" -> IP;
            case "l2", "euclidean" -> L2;
            default -> throw new IllegalArgumentException("ann.metric: ip or l2, not " + s);
        };
    }

    Metric panavec() {
        return this == IP ? Metric.INNER_PRODUCT : Metric.L2;
    }

    NativeMetric faiss() {
        return this == IP ? NativeMetric.INNER_PRODUCT : NativeMetric.L2;
    }

    org.apache.lucene.index.VectorSimilarityFunction lucene() {
        return this == IP ? org.apache.lucene.index.VectorSimilarityFunction.DOT_PRODUCT : org.apache.lucene.index.VectorSimilarityFunction.EUCLIDEAN;
    }

    io.github.jbellis.jvector.vector.VectorSimilarityFunction jvector() {
        return this == IP ? io.github.jbellis.jvector.vector.VectorSimilarityFunction.DOT_PRODUCT
                : io.github.jbellis.jvector.vector.VectorSimilarityFunction.EUCLIDEAN;
    }

    /** How well {@code a} matches {@code q}, larger is better (the negated squared distance for L2). */
    float score(float[] q, float[] a) {
        float s = 0;
        if (this == IP) {
            for (int i = 0; i < a.length; i++) s += q[i] * a[i];
            return s;
        }
        for (int i = 0; i < a.length; i++) {
            float d = q[i] - a[i];
            s += d * d;
        }
        return -s;
    }

    String text() {
        return this == IP ? "inner product" : "L2 (squared Euclidean distance)";
    }
}
