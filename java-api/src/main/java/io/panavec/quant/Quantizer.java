package io.panavec.quant;


import java.lang.foreign.MemorySegment;

/**
 * A trained vector quantizer: encodes float vectors into code rows (layout of {@link CodePacking})
 * that the native kernels score without decoding, decodes them back, and prepares queries for the
 * kernels. Create with {@link Quantizers#train}, persisted in the index's code file.
 * Implementations are immutable and thread-safe.
 */
public sealed interface Quantizer permits ScalarQuantizer, LvqQuantizer, LeanVecQuantizer, BinaryQuantizer {
    QuantSpec spec();

    /** Dimension of the vectors it encodes. */
    int dimension();

    /** Dimension of the code space (smaller than {@link #dimension} for LeanVec). */
    int codeDimension();

    /** Bytes of one primary code row (header + codes). */
    default int rowBytes() {
        return CodePacking.rowBytes(spec().bits(), codeDimension());
    }

    /**
     * Bytes of one second-level row, 0 if the method has none: the residual codes of two-level LVQ, or
     * LeanVec's secondary codes (a full-dimension LVQ row with its header). Read only to re-rank.
     */
    default int residualBytes() {
        int b = spec().residualBits();
        return b == 0 ? 0 : CodePacking.codeBytes(b, codeDimension());
    }

    /** Encodes x (dimension floats) into a primary row at row[off] and, if the method has one, its residual row. */
    void encode(float[] x, MemorySegment row, long off, MemorySegment residual, long residualOff);

    /**
     * Encodes {@code n} float32 vectors stored back to back in native memory {@code x} (finite: the caller
     * checks) into primary rows at {@code rows[rowsOff..]} and second-level rows at {@code residual[residualOff..]}.
     * This default encodes one vector at a time; LVQ and LeanVec encode the whole batch in native code.
     */
    default void encodeRows(MemorySegment x, long n, MemorySegment rows, long rowsOff, MemorySegment residual, long residualOff) {
        int d = dimension();
        for (long i = 0; i < n; i++) {
            float[] v = x.asSlice(i * d * Float.BYTES, (long) d * Float.BYTES).toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
            encode(v, rows, rowsOff + i * rowBytes(), residual, residualOff + i * residualBytes());
        }
    }

    /** Decodes a primary row (residual == null) or both levels, to dimension floats. */
    float[] decode(MemorySegment row, long off, MemorySegment residual, long residualOff);

    /**
     * The prepared query of panavec_quant.h for q (padded code dimension + {@link CodePacking#QUERY_EXTRA}
     * floats); the same for IP and L2, which the kernels are told separately (cosine: normalized vectors, IP).
     */
    float[] prepareQuery(float[] q);

    /**
     * The stated bound on the Euclidean decode error ||decode(encode(x)) - x|| for this x (with the
     * residual level if withResidual and the method has one). For SQ it holds for x inside the
     * trained per-dimension ranges (values outside are clamped).
     */
    double errorBound(float[] x, boolean withResidual);

    /** The trained parameters, in a fixed order per method (for the code file). */
    float[][] parameters();
}
