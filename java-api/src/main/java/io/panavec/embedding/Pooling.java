package io.panavec.embedding;

import io.panavec.bindings.panavec_embedding_h;

/** How a bag of values (a multi-valued feature of one example) becomes one vector, as in PyTorch's EmbeddingBag. An empty bag gives zeros. */
public enum Pooling {
    /** The sum of the bag's vectors. */
    SUM(panavec_embedding_h.PV_EMB_POOL_SUM),
    /** Their mean. */
    MEAN(panavec_embedding_h.PV_EMB_POOL_MEAN),
    /** Their elementwise maximum. */
    MAX(panavec_embedding_h.PV_EMB_POOL_MAX);

    private final int code;

    Pooling(int code) {
        this.code = code;
    }

    /** The {@code PV_EMB_POOL_*} code of the native kernels. */
    int code() {
        return code;
    }
}
