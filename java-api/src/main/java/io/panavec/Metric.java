package io.panavec;

import io.panavec.internal.NativeMetric;
import io.panavec.internal.Vectors;

/** How two vectors are compared. */
public enum Metric {
    /** Dot product; higher is better. */
    INNER_PRODUCT(NativeMetric.INNER_PRODUCT),
    /** Squared Euclidean distance; lower is better. */
    L2(NativeMetric.L2),
    /** Cosine similarity (0 when a vector has zero norm); higher is better. */
    COSINE(NativeMetric.COSINE);

    private final NativeMetric kernels; // the engines' view of this metric (they sit below this package)

    Metric(NativeMetric kernels) {
        this.kernels = kernels;
    }

    /** The PV_METRIC_* constant of panavec.h. */
    public int nativeCode() {
        return kernels.code();
    }

    /** Whether larger scores rank first (similarities) or smaller ones (distances). */
    public boolean higherIsBetter() {
        return kernels.higherIsBetter();
    }

    /**
     * {@code v} as an index of this metric stores and searches it: for {@link #COSINE} a unit-length copy
     * (computed in double; a zero vector stays zero), for the others {@code v} itself.
     */
    public float[] prepare(float[] v) {
        return this == COSINE ? Vectors.normalized(v) : v;
    }

    /** Every vector of {@code vs} {@linkplain #prepare(float[]) prepared} (for {@link #COSINE} new arrays, otherwise {@code vs}). */
    public float[][] prepare(float[][] vs) {
        return this == COSINE ? Vectors.normalized(vs) : vs;
    }

    /** Parses "ip", "inner_product", "l2", "cosine" (any case). */
    public static Metric parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "ip", "inner_product", "dot" -> INNER_PRODUCT;
            case "l2", "euclidean" -> L2;
            case "cos", "cosine" -> COSINE;
            default -> throw new IllegalArgumentException("unknown metric '" + s + "' (expected ip, l2 or cosine)");
        };
    }
}
