package io.panavec.internal;

import io.panavec.bindings.panavec_h;

/**
 * A metric as the engines and kernels take it. The public {@code io.panavec.Metric} names one of these by
 * its PV_METRIC_* code ({@link #ofCode}); the engines, graph, quantizers and FAISS handle use this type so
 * that they do not depend on the API package above them.
 */
public enum NativeMetric {
    /** Dot product; higher is better. */
    INNER_PRODUCT(panavec_h.PV_METRIC_IP, true),
    /** Squared Euclidean distance; lower is better. */
    L2(panavec_h.PV_METRIC_L2, false),
    /** Cosine similarity (0 when a vector has zero norm); higher is better. */
    COSINE(panavec_h.PV_METRIC_COSINE, true);

    private final int code;
    private final boolean higherIsBetter;

    NativeMetric(int code, boolean higherIsBetter) {
        this.code = code;
        this.higherIsBetter = higherIsBetter;
    }

    /** The PV_METRIC_* constant of panavec.h. */
    public int code() {
        return code;
    }

    /** Whether larger scores rank first (similarities) or smaller ones (distances). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * The code of the metric graph walks, quantized codes and FAISS score with: cosine indexes hold unit
     * vectors, so they run as inner product (those kernels know IP and L2 only).
     */
    public int unitVectorCode() {
        return this == L2 ? panavec_h.PV_METRIC_L2 : panavec_h.PV_METRIC_IP;
    }

    /** The metric whose PV_METRIC_* code is {@code code}. */
    public static NativeMetric ofCode(int code) {
        for (NativeMetric m : values()) {
            if (m.code == code) return m;
        }
        throw new IllegalArgumentException("no PV_METRIC code " + code);
    }
}
