package io.panavec.embedding;

import io.panavec.quant.Projections;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Low rank: rows projected by PCA onto the top {@code d'} principal directions of a sample (mean {@code mu},
 * orthonormal basis {@code B}, d' x d), and the {@code d'} coordinates {@code y = B (x - mu)} stored with any inner
 * row encoding ({@code f32}, {@code f16}, {@code int8}, ...). Decoding maps back: {@code x^ = mu + B' y^}. A row
 * takes the inner encoding's bytes at dimension {@code d'}.
 *
 * <p>Error: the part of {@code x - mu} outside the basis is lost, and the inner encoding errs on {@code y}; as B's rows
 * are orthonormal, {@code ||x - x^|| <= ||(x - mu) - B'B(x - mu)|| + innerBound(y)}, which {@link #errorBound}
 * computes for each x (plus a float-rounding allowance of {@code 1e-4 ||x - mu||}).
 *
 * <p>Spec {@code pca<d'>.<inner>} ("pca96.int8"), {@code d'} from 1 to the dimension - 1. Parameters: the mean, the d'
 * basis rows, then the inner codec's parameter rows padded to the dimension. Immutable and thread-safe.
 */
final class LowRankCodec implements RowCodec {
    private static final Pattern SPEC = Pattern.compile("pca([0-9]{1,5})\\.(.+)");

    private final int dim, reduced;
    private final RowCodec inner;
    private final float[] mean;     // null until trained
    private final float[][] basis;  // [d'][d]

    private LowRankCodec(int dim, int reduced, RowCodec inner, float[] mean, float[][] basis) {
        if (reduced < 1 || reduced >= dim) {
            throw new IllegalArgumentException("pca" + reduced + ": the reduced dimension must be in 1.." + (dim - 1));
        }
        this.dim = dim;
        this.reduced = reduced;
        this.inner = inner;
        this.mean = mean;
        this.basis = basis;
    }

    /** Whether {@code spec} names this codec ("pca96.int8"). */
    static boolean names(String spec) {
        return SPEC.matcher(spec.toLowerCase(Locale.ROOT)).matches();
    }

    /** An untrained codec of {@code spec}. */
    static LowRankCodec create(String spec, int dim) {
        Matcher m = parse(spec);
        int reduced = Integer.parseInt(m.group(1));
        if (reduced < 1 || reduced >= dim) {
            throw new IllegalArgumentException(spec + ": the reduced dimension must be in 1.." + (dim - 1));
        }
        return new LowRankCodec(dim, reduced, RowCodecs.create(m.group(2), reduced), null, null);
    }

    /** The codec with persisted parameters: mean, d' basis rows, the inner codec's rows (padded to the dimension). */
    static LowRankCodec restore(String spec, int dim, float[][] parameters) {
        Matcher m = parse(spec);
        int reduced = Integer.parseInt(m.group(1));
        if (reduced < 1 || reduced >= dim || parameters.length < 1 + reduced) {
            throw new IllegalArgumentException(spec + " at dimension " + dim + " does not take " + parameters.length + " parameter rows");
        }
        for (int r = 0; r < parameters.length; r++) {
            if (parameters[r].length != dim) {
                throw new IllegalArgumentException(spec + ": parameter row " + r + " has " + parameters[r].length + " floats, not " + dim);
            }
            for (float v : parameters[r]) {
                if (!Float.isFinite(v)) throw new IllegalArgumentException(spec + ": parameter row " + r + " is not finite");
            }
        }
        float[][] innerParams = new float[parameters.length - 1 - reduced][];
        for (int r = 0; r < innerParams.length; r++) {
            innerParams[r] = Arrays.copyOf(parameters[1 + reduced + r], reduced);
        }
        RowCodec inner = RowCodecs.restore(m.group(2), reduced, innerParams);
        float[][] basis = new float[reduced][];
        for (int i = 0; i < reduced; i++) basis[i] = parameters[1 + i].clone();
        return new LowRankCodec(dim, reduced, inner, parameters[0].clone(), basis);
    }

    private static Matcher parse(String spec) {
        Matcher m = SPEC.matcher(spec.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + spec + "' is not pca<d'>.<inner encoding> (e.g. pca96.int8)");
        }
        return m;
    }

    @Override public String spec() { return "pca" + reduced + "." + inner.spec(); }
    @Override public int dimension() { return dim; }
    @Override public int rowBytes() { return inner.rowBytes(); }
    @Override public boolean isTrained() { return mean != null && inner.isTrained(); }
    @Override public int nativeEncoding() { return -1; }

    /** The inner encoding, at the reduced dimension. */
    RowCodec inner() {
        return inner;
    }

    @Override
    public RowCodec train(float[][] sample) {
        if (sample.length < 2) {
            throw new IllegalArgumentException(spec() + " learns principal directions and needs at least 2 sample rows");
        }
        double[] s = new double[dim];
        for (float[] x : sample) {
            for (int i = 0; i < dim; i++) s[i] += x[i];
        }
        float[] mu = new float[dim];
        for (int i = 0; i < dim; i++) mu[i] = (float) (s[i] / sample.length);
        float[][] b = Projections.pca(sample, mu, reduced);
        LowRankCodec projected = new LowRankCodec(dim, reduced, inner, mu, b);
        float[][] ys = new float[sample.length][];
        for (int i = 0; i < sample.length; i++) ys[i] = projected.project(sample[i]);
        return new LowRankCodec(dim, reduced, inner.train(ys), mu, b);
    }

    @Override
    public float[][] parameters() {
        if (mean == null) return new float[0][];
        float[][] innerParams = inner.parameters();
        float[][] p = new float[1 + reduced + innerParams.length][];
        p[0] = mean.clone();
        for (int i = 0; i < reduced; i++) p[1 + i] = basis[i].clone();
        for (int r = 0; r < innerParams.length; r++) p[1 + reduced + r] = Arrays.copyOf(innerParams[r], dim);
        return p;
    }

    /** {@code B (x - mu)}: the d' coordinates stored. */
    float[] project(float[] x) {
        requireTrained();
        float[] c = new float[dim];
        for (int j = 0; j < dim; j++) c[j] = x[j] - mean[j];
        float[] y = new float[reduced];
        for (int i = 0; i < reduced; i++) {
            float[] b = basis[i];
            float acc = 0;
            for (int j = 0; j < dim; j++) acc += b[j] * c[j];
            y[i] = acc;
        }
        return y;
    }

    @Override
    public String refusal(float[] x) {
        return isTrained() ? inner.refusal(project(x)) : null;
    }

    @Override
    public void encode(float[] x, MemorySegment dst, long off) {
        inner.encode(project(x), dst, off);
    }

    @Override
    public void decode(MemorySegment src, long off, float[] out, int outOff) {
        requireTrained();
        float[] y = new float[reduced];
        inner.decode(src, off, y, 0);
        System.arraycopy(mean, 0, out, outOff, dim);
        for (int i = 0; i < reduced; i++) {
            float yi = y[i];
            float[] b = basis[i];
            for (int j = 0; j < dim; j++) out[outOff + j] += yi * b[j]; // axpy: vectorized by the JIT
        }
    }

    @Override
    public double errorBound(float[] x) {
        float[] y = project(x);
        double lost = 0, c2 = 0;
        for (int j = 0; j < dim; j++) {
            double back = 0;
            for (int i = 0; i < reduced; i++) back += (double) y[i] * basis[i][j];
            double cj = x[j] - mean[j], e = cj - back;
            lost += e * e;
            c2 += cj * cj;
        }
        return Math.sqrt(lost) + inner.errorBound(y) + 1e-4 * Math.sqrt(c2) + 1e-6;
    }

    private void requireTrained() {
        if (mean == null) {
            throw new IllegalStateException(spec() + " rows need the learned basis: train the codec on a sample first");
        }
    }
}
