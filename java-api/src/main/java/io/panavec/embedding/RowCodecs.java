package io.panavec.embedding;

/**
 * Codecs by name ({@link RowEncoding}'s, and the compressing codecs: {@code pq<m>} product quantization,
 * {@code pca<d'>.<encoding>} low rank): creates an (untrained, where the method learns) codec for a table, and restores a table's codec
 * from its persisted parameters. Further methods register here beside panavec's own. Stateless and thread-safe.
 */
public final class RowCodecs {
    private RowCodecs() {}

    /** A codec of {@code spec} for vectors of {@code dimension}; IllegalArgumentException for an unknown spec. */
    public static RowCodec create(String spec, int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        if (spec != null && PqCodec.names(spec)) {
            return PqCodec.create(spec, dimension);
        }
        if (spec != null && LowRankCodec.names(spec)) {
            return LowRankCodec.create(spec, dimension);
        }
        RowEncoding e = RowEncoding.parse(spec);
        return switch (e) {
            case F32 -> new F32Codec(dimension);
            case F16 -> new F16Codec(dimension);
            case INT8, INT4, LVQ8, LVQ4 -> CodeRowCodec.create(e, dimension);
        };
    }

    /** The codec a table persisted: {@code spec} with its {@link RowCodec#parameters()} (empty: it learned nothing, or not yet). */
    public static RowCodec restore(String spec, int dimension, float[][] parameters) {
        RowCodec codec = create(spec, dimension);
        if (parameters.length == 0) {
            return codec; // untrained until it learns (a table refuses to open rows without their parameters)
        }
        if (PqCodec.names(spec)) {
            return PqCodec.restore(spec, dimension, parameters);
        }
        if (LowRankCodec.names(spec)) {
            return LowRankCodec.restore(spec, dimension, parameters);
        }
        RowEncoding e = RowEncoding.parse(spec);
        if ((e != RowEncoding.LVQ8 && e != RowEncoding.LVQ4) || parameters.length != 1 || parameters[0].length != dimension) {
            throw new IllegalArgumentException(spec + " at dimension " + dimension + " does not take " + parameters.length + " parameter rows");
        }
        for (float v : parameters[0]) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(spec + ": the persisted mean is not finite");
            }
        }
        return CodeRowCodec.withMean(e, parameters[0]);
    }
}
