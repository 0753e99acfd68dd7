package io.panavec;

import io.panavec.bindings.panavec_h;

/** How two vectors are compared. */
public enum Metric {
    /** Dot product; higher is better. */
    INNER_PRODUCT(panavec_h.PV_METRIC_IP, true),
    /** Squared Euclidean distance; lower is better. */
    L2(panavec_h.PV_METRIC_L2, false),
    /** Cosine similarity (0 when a vector has zero norm); higher is better. */
    COSINE(panavec_h.PV_METRIC_COSINE, true);

    private final int nativeCode;
    private final boolean higherIsBetter;

    Metric(int nativeCode, boolean higherIsBetter) {
        this.nativeCode = nativeCode;
        this.higherIsBetter = higherIsBetter;
    }

    /** The PV_METRIC_* constant of panavec.h. */
    public int nativeCode() {
        return nativeCode;
    }

    /** Whether larger scores rank first (similarities) or smaller ones (distances). */
    public boolean higherIsBetter() {
        return higherIsBetter;
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
