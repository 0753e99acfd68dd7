package io.panavec.quant;

/**
 * Linear projections for LeanVec: rows of the returned d' x d matrix are orthonormal.
 * <ul>
 * <li>{@link #pca}: LeanVec-ID, the top-d' principal directions of the centred data.</li>
 * <li>{@link #queryAware}: the eigen-search of the LeanVec paper, LeanVec-OOD's initialiser (its separate query and
 * data projections are then learned by {@link FrankWolfeProjections}): for beta in [0, 1],
 * P(beta) = top-d' eigenvectors of beta K_Q / |K_Q| + (1 - beta) K_X / |K_X| (K_Q: second moment of
 * the query sample, K_X: covariance of the data); the beta whose P minimizes the inner-product
 * loss tr((I - P'P) K_Q (I - P'P) K_X) = mean over (q, x) of (q'(I - P'P)(x - mu))^2 on held-out
 * queries (two-fold: each half of the sample scores the fit to the other) is kept, and P is fitted to
 * the whole sample at that beta.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class Projections {
    private Projections() {}

    /** Covariance (1/n) sum (x - mu)(x - mu)' of the rows. */
    static double[][] covariance(float[][] rows, float[] mu) {
        int d = mu.length;
        double[][] c = new double[d][d];
        double[] z = new double[d];
        for (float[] x : rows) {
            for (int i = 0; i < d; i++) {
                z[i] = x[i] - (mu == null ? 0 : mu[i]);
            }
            for (int i = 0; i < d; i++) {
                double zi = z[i];
                double[] ci = c[i];
                for (int j = 0; j <= i; j++) {
                    ci[j] += zi * z[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                c[i][j] /= rows.length;
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    public static float[][] pca(float[][] sample, float[] mu, int reducedDim) {
        return top(SymmetricEigen.decompose(covariance(sample, mu)), reducedDim);
    }

    public static float[][] queryAware(float[][] sample, float[] mu, float[][] queries, int reducedDim) {
        return eigenSearch(sample, mu, queries, reducedDim).projection();
    }

    /** The eigen-search's projection and the beta it chose on held-out queries. */
    public record EigenSearch(float[][] projection, double beta) {}

    /** {@link #queryAware}, with the beta it chose. */
    public static EigenSearch eigenSearch(float[][] sample, float[] mu, float[][] queries, int reducedDim) {
        if (queries == null || queries.length == 0) {
            throw new IllegalArgumentException("LeanVec-OOD needs a sample of queries");
        }
        double[][] kx = covariance(sample, mu);
        int d = mu.length;
        // beta is chosen on queries the projection was not fitted to (two halves, each scored with the
        // other's fit): fitted and scored on the same few queries, a large beta always wins and then
        // fits those queries at the expense of the next ones.
        float[][] even = everyOther(queries, 0), odd = everyOther(queries, 1);
        boolean split = even.length > 0 && odd.length > 0;
        double[][] kqAll = covariance(queries, new float[d]);
        double[][] kqEven = split ? covariance(even, new float[d]) : kqAll, kqOdd = split ? covariance(odd, new float[d]) : kqAll;
        double bestBeta = 0, bestLoss = Double.POSITIVE_INFINITY;
        for (int step = 0; step <= 10; step++) {
            double beta = step / 10.0;
            double loss = loss(fit(beta, kqEven, kx, reducedDim), kqOdd, kx) + loss(fit(beta, kqOdd, kx, reducedDim), kqEven, kx);
            if (loss < bestLoss) {
                bestLoss = loss;
                bestBeta = beta;
            }
        }
        return new EigenSearch(fit(bestBeta, kqAll, kx, reducedDim), bestBeta);
    }

    /** The top eigenvectors of beta K_Q / |K_Q| + (1 - beta) K_X / |K_X|. */
    private static float[][] fit(double beta, double[][] kq, double[][] kx, int reducedDim) {
        return top(SymmetricEigen.decompose(blend(beta, kq, kx)), reducedDim);
    }

    /** beta K_Q / |K_Q| + (1 - beta) K_X / |K_X| (Frobenius norms). */
    static double[][] blend(double beta, double[][] kq, double[][] kx) {
        int d = kx.length;
        double nx = frobenius(kx), nq = frobenius(kq);
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i][j] = beta * kq[i][j] / nq + (1 - beta) * kx[i][j] / nx;
            }
        }
        return m;
    }

    /** Rows from, from + 2, from + 4, ... (one half of a two-fold split). */
    static float[][] everyOther(float[][] rows, int from) {
        float[][] out = new float[(rows.length - from + 1) / 2][];
        for (int i = from, j = 0; i < rows.length; i += 2, j++) out[j] = rows[i];
        return out;
    }

    /** tr((I - P'P) A (I - P'P) B) for symmetric A, B. */
    static double loss(float[][] p, double[][] a, double[][] b) {
        int d = a.length;
        double[][] r = new double[d][d]; // I - P'P
        for (int i = 0; i < d; i++) {
            r[i][i] = 1;
        }
        for (float[] row : p) {
            for (int i = 0; i < d; i++) {
                double ri = row[i];
                for (int j = 0; j < d; j++) {
                    r[i][j] -= ri * row[j];
                }
            }
        }
        double[][] ra = multiply(r, a);
        double[][] rar = multiply(ra, r);
        double t = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                t += rar[i][j] * b[j][i];
            }
        }
        return t;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, m = b[0].length, k = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] ci = c[i];
            for (int l = 0; l < k; l++) {
                double ail = a[i][l];
                if (ail == 0) {
                    continue;
                }
                double[] bl = b[l];
                for (int j = 0; j < m; j++) {
                    ci[j] += ail * bl[j];
                }
            }
        }
        return c;
    }

    private static double frobenius(double[][] a) {
        double s = 0;
        for (double[] r : a) {
            for (double x : r) {
                s += x * x;
            }
        }
        return s == 0 ? 1 : Math.sqrt(s);
    }

    private static float[][] top(SymmetricEigen.Result eig, int k) {
        int d = eig.values().length;
        if (k < 1 || k >= d) {
            throw new IllegalArgumentException("reduced dimension must be in 1.." + (d - 1) + ", got " + k);
        }
        float[][] p = new float[k][d];
        for (int r = 0; r < k; r++) {
            double[] v = eig.vectors()[d - 1 - r];
            for (int i = 0; i < d; i++) {
                p[r][i] = (float) v[i];
            }
        }
        return p;
    }
}
