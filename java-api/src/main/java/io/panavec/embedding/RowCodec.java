package io.panavec.embedding;

import java.lang.foreign.MemorySegment;

/**
 * How an {@link EmbeddingTable} stores one row: the seam every row encoding plugs into (one class per method,
 * as {@code quant/} has one per quantizer). A codec encodes a float vector into {@link #rowBytes()} bytes of the
 * table's memory-mapped store and decodes them back; codecs whose rows the native gather kernels read name their
 * layout in {@link #nativeEncoding()}, the others are decoded through {@link #decode} in Java. Each states the
 * error it may make ({@link #errorBound}), which the tests hold it to.
 *
 * <p>Codecs are immutable and thread-safe. A codec that learns from the data (LVQ's mean) is created untrained,
 * {@link #train trained} once on a sample (the table does it on its first batch unless told otherwise) and
 * persisted through {@link #parameters()} ({@link RowCodecs#restore}).
 */
public interface RowCodec {
    /** The encoding's name as {@link RowCodecs#create} reads it ("f32", "int8", "lvq4", ...). */
    String spec();

    /** Dimension of the vectors it encodes. */
    int dimension();

    /** Bytes of one stored row. */
    int rowBytes();

    /** Whether the codec can encode (false until an untrained codec is {@link #train trained}). */
    boolean isTrained();

    /** A trained copy learned from {@code sample} (finite rows of {@link #dimension()}); codecs that learn nothing return this. */
    RowCodec train(float[][] sample);

    /** Encodes {@code x} ({@link #dimension()} finite floats, already checked) into {@code dst} at byte {@code off}. */
    void encode(float[] x, MemorySegment dst, long off);

    /** Decodes the row at byte {@code off} of {@code src} into {@code out[outOff .. outOff + dimension())}: the scalar reference. */
    void decode(MemorySegment src, long off, float[] out, int outOff);

    /**
     * The stated bound on the decode error of {@code x}: {@code ||decode(encode(x)) - x||_2 <= errorBound(x)} (in
     * exact arithmetic; float rounding of the decode adds at most a few ulps of each element).
     */
    double errorBound(float[] x);

    /**
     * Why {@code x} cannot be stored, or null if it can (beyond finiteness and dimension, which the table checks):
     * F16 refuses values beyond its range.
     */
    default String refusal(float[] x) {
        return null;
    }

    /** The learned parameters, persisted with the table (none: an empty array). */
    float[][] parameters();

    /** The row layout the native kernels read ({@code PV_EMB_*} of panavec_embedding.h), or -1: decoded in Java. */
    int nativeEncoding();

    /** The vector the native kernels add to every decoded code row (LVQ's mean), or null. */
    default float[] nativeMean() {
        return null;
    }
}
