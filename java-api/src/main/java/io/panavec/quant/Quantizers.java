package io.panavec.quant;

/**
 * Trains quantizers from a sample of the data (and, for LeanVec-OOD, a sample of queries), and
 * rebuilds them from persisted parameters. Stateless and thread-safe.
 */
public final class Quantizers {
    private Quantizers() {}

    /**
     * Trains {@code spec} on {@code sample} (rows of equal dimension, finite). {@code querySample} is
     * required for LeanVec-OOD and ignored otherwise.
     */
    public static Quantizer train(QuantSpec spec, float[][] sample, float[][] querySample) {
        if (sample == null || sample.length == 0) {
            throw new IllegalArgumentException("training needs a non-empty sample");
        }
        int d = sample[0].length;
        for (float[] x : sample) {
            checkVector(x, d);
        }
        if (spec.reducedDim() >= d) {
            throw new IllegalArgumentException("LeanVec reduced dimension " + spec.reducedDim() + " must be below " + d);
        }
        return switch (spec.kind()) {
            case SQ -> ScalarQuantizer.train(spec, sample);
            case LVQ -> new LvqQuantizer(spec, mean(sample));
            case BINARY -> new BinaryQuantizer(spec, mean(sample));
            case LEANVEC_ID -> {
                float[] mu = mean(sample);
                float[][] p = Projections.pca(sample, mu, spec.reducedDim());
                yield new LeanVecQuantizer(spec, mu, p, p);
            }
            case LEANVEC_OOD -> {
                if (querySample == null || querySample.length == 0) {
                    throw new IllegalArgumentException("LeanVec-OOD needs a sample of queries");
                }
                for (float[] q : querySample) {
                    checkVector(q, d);
                }
                float[] mu = mean(sample);
                FrankWolfeProjections.Result p = FrankWolfeProjections.learn(sample, mu, querySample, spec.reducedDim());
                yield new LeanVecQuantizer(spec, mu, p.data(), p.query());
            }
        };
    }

    /** Rebuilds a quantizer from {@link Quantizer#parameters()}. */
    public static Quantizer fromParameters(QuantSpec spec, int dim, float[][] p) {
        for (float[] row : p) {
            if (row.length != dim) {
                throw new IllegalArgumentException("parameter rows must have " + dim + " entries");
            }
        }
        return switch (spec.kind()) {
            case SQ -> new ScalarQuantizer(spec, p[0], p[1]);
            case BINARY -> new BinaryQuantizer(spec, p[0]);
            case LVQ -> new LvqQuantizer(spec, p[0]);
            case LEANVEC_ID, LEANVEC_OOD -> {
                int d = spec.reducedDim();
                if (p.length != parameterRows(spec)) {
                    throw new IllegalArgumentException(spec + " needs " + (parameterRows(spec) - 1) + " projection rows");
                }
                float[][] data = java.util.Arrays.copyOfRange(p, 1, 1 + d);
                yield new LeanVecQuantizer(spec, p[0], data, spec.kind() == QuantSpec.Kind.LEANVEC_ID ? data
                        : java.util.Arrays.copyOfRange(p, 1 + d, 1 + 2 * d));
            }
        };
    }

    static int parameterRows(QuantSpec spec) {
        return switch (spec.kind()) {
            case SQ -> 2;
            case BINARY, LVQ -> 1;
            case LEANVEC_ID -> 1 + spec.reducedDim();                 // mu, the projection
            case LEANVEC_OOD -> 1 + 2 * spec.reducedDim();            // mu, data projection, query projection
        };
    }

    static void checkVector(float[] x, int d) {
        if (x == null || x.length != d) {
            throw new IllegalArgumentException("expected a vector of dimension " + d + ", got "
                    + (x == null ? "null" : x.length));
        }
        for (float v : x) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("vectors must be finite (NaN or infinity found)");
            }
        }
    }

    static float[] mean(float[][] rows) {
        int d = rows[0].length;
        double[] s = new double[d];
        for (float[] x : rows) {
            for (int i = 0; i < d; i++) {
                s[i] += x[i];
            }
        }
        float[] mu = new float[d];
        for (int i = 0; i < d; i++) {
            mu[i] = (float) (s[i] / rows.length);
        }
        return mu;
    }
}
