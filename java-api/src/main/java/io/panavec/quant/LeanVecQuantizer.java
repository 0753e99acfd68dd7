package io.panavec.quant;

import io.panavec.bindings.panavec_quant_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * LeanVec (Tepper et al., "LeanVec: searching vectors faster by making them fit"): primary LVQ-B codes of
 * the data projected to d' < d dimensions, y = B (x - mu), which the graph walk scores against the query
 * projected once, A q (native, {@code pv_leanvec_prepare_query}, A held in float16: each query reads all of it,
 * so half the bytes is a shorter query; each A q entry is then within 2^-11 sum |A_ri q_i| of the float32 product):
 * {@code <q, x> ~ <q, mu> + <A q, y>}.
 * LeanVec-ID has A = B = the top principal directions; LeanVec-OOD learns A and B separately from a query
 * sample ({@link FrankWolfeProjections}). Optional secondary codes, LVQ-B2 of the full dimension
 * ({@code leanvec-*.<d'>.lvq<B>x<B2>}), re-rank the final candidates in RAM; without them the full-precision
 * rows re-rank. Encoding (projection and quantization, in blocks of vectors) runs in native code.
 *
 * <p>Primary rows carry the exact squared norm ||x||^2 (the L2 score is ||q||^2 - 2 IP + ||x||^2 with the
 * reduced IP), not the norm of a decoded vector: with A != B no decoded vector is what the codes score.
 * {@link #decode} of a primary row is mu + B' y (the reconstruction for orthonormal B); with the secondary
 * level it decodes the secondary row. Error bound of the primary reconstruction:
 * ||z - B'B z|| + ||B||_2 sqrt(d') step/2 with z = x - mu (triangle inequality); of the secondary level, LVQ's.
 * Immutable and thread-safe.
 */
public final class LeanVecQuantizer implements Quantizer {
    private final QuantSpec spec;
    private final float[] mu;
    private final float[][] data, query; // d' x d each; the same array for LeanVec-ID
    private final LvqQuantizer secondary; // null: re-rank with full-precision rows
    private final MemorySegment nativeMu, nativeData, nativeQuery16; // the query projection in float16: what queries read
    private final double dataNorm; // spectral norm of the data projection
    private final int dim, codeDim;

    LeanVecQuantizer(QuantSpec spec, float[] mu, float[][] data, float[][] query) {
        this.spec = spec;
        this.mu = mu.clone();
        this.dim = mu.length;
        this.codeDim = data.length;
        if (codeDim != spec.reducedDim() || query.length != codeDim) {
            throw new IllegalArgumentException("LeanVec needs " + spec.reducedDim() + " projection rows, got " + data.length
                    + " and " + query.length);
        }
        for (float[][] p : new float[][][] {data, query}) {
            for (float[] r : p) {
                if (r.length != dim) {
                    throw new IllegalArgumentException("projection rows must have " + dim + " entries");
                }
                for (float v : r) {
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("projection entries must be finite");
                    }
                }
            }
        }
        this.data = copy(data);
        this.query = data == query ? this.data : copy(query);
        this.secondary = spec.residualBits() == 0 ? null
                : new LvqQuantizer(new QuantSpec(QuantSpec.Kind.LVQ, spec.residualBits(), 0, 0), this.mu);
        Arena arena = Arena.ofAuto();
        this.nativeMu = LvqEncoding.nativeCopy(arena, this.mu);
        this.nativeData = LvqEncoding.nativeCopy(arena, this.data);
        this.nativeQuery16 = float16Copy(arena, this.query);
        this.dataNorm = FrankWolfeProjections.spectralNorm(this.data);
    }

    /** The rows of {@code m} back to back in float16 (round to nearest even), in native memory of {@code arena}. */
    private static MemorySegment float16Copy(Arena arena, float[][] m) {
        int cols = m[0].length;
        MemorySegment s = arena.allocate((long) m.length * cols * Short.BYTES, 64);
        for (int r = 0; r < m.length; r++) {
            for (int i = 0; i < cols; i++) {
                s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT, (long) r * cols + i, Float.floatToFloat16(m[r][i]));
            }
        }
        return s;
    }

    private static float[][] copy(float[][] m) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }

    @Override public QuantSpec spec() { return spec; }
    @Override public int dimension() { return dim; }
    @Override public int codeDimension() { return codeDim; }

    @Override
    public int residualBytes() {
        return secondary == null ? 0 : secondary.rowBytes();
    }

    /** The full-dimension LVQ quantizer of the secondary rows, or null (re-rank with full-precision rows). */
    public LvqQuantizer secondary() {
        return secondary;
    }

    @Override
    public void encode(float[] x, MemorySegment row, long off, MemorySegment residual, long residualOff) {
        LvqEncoding.encodeOne(this, x, row, off, residual, residualOff);
    }

    @Override
    public void encodeRows(MemorySegment x, long n, MemorySegment rows, long rowsOff, MemorySegment residual, long residualOff) {
        LvqEncoding.encode(x, n, dim, nativeMu, nativeData, codeDim, spec.bits(), 0, true, rows.asSlice(rowsOff, n * rowBytes()), null);
        if (secondary != null) {
            secondary.encodeRows(x, n, residual, residualOff, null, 0);
        }
    }

    @Override
    public float[] decode(MemorySegment row, long off, MemorySegment residual, long residualOff) {
        if (residual != null && secondary != null) {
            return secondary.decode(residual, residualOff, null, 0);
        }
        float lo = CodePacking.header(row, off, 0), step = CodePacking.header(row, off, 1);
        int[] c = CodePacking.unpack(spec.bits(), row, off + CodePacking.HEADER_BYTES, codeDim);
        float[] x = mu.clone();
        for (int r = 0; r < codeDim; r++) {
            float y = lo + step * c[r];
            float[] p = data[r];
            for (int i = 0; i < dim; i++) {
                x[i] += p[i] * y;
            }
        }
        return x;
    }

    @Override
    public float[] prepareQuery(float[] q) {
        float[] qt = new float[CodePacking.paddedDim(codeDim) + CodePacking.QUERY_EXTRA];
        panavec_quant_h.pv_leanvec_prepare_query(MemorySegment.ofArray(q), dim, nativeQuery16, codeDim, nativeMu, MemorySegment.ofArray(qt));
        return qt;
    }

    /** The query prepared for the secondary rows (full dimension); requires {@link #secondary()}. */
    public float[] prepareSecondaryQuery(float[] q) {
        if (secondary == null) {
            throw new IllegalStateException(spec + " has no secondary codes");
        }
        return secondary.prepareQuery(q);
    }

    @Override
    public double errorBound(float[] x, boolean withResidual) {
        if (withResidual && secondary != null) {
            return secondary.errorBound(x, false);
        }
        double[] z = new double[dim];
        for (int i = 0; i < dim; i++) z[i] = (double) x[i] - mu[i];
        double[] y = new double[codeDim];
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < codeDim; r++) {
            for (int i = 0; i < dim; i++) y[r] += data[r][i] * z[i];
            lo = Math.min(lo, (float) y[r]);
            hi = Math.max(hi, (float) y[r]);
        }
        double outside = 0; // ||z - B'B z||
        for (int i = 0; i < dim; i++) {
            double back = 0;
            for (int r = 0; r < codeDim; r++) back += data[r][i] * y[r];
            outside += (z[i] - back) * (z[i] - back);
        }
        double step = LvqQuantizer.stepOf(lo, hi, spec.bits());
        return Math.sqrt(outside) + dataNorm * Math.sqrt(codeDim) * step / 2;
    }

    /** Rows: mu, the d' data projection rows, and for LeanVec-OOD the d' query projection rows. */
    @Override
    public float[][] parameters() {
        boolean two = spec.kind() == QuantSpec.Kind.LEANVEC_OOD;
        float[][] p = new float[1 + codeDim * (two ? 2 : 1)][];
        p[0] = mu.clone();
        for (int r = 0; r < codeDim; r++) {
            p[1 + r] = data[r].clone();
            if (two) p[1 + codeDim + r] = query[r].clone();
        }
        return p;
    }
}
