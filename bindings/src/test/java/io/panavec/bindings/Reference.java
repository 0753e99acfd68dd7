package io.panavec.bindings;

/**
 * Scalar reference scores computed in double from the exact element values, with the tolerance a
 * float kernel may need: the rounding of a float sum of dim terms is bounded by about
 * dim * 2^-24 * sum|terms| (any summation order, with or without FMA); i8 IP and L2 are exact.
 */
record Reference(double value, double tolerance, boolean representable) {
    private static final double EPS = 0x1p-23; // twice float's unit roundoff: covers diff and product roundings

    static final int IP = 0, L2 = 1, COSINE = 2;

    static Reference of(Elem elem, int metric, float[] q, float[] x) {
        int dim = q.length;
        double dot = 0, absDot = 0, qq = 0, xx = 0, l2 = 0;
        for (int i = 0; i < dim; i++) {
            double a = q[i], b = x[i], d = a - b;
            dot += a * b;
            absDot += Math.abs(a * b);
            qq += a * a;
            xx += b * b;
            l2 += d * d;
        }
        // Inputs are float-representable but the kernel's float sums must not overflow.
        double limit = Float.MAX_VALUE / 4;
        double bound = (dim + 8) * EPS;
        return switch (metric) {
            case IP -> elem == Elem.I8
                    ? new Reference((float) dot, 0, true)
                    : new Reference(dot, bound * absDot + ulp(dot), absDot < limit);
            case L2 -> elem == Elem.I8
                    ? new Reference((float) l2, 0, true)
                    : new Reference(l2, bound * l2 + ulp(l2), l2 < limit);
            default -> {
                boolean ok = qq < limit && xx < limit && absDot < limit;
                if (qq == 0 || xx == 0) {
                    yield new Reference(0, 0, ok);
                }
                double norms = Math.sqrt(qq) * Math.sqrt(xx);
                double cos = dot / norms;
                double tol = elem == Elem.I8 ? 2 * ulp(cos) + 1e-12 : bound * (absDot / norms + 2 * Math.abs(cos)) + 2 * ulp(cos);
                yield new Reference(cos, tol, ok);
            }
        };
    }

    private static double ulp(double v) {
        return Math.ulp((float) v);
    }

    /** Whether a kernel score (in its metric's direction) is at least as good as the other. */
    static boolean better(int metric, double a, double b) {
        return metric == L2 ? a < b : a > b;
    }
}
