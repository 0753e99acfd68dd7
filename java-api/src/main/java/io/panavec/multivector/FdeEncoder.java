package io.panavec.multivector;

import io.panavec.bindings.panavec_multivector_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Encodes token sets as MUVERA Fixed Dimensional Encodings with libpanavec's native encoder
 * ({@code pv_fde_encode}): {@link #encodeQuery} sums each bucket, {@link #encodeDocument} averages it (scaled
 * to unit length when the config normalizes documents, and fills empty buckets when the config says so), so that {@code <encodeQuery(Q), encodeDocument(D)>}
 * approximates the Chamfer similarity of Q and D. The random matrices live in native memory owned by this
 * encoder.
 *
 * <p>Thread-safe: encodings may run from any number of threads; {@link #close()} must not overlap them.
 */
public final class FdeEncoder implements AutoCloseable {
    /** {@code pv_fde_params} of panavec_multivector.h (the list generates functions, not structs). */
    static final StructLayout PARAMS = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("dim"),
            ValueLayout.JAVA_INT.withName("reps"),
            ValueLayout.JAVA_INT.withName("ksim"),
            ValueLayout.JAVA_INT.withName("dproj"),
            ValueLayout.JAVA_INT.withName("dfinal"),
            ValueLayout.JAVA_INT.withName("fill_empty"),
            ValueLayout.ADDRESS.withName("simhash"),
            ValueLayout.ADDRESS.withName("proj"),
            ValueLayout.ADDRESS.withName("sketch_index"),
            ValueLayout.ADDRESS.withName("sketch_sign"),
            ValueLayout.JAVA_INT.withName("doc_norm"),
            MemoryLayout.paddingLayout(4)).withName("pv_fde_params");
    private final FdeConfig config;
    private final int dim;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment params;
    private final FdeMatrices matrices;

    FdeEncoder(FdeMatrices m) {
        this.config = m.config();
        this.dim = m.dim();
        this.matrices = m;
        this.params = arena.allocate(PARAMS);
        params.set(ValueLayout.JAVA_INT, 0, dim);
        params.set(ValueLayout.JAVA_INT, 4, config.reps());
        params.set(ValueLayout.JAVA_INT, 8, config.ksim());
        params.set(ValueLayout.JAVA_INT, 12, config.dproj());
        params.set(ValueLayout.JAVA_INT, 16, config.dfinal());
        params.set(ValueLayout.JAVA_INT, 20, config.fillEmpty() ? 1 : 0);
        params.set(ValueLayout.ADDRESS, 24, copy(m.simhash()));
        params.set(ValueLayout.ADDRESS, 32, copy(m.proj()));
        params.set(ValueLayout.ADDRESS, 40, copyInts(m.sketchIndex()));
        params.set(ValueLayout.ADDRESS, 48, copy(m.sketchSign()));
        params.set(ValueLayout.JAVA_INT, 56, config.normalizeDocuments() ? 1 : 0);
        long nativeDim = panavec_multivector_h.pv_fde_dim(params);
        if (nativeDim != config.dimension()) { // the struct layout and the header disagree: never encode with it
            arena.close();
            throw new IllegalStateException("native FDE dimension " + nativeDim + " != " + config.dimension() + " for " + config);
        }
    }

    /** An encoder whose matrices are drawn from the config's seed for tokens of dimension {@code dim}. */
    public static FdeEncoder create(FdeConfig config, int dim) {
        return new FdeEncoder(FdeMatrices.draw(config, dim));
    }

    private MemorySegment copy(float[] a) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, a.length));
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT, 0, a.length);
        return s;
    }

    private MemorySegment copyInts(int[] a) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, a.length));
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_INT, 0, a.length);
        return s;
    }

    public FdeConfig config() {
        return config;
    }

    /** Token dimension. */
    public int tokenDimension() {
        return dim;
    }

    /** Dimension of the encodings. */
    public int dimension() {
        return config.dimension();
    }

    FdeMatrices matrices() {
        return matrices;
    }

    /** The query encoding (bucket sums) of {@code tokens}. */
    public float[] encodeQuery(float[][] tokens) {
        return encode(TokenSets.pack(tokens, dim, "query"), tokens.length, panavec_multivector_h.PV_FDE_QUERY());
    }

    /** The document encoding (bucket averages, empty buckets filled if configured) of {@code tokens}. */
    public float[] encodeDocument(float[][] tokens) {
        return encode(TokenSets.pack(tokens, dim, "document"), tokens.length, panavec_multivector_h.PV_FDE_DOCUMENT());
    }

    /** Encodes {@code n} tokens already packed and checked ({@link TokenSets#pack}). */
    float[] encode(float[] packed, int n, int kind) {
        float[] out = new float[config.dimension()];
        float[] scratch = new float[Math.toIntExact(panavec_multivector_h.pv_fde_scratch_floats(params, n))];
        panavec_multivector_h.pv_fde_encode(params, kind, MemorySegment.ofArray(packed), n, MemorySegment.ofArray(out),
                MemorySegment.ofArray(scratch));
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
