package io.panavec.quant;


import java.lang.foreign.MemorySegment;

/**
 * Binary codes, 1 bit per dimension after centring: bit_i = (x_i - mu_i > 0), decoded as
 * mu + alpha * sign with alpha = mean_i |x_i - mu_i| (the least-squares scale), stored as the row
 * header a = -alpha, b = 2 alpha. Queries stay float (asymmetric scoring): a cheap first pass to be
 * re-ranked. Error: with z = x - mu, x - decode(x) = sign(z) (|z| - alpha) per coordinate, so
 * ||x - decode(x)||^2 = ||z||^2 - d alpha^2 exactly (the least-squares sign code; decoding to mu would
 * leave ||z||); {@link #errorBound} returns that.
 * Immutable and thread-safe.
 */
public final class BinaryQuantizer implements Quantizer {
    private final QuantSpec spec;
    private final float[] mu;

    BinaryQuantizer(QuantSpec spec, float[] mu) {
        this.spec = spec;
        this.mu = mu.clone();
    }

    @Override public QuantSpec spec() { return spec; }
    @Override public int dimension() { return mu.length; }
    @Override public int codeDimension() { return mu.length; }

    @Override
    public void encode(float[] x, MemorySegment row, long off, MemorySegment residual, long residualOff) {
        int d = mu.length;
        int[] c = new int[d];
        double sumAbs = 0;
        for (int i = 0; i < d; i++) {
            float z = x[i] - mu[i];
            c[i] = z > 0 ? 1 : 0;
            sumAbs += Math.abs(z);
        }
        float alpha = (float) (sumAbs / d);
        double n2 = 0;
        for (int i = 0; i < d; i++) {
            float v = mu[i] + (c[i] == 1 ? alpha : -alpha);
            n2 += (double) v * v;
        }
        CodePacking.putHeader(row, off, -alpha, 2 * alpha, (float) n2, 0f);
        CodePacking.pack(1, c, d, row, off + CodePacking.HEADER_BYTES);
    }

    @Override
    public float[] decode(MemorySegment row, long off, MemorySegment residual, long residualOff) {
        float a = CodePacking.header(row, off, 0), b = CodePacking.header(row, off, 1);
        int[] c = CodePacking.unpack(1, row, off + CodePacking.HEADER_BYTES, mu.length);
        return CodePacking.affineDecode(c, mu, a, null, b);
    }

    @Override
    public float[] prepareQuery(float[] q) {
        return CodePacking.affineQuery(q, null, mu);
    }

    @Override
    public double errorBound(float[] x, boolean withResidual) {
        double s = 0, sumAbs = 0;
        for (int i = 0; i < mu.length; i++) {
            double z = (double) x[i] - mu[i];
            s += z * z;
            sumAbs += Math.abs(z);
        }
        return Math.sqrt(Math.max(0, s - sumAbs * sumAbs / mu.length));
    }

    @Override
    public float[][] parameters() {
        return new float[][] {mu.clone()};
    }
}
