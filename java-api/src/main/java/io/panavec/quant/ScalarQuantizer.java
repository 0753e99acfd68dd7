package io.panavec.quant;


import java.lang.foreign.MemorySegment;

/**
 * Scalar quantization SQ-B: each dimension i has its own range [lo_i, lo_i + step_i * (2^B - 1)]
 * from the training sample; x_i ~ lo_i + step_i * c_i. The per-dimension map is folded into the
 * prepared query (qt_i = q_i * step_i, C0 = {@code <q, lo>}), so rows carry a = 0, b = 1.
 * Error bound: step_i / 2 per dimension for x inside the trained range (outside it is clamped).
 * Immutable and thread-safe.
 */
public final class ScalarQuantizer implements Quantizer {
    private final QuantSpec spec;
    private final float[] lo, step;

    ScalarQuantizer(QuantSpec spec, float[] lo, float[] step) {
        if (lo.length != step.length) {
            throw new IllegalArgumentException("lo and step differ in length");
        }
        this.spec = spec;
        this.lo = lo.clone();
        this.step = step.clone();
    }

    static ScalarQuantizer train(QuantSpec spec, float[][] sample) {
        int d = sample[0].length, levels = (1 << spec.bits()) - 1;
        float[] lo = new float[d], hi = new float[d], step = new float[d];
        java.util.Arrays.fill(lo, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (float[] x : sample) {
            for (int i = 0; i < d; i++) {
                lo[i] = Math.min(lo[i], x[i]);
                hi[i] = Math.max(hi[i], x[i]);
            }
        }
        for (int i = 0; i < d; i++) {
            float s = (hi[i] - lo[i]) / levels;
            step[i] = s > 0 && Float.isFinite(s) ? s : 0f;
        }
        return new ScalarQuantizer(spec, lo, step);
    }

    @Override public QuantSpec spec() { return spec; }
    @Override public int dimension() { return lo.length; }
    @Override public int codeDimension() { return lo.length; }

    @Override
    public void encode(float[] x, MemorySegment row, long off, MemorySegment residual, long residualOff) {
        int d = lo.length, levels = (1 << spec.bits()) - 1;
        int[] c = new int[d];
        double n2 = 0;
        for (int i = 0; i < d; i++) {
            c[i] = step[i] == 0 ? 0 : Math.max(0, Math.min(levels, Math.round((x[i] - lo[i]) / step[i])));
            float v = lo[i] + step[i] * c[i];
            n2 += (double) v * v;
        }
        CodePacking.putHeader(row, off, 0f, 1f, (float) n2, 0f);
        CodePacking.pack(spec.bits(), c, d, row, off + CodePacking.HEADER_BYTES);
    }

    @Override
    public float[] decode(MemorySegment row, long off, MemorySegment residual, long residualOff) {
        int[] c = CodePacking.unpack(spec.bits(), row, off + CodePacking.HEADER_BYTES, lo.length);
        return CodePacking.affineDecode(c, lo, 0f, step, 1f);
    }

    @Override
    public float[] prepareQuery(float[] q) {
        return CodePacking.affineQuery(q, step, lo);
    }

    @Override
    public double errorBound(float[] x, boolean withResidual) {
        double s = 0;
        for (float v : step) {
            s += (v / 2.0) * (v / 2.0);
        }
        return Math.sqrt(s);
    }

    /** Whether x lies inside the trained ranges (where {@link #errorBound} holds). */
    public boolean inRange(float[] x) {
        int levels = (1 << spec.bits()) - 1;
        for (int i = 0; i < lo.length; i++) {
            if (x[i] < lo[i] || x[i] > lo[i] + step[i] * levels) {
                return false;
            }
        }
        return true;
    }

    @Override
    public float[][] parameters() {
        return new float[][] {lo.clone(), step.clone()};
    }
}
