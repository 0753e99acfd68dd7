package io.panavec.embedding;

import io.panavec.bindings.panavec_embedding_h;
import io.panavec.quant.QuantSpec;
import io.panavec.quant.Quantizer;
import io.panavec.quant.Quantizers;

import java.lang.foreign.MemorySegment;

/**
 * Rows of 8- or 4-bit codes with a per-row offset and step, in the code-row layout of {@code quant/} (a 16-byte
 * header, codes packed over the dimension rounded up to 32), encoded by {@code quant/}'s LVQ quantizer:
 * {@code int8} / {@code int4} quantize each row between its own minimum and maximum; {@code lvq8} / {@code lvq4}
 * first subtract the table's mean (learned from a sample: LVQ, Aguerrebere et al.), which narrows each row's
 * range on data with a common offset. Error bound: each element is off by at most half a step,
 * {@code step = (max - min) / (2^bits - 1)} of the (centred) row, so {@code sqrt(dimension) * step / 2} in
 * Euclidean norm. Immutable and thread-safe.
 */
final class CodeRowCodec implements RowCodec {
    private final RowEncoding encoding;
    private final int dim;
    private final int bits;
    private final Quantizer quantizer; // null: LVQ not trained yet
    private final float[] mean;        // null for int8 / int4

    private CodeRowCodec(RowEncoding encoding, int dim, float[] mean, boolean trained) {
        this.encoding = encoding;
        this.dim = dim;
        this.bits = encoding == RowEncoding.INT8 || encoding == RowEncoding.LVQ8 ? 8 : 4;
        boolean centred = encoding == RowEncoding.LVQ8 || encoding == RowEncoding.LVQ4;
        this.mean = centred && mean != null ? mean.clone() : null;
        this.quantizer = trained ? Quantizers.fromParameters(new QuantSpec(QuantSpec.Kind.LVQ, bits, 0, 0), dim,
                new float[][] {this.mean != null ? this.mean : new float[dim]}) : null;
    }

    /** int8 / int4 (trained: nothing to learn), or an untrained lvq8 / lvq4. */
    static CodeRowCodec create(RowEncoding encoding, int dim) {
        boolean centred = encoding == RowEncoding.LVQ8 || encoding == RowEncoding.LVQ4;
        return new CodeRowCodec(encoding, dim, null, !centred);
    }

    /** lvq8 / lvq4 with a known mean (restored from the table's parameters). */
    static CodeRowCodec withMean(RowEncoding encoding, float[] mean) {
        return new CodeRowCodec(encoding, mean.length, mean, true);
    }

    @Override public String spec() { return encoding.spec(); }
    @Override public int dimension() { return dim; }
    @Override public int rowBytes() { return (int) panavec_embedding_h.pv_emb_row_bytes(nativeEncoding(), dim); }
    @Override public boolean isTrained() { return quantizer != null; }

    @Override
    public int nativeEncoding() {
        return bits == 8 ? panavec_embedding_h.PV_EMB_CODES8 : panavec_embedding_h.PV_EMB_CODES4;
    }

    @Override
    public float[] nativeMean() {
        return mean == null ? null : mean.clone();
    }

    @Override
    public RowCodec train(float[][] sample) {
        if (mean == null && !(encoding == RowEncoding.LVQ8 || encoding == RowEncoding.LVQ4)) {
            return this;
        }
        double[] s = new double[dim];
        for (float[] x : sample) {
            for (int i = 0; i < dim; i++) s[i] += x[i];
        }
        float[] mu = new float[dim];
        for (int i = 0; i < dim; i++) mu[i] = (float) (s[i] / sample.length);
        return withMean(encoding, mu);
    }

    @Override
    public float[][] parameters() {
        return mean == null ? new float[0][] : new float[][] {mean.clone()};
    }

    private Quantizer quantizer() {
        if (quantizer == null) {
            throw new IllegalStateException(spec() + " rows need the table's mean: train the codec on a sample first");
        }
        return quantizer;
    }

    @Override
    public void encode(float[] x, MemorySegment dst, long off) {
        quantizer().encode(x, dst, off, null, 0);
    }

    @Override
    public void decode(MemorySegment src, long off, float[] out, int outOff) {
        System.arraycopy(quantizer().decode(src, off, null, 0), 0, out, outOff, dim);
    }

    @Override
    public double errorBound(float[] x) {
        return quantizer().errorBound(x, false);
    }
}
