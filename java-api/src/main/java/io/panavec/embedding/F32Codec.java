package io.panavec.embedding;

import io.panavec.bindings.panavec_embedding_h;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Rows stored as IEEE binary32, exactly: error bound 0, {@code 4 * dimension} bytes. Immutable and thread-safe. */
final class F32Codec implements RowCodec {
    static final ValueLayout.OfFloat LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private final int dim;

    F32Codec(int dim) {
        this.dim = dim;
    }

    @Override public String spec() { return "f32"; }
    @Override public int dimension() { return dim; }
    @Override public int rowBytes() { return 4 * dim; }
    @Override public boolean isTrained() { return true; }
    @Override public RowCodec train(float[][] sample) { return this; }
    @Override public float[][] parameters() { return new float[0][]; }
    @Override public int nativeEncoding() { return panavec_embedding_h.PV_EMB_F32; }
    @Override public double errorBound(float[] x) { return 0; }

    @Override
    public void encode(float[] x, MemorySegment dst, long off) {
        MemorySegment.copy(x, 0, dst, LE, off, dim);
    }

    @Override
    public void decode(MemorySegment src, long off, float[] out, int outOff) {
        MemorySegment.copy(src, LE, off, out, outOff, dim);
    }
}
