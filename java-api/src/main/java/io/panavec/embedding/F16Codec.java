package io.panavec.embedding;

import io.panavec.bindings.panavec_embedding_h;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Rows stored as IEEE binary16, rounded to nearest even: {@code 2 * dimension} bytes. Error bound: each element
 * is off by at most half a unit in the last place of binary16, {@code max(|x_i| * 2^-11, 2^-25)}; the bound is
 * the Euclidean norm of those. Values beyond binary16's range (|x| > 65504) are refused, not stored as infinity.
 * Immutable and thread-safe.
 */
final class F16Codec implements RowCodec {
    private static final ValueLayout.OfShort LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private final int dim;

    F16Codec(int dim) {
        this.dim = dim;
    }

    @Override public String spec() { return "f16"; }
    @Override public int dimension() { return dim; }
    @Override public int rowBytes() { return 2 * dim; }
    @Override public boolean isTrained() { return true; }
    @Override public RowCodec train(float[][] sample) { return this; }
    @Override public float[][] parameters() { return new float[0][]; }
    @Override public int nativeEncoding() { return panavec_embedding_h.PV_EMB_F16; }

    @Override
    public double errorBound(float[] x) {
        double s = 0;
        for (float v : x) {
            double e = Math.max(Math.abs(v) * 0x1p-11, 0x1p-25);
            s += e * e;
        }
        return Math.sqrt(s);
    }

    @Override
    public String refusal(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(Float.float16ToFloat(Float.floatToFloat16(x[i])))) {
                return "element " + i + " = " + x[i] + " overflows f16 (largest 65504)";
            }
        }
        return null;
    }

    @Override
    public void encode(float[] x, MemorySegment dst, long off) {
        for (int i = 0; i < dim; i++) {
            dst.set(LE, off + 2L * i, Float.floatToFloat16(x[i]));
        }
    }

    @Override
    public void decode(MemorySegment src, long off, float[] out, int outOff) {
        for (int i = 0; i < dim; i++) {
            out[outOff + i] = Float.float16ToFloat(src.get(LE, off + 2L * i));
        }
    }
}
