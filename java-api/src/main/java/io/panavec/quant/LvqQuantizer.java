package io.panavec.quant;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Locally-adaptive vector quantization (LVQ, Aguerrebere et al.): the data is centred on its mean,
 * then each vector gets its own bias and step from its own minimum and maximum, y_i ~ lo + step*c_i
 * with c_i of B bits. Two-level LVQ-B1xB2 codes the residual (in [-step/2, step/2]) with B2 more
 * bits of step step/(2^B2 - 1). Encoding runs in native code ({@code pv_lvq_encode}), a batch per call.
 * Error bound: per coordinate step/2 (step2/2 with the residual); in Euclidean norm sqrt(d) * step/2.
 * (LeanVec, LVQ codes of a projection, is {@link LeanVecQuantizer}.) Immutable and thread-safe.
 */
public final class LvqQuantizer implements Quantizer {
    private final QuantSpec spec;
    private final float[] mu;
    private final MemorySegment nativeMu; // mu for the encoder, freed with this quantizer
    private final int dim;

    LvqQuantizer(QuantSpec spec, float[] mu) {
        this.spec = spec;
        this.mu = mu.clone();
        this.dim = mu.length;
        this.nativeMu = LvqEncoding.nativeCopy(Arena.ofAuto(), this.mu);
    }

    @Override public QuantSpec spec() { return spec; }
    @Override public int dimension() { return dim; }
    @Override public int codeDimension() { return dim; }

    @Override
    public void encode(float[] x, MemorySegment row, long off, MemorySegment residual, long residualOff) {
        LvqEncoding.encodeOne(this, x, row, off, residual, residualOff);
    }

    @Override
    public void encodeRows(MemorySegment x, long n, MemorySegment rows, long rowsOff, MemorySegment residual, long residualOff) {
        int bits2 = spec.residualBits();
        LvqEncoding.encode(x, n, dim, nativeMu, null, dim, spec.bits(), bits2, false,
                rows.asSlice(rowsOff, n * rowBytes()), bits2 == 0 ? null : residual.asSlice(residualOff, n * residualBytes()));
    }

    @Override
    public float[] decode(MemorySegment row, long off, MemorySegment residual, long residualOff) {
        float lo = CodePacking.header(row, off, 0), step = CodePacking.header(row, off, 1);
        int[] c = CodePacking.unpack(spec.bits(), row, off + CodePacking.HEADER_BYTES, dim);
        float[] x = mu.clone();
        if (residual != null && spec.residualBits() > 0) {
            int[] c2 = CodePacking.unpack(spec.residualBits(), residual, residualOff, dim);
            float step2 = step / ((1 << spec.residualBits()) - 1), base = lo - 0.5f * step;
            for (int i = 0; i < dim; i++) {
                x[i] += base + step * c[i] + step2 * c2[i];
            }
        } else {
            for (int i = 0; i < dim; i++) {
                x[i] += lo + step * c[i];
            }
        }
        return x;
    }

    @Override
    public float[] prepareQuery(float[] q) {
        return CodePacking.affineQuery(q, null, mu);
    }

    @Override
    public double errorBound(float[] x, boolean withResidual) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < dim; i++) {
            float v = x[i] - mu[i];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double step = stepOf(lo, hi, spec.bits());
        if (withResidual && spec.residualBits() > 0) {
            step /= (1 << spec.residualBits()) - 1;
        }
        return Math.sqrt(dim * (step / 2) * (step / 2));
    }

    /** The step of a row whose coordinates span [lo, hi] (0 for a constant row), as the encoder computes it. */
    static double stepOf(float lo, float hi, int bits) {
        float s = (hi - lo) / ((1 << bits) - 1);
        return s > 0 && Float.isFinite(s) ? s : 0f;
    }

    @Override
    public float[][] parameters() {
        return new float[][] {mu.clone()};
    }
}
