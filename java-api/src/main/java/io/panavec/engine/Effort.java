package io.panavec.engine;

/**
 * How hard a search may work: the graph beam ({@code ef}), FAISS's IVF lists ({@code nprobe}) and the
 * re-rank depth of a quantized search ({@code rerank}); 0 leaves each to the engine's default.
 */
public record Effort(int ef, int nprobe, int rerank) {
    public static final Effort DEFAULT = new Effort(0, 0, 0);

    public Effort {
        if (ef < 0 || nprobe < 0 || rerank < 0) {
            throw new IllegalArgumentException("efforts must be >= 0: ef " + ef + ", nprobe " + nprobe + ", rerank " + rerank);
        }
    }

    public Effort withEf(int e) {
        return new Effort(e, nprobe, rerank);
    }
}
