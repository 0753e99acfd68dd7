package io.panavec.quant;


import java.lang.foreign.MemorySegment;

/**
 * Locally-adaptive vector quantization (LVQ, Aguerrebere et al.): the data is centred on its mean,
 * then each vector gets its own bias and step from its own minimum and maximum, y_i ~ lo + step*c_i
 * with c_i of B bits. Two-level LVQ-B1xB2 codes the residual (in [-step/2, step/2]) with B2 more
 * bits of step step/(2^B2 - 1). With a projection P (d' x d, orthonormal rows) this is LeanVec: the
 * primary codes quantize P(x - mu) and queries are projected the same way.
 * Error bound: per code-space coordinate step/2 (step2/2 with the residual); in Euclidean norm
 * sqrt(d') * step/2 plus, for LeanVec, the part of x - mu outside the projection.
 * Immutable and thread-safe.
 */
public final class LvqQuantizer implements Quantizer {
    private final QuantSpec spec;
    private final float[] mu;
    private final float[][] projection; // null: identity
    private final int dim, codeDim;

    LvqQuantizer(QuantSpec spec, float[] mu, float[][] projection) {
        this.spec = spec;
        this.mu = mu.clone();
        this.projection = projection;
        this.dim = mu.length;
        this.codeDim = projection == null ? dim : projection.length;
        if (projection != null) {
            for (float[] r : projection) {
                if (r.length != dim) {
                    throw new IllegalArgumentException("projection rows must have " + dim + " entries");
                }
            }
        }
    }

    @Override public QuantSpec spec() { return spec; }
    @Override public int dimension() { return dim; }
    @Override public int codeDimension() { return codeDim; }

    /** x - mu, projected if this is LeanVec. */
    private float[] toCodeSpace(float[] x) {
        float[] z = new float[dim];
        for (int i = 0; i < dim; i++) {
            z[i] = x[i] - mu[i];
        }
        return projection == null ? z : project(z);
    }

    private float[] project(float[] z) {
        float[] y = new float[codeDim];
        for (int r = 0; r < codeDim; r++) {
            float[] p = projection[r];
            double s = 0;
            for (int i = 0; i < dim; i++) {
                s += p[i] * z[i];
            }
            y[r] = (float) s;
        }
        return y;
    }

    private float[] fromCodeSpace(float[] y) {
        float[] x = mu.clone();
        if (projection == null) {
            for (int i = 0; i < dim; i++) {
                x[i] += y[i];
            }
        } else {
            for (int r = 0; r < codeDim; r++) {
                float[] p = projection[r];
                for (int i = 0; i < dim; i++) {
                    x[i] += p[i] * y[r];
                }
            }
        }
        return x;
    }

    private static float step(float lo, float hi, int bits) {
        float s = (hi - lo) / ((1 << bits) - 1);
        return s > 0 && Float.isFinite(s) ? s : 0f;
    }

    private static int code(float v, float lo, float step, int levels) {
        if (step == 0) {
            return 0;
        }
        return Math.max(0, Math.min(levels, Math.round((v - lo) / step)));
    }

    @Override
    public void encode(float[] x, MemorySegment row, long off, MemorySegment residual, long residualOff) {
        float[] y = toCodeSpace(x);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : y) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        int bits = spec.bits(), levels = (1 << bits) - 1;
        float step = step(lo, hi, bits);
        int[] c = new int[codeDim];
        float[] y1 = new float[codeDim];
        for (int i = 0; i < codeDim; i++) {
            c[i] = code(y[i], lo, step, levels);
            y1[i] = lo + step * c[i];
        }
        float norm2 = norm2(fromCodeSpace(y1)), norm2Full = 0;
        CodePacking.pack(bits, c, codeDim, row, off + CodePacking.HEADER_BYTES);
        int bits2 = spec.residualBits();
        if (bits2 > 0) {
            int levels2 = (1 << bits2) - 1;
            float step2 = step / levels2, base = lo - 0.5f * step;
            int[] c2 = new int[codeDim];
            float[] y2 = new float[codeDim];
            for (int i = 0; i < codeDim; i++) {
                c2[i] = code(y[i] - step * c[i], base, step2, levels2);
                y2[i] = base + step * c[i] + step2 * c2[i];
            }
            norm2Full = norm2(fromCodeSpace(y2));
            CodePacking.pack(bits2, c2, codeDim, residual, residualOff);
        }
        CodePacking.putHeader(row, off, lo, step, norm2, norm2Full);
    }

    @Override
    public float[] decode(MemorySegment row, long off, MemorySegment residual, long residualOff) {
        float lo = CodePacking.header(row, off, 0), step = CodePacking.header(row, off, 1);
        int[] c = CodePacking.unpack(spec.bits(), row, off + CodePacking.HEADER_BYTES, codeDim);
        float[] y = new float[codeDim];
        if (residual != null && spec.residualBits() > 0) {
            int[] c2 = CodePacking.unpack(spec.residualBits(), residual, residualOff, codeDim);
            float step2 = step / ((1 << spec.residualBits()) - 1), base = lo - 0.5f * step;
            for (int i = 0; i < codeDim; i++) {
                y[i] = base + step * c[i] + step2 * c2[i];
            }
        } else {
            for (int i = 0; i < codeDim; i++) {
                y[i] = lo + step * c[i];
            }
        }
        return fromCodeSpace(y);
    }

    @Override
    public float[] prepareQuery(float[] q) {
        int pd = CodePacking.paddedDim(codeDim);
        float[] qt = new float[pd + CodePacking.QUERY_EXTRA];
        float[] p = projection == null ? q : project(q);
        System.arraycopy(p, 0, qt, 0, codeDim);
        double c0 = 0, c1 = 0, qq = 0;
        for (int i = 0; i < dim; i++) {
            c0 += (double) q[i] * mu[i];
            qq += (double) q[i] * q[i];
        }
        for (int i = 0; i < codeDim; i++) {
            c1 += p[i];
        }
        return CodePacking.withQueryConstants(qt, pd, c0, c1, qq);
    }

    @Override
    public double errorBound(float[] x, boolean withResidual) {
        float[] y = toCodeSpace(x);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : y) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double step = step(lo, hi, spec.bits());
        if (withResidual && spec.residualBits() > 0) {
            step /= (1 << spec.residualBits()) - 1;
        }
        double inCodeSpace = codeDim * (step / 2) * (step / 2);
        double outside = 0;
        if (projection != null) {
            double zz = 0, yy = 0;
            for (int i = 0; i < dim; i++) {
                zz += (double) (x[i] - mu[i]) * (x[i] - mu[i]);
            }
            for (float v : y) {
                yy += (double) v * v;
            }
            outside = Math.max(0, zz - yy);
        }
        return Math.sqrt(inCodeSpace + outside);
    }

    @Override
    public float[][] parameters() {
        float[][] p = new float[1 + (projection == null ? 0 : codeDim)][];
        p[0] = mu.clone();
        for (int r = 0; projection != null && r < codeDim; r++) {
            p[1 + r] = projection[r].clone();
        }
        return p;
    }

    static float norm2(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return (float) s;
    }
}
