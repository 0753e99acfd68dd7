package io.panavec.quant;

/**
 * LeanVec-OOD's separate query and data projections, learned as the LeanVec paper does (with the query second
 * moment shrunk towards the data's, see {@link #learn}): minimize
 * f(A, B) = E_q E_x (q'(x - mu) - (A q)'(B (x - mu)))^2 = tr((I - A'B)' K_Q (I - A'B) K_X)
 * (K_Q: second moment of the query sample, K_X: covariance of the data; A, B: d' x d) over the convex hull
 * of the Stiefel manifold, {M : ||M||_2 <= 1}, by block-coordinate Frank-Wolfe: alternately for A and for
 * B, the linear minimization oracle over the spectral-norm ball is minus the polar factor of the gradient,
 * -(G G')^(-1/2) G, and the step towards it is the exact line search of f (a quadratic in each block),
 * so f never increases. Initialised with the eigen-search projection ({@link Projections#queryAware}, A = B).
 * The iterates stay in the ball (convex combinations of points in it), so ||B||_2 <= 1.
 *
 * <p>f is written with d' x d and d' x d' products only: with S_A = A K_Q A', S_B = B K_X B',
 * f = tr(K_Q K_X) - 2 <A, B K_X K_Q> + tr(S_A S_B), grad_A = 2 (S_B A K_Q - B K_X K_Q),
 * grad_B = 2 (S_A B K_X - A K_Q K_X). Stateless and thread-safe.
 */
public final class FrankWolfeProjections {
    /** Block-coordinate rounds (one A step and one B step each); stops earlier once f stalls. */
    static final int ROUNDS = 20;
    private static final double STALL = 1e-5;

    private FrankWolfeProjections() {}

    /**
     * The learned projections, the objective before and after, the rounds run, and (when a held-out query
     * sample was given) the held-out objective after each round (entry 0: the start).
     */
    public record Result(float[][] data, float[][] query, double initialLoss, double loss, int rounds, double[] heldOut) {}

    /**
     * Data projection B and query projection A for {@code sample} (centred on mu) and {@code queries}.
     * The query second moment is shrunk towards the data's by the eigen-search's cross-validated beta,
     * K_Q' = beta K_Q / |K_Q| + (1 - beta) K_X / |K_X|: fitted to a sample of a few hundred queries alone, A and B
     * learn that sample's noise (measured on wordnet-minilm's word queries: the training objective fell 21% in 8
     * rounds while the held-out one rose 22%). The number of rounds is chosen on queries the projections were not
     * fitted to (two halves, each scoring the other's iterates on the plain held-out K_Q, as the initialiser
     * chooses its beta); then the whole sample is fitted for that many rounds (0: the eigen-search's projection).
     */
    public static Result learn(float[][] sample, float[] mu, float[][] queries, int reducedDim) {
        Projections.EigenSearch init = Projections.eigenSearch(sample, mu, queries, reducedDim);
        double beta = init.beta();
        double[][] kx = Projections.covariance(sample, mu);
        int d = mu.length;
        double[][] kq = Projections.blend(beta, Projections.covariance(queries, new float[d]), kx);
        int rounds = ROUNDS;
        if (queries.length >= 2) {
            float[][] even = Projections.everyOther(queries, 0), odd = Projections.everyOther(queries, 1);
            double[][] kqEven = Projections.covariance(even, new float[d]), kqOdd = Projections.covariance(odd, new float[d]);
            double[][] p = toDouble(init.projection());
            double[] a = optimize(Projections.blend(beta, kqEven, kx), kx, p, p, ROUNDS, kqOdd).heldOut();
            double[] b = optimize(Projections.blend(beta, kqOdd, kx), kx, p, p, ROUNDS, kqEven).heldOut();
            rounds = 0;
            for (int t = 1; t <= ROUNDS; t++) {
                if (a[t] + b[t] < a[rounds] + b[rounds]) rounds = t;
            }
        }
        double[][] p = toDouble(init.projection());
        return optimize(kq, kx, p, p, rounds, null);
    }

    /**
     * Frank-Wolfe from (a, b) on f(A, B) of these second moments, at most {@code rounds} rounds; with
     * {@code heldOutKq}, also f of that query second moment after each round.
     */
    static Result optimize(double[][] kq, double[][] kx, double[][] a, double[][] b, int rounds, double[][] heldOutKq) {
        double[][] kqkx = Projections.multiply(kq, kx), kxkq = transpose(kqkx);
        double base = trace(kqkx);
        double[][] heldKxKq = heldOutKq == null ? null : transpose(Projections.multiply(heldOutKq, kx));
        double heldBase = heldOutKq == null ? 0 : trace(heldKxKq);
        double[] held = new double[rounds + 1];
        if (heldOutKq != null) held[0] = loss(heldBase, a, b, heldOutKq, kx, heldKxKq);
        double initial = loss(base, a, b, kq, kx, kxkq), f = initial;
        int done = 0;
        boolean stalled = false;
        for (int t = 1; t <= rounds; t++) {
            if (!stalled) {
                // A block: B fixed.
                double[][] bkx = Projections.multiply(b, kx);
                double[][] sb = multiplyT(bkx, b);
                double[][] gradA = scaled(subtract(Projections.multiply(sb, Projections.multiply(a, kq)), Projections.multiply(b, kxkq)), 2);
                a = step(a, gradA, sb, kq);
                // B block: A fixed.
                double[][] akq = Projections.multiply(a, kq);
                double[][] sa = multiplyT(akq, a);
                double[][] gradB = scaled(subtract(Projections.multiply(sa, Projections.multiply(b, kx)), Projections.multiply(a, kqkx)), 2);
                b = step(b, gradB, sa, kx);
                double next = loss(base, a, b, kq, kx, kxkq);
                stalled = f - next <= STALL * Math.abs(f);
                f = next;
                done = t;
                if (heldOutKq != null) held[t] = loss(heldBase, a, b, heldOutKq, kx, heldKxKq);
            } else {
                held[t] = held[t - 1]; // no further change
            }
            if (stalled && heldOutKq == null) break;
        }
        return new Result(toFloat(b), toFloat(a), initial, f, done, held);
    }

    /**
     * One Frank-Wolfe step of block M (A or B) whose quadratic part of f is tr(S M K M') (S = S_B and K = K_Q
     * for A; S_A and K_X for B): towards the oracle's vertex V = -polar(grad), by the exact line search
     * gamma = clamp(-<grad, D> / (2 tr(S D K D')), 0, 1) with D = V - M.
     */
    private static double[][] step(double[][] m, double[][] grad, double[][] s, double[][] k) {
        double[][] v = scaled(polar(grad), -1);
        double[][] dir = subtract(v, m);
        double lin = dot(grad, dir);
        double quad = dot(Projections.multiply(s, dir), Projections.multiply(dir, k));
        if (!(lin < 0) || !(quad > 0)) {
            return m; // no descent along this direction
        }
        double gamma = Math.min(1, -lin / (2 * quad));
        double[][] out = new double[m.length][m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                out[i][j] = m[i][j] + gamma * dir[i][j];
            }
        }
        return out;
    }

    /** The polar factor (G G')^(-1/2) G of a d' x d matrix (directions of null singular values dropped). */
    static double[][] polar(double[][] g) {
        SymmetricEigen.Result e = SymmetricEigen.decompose(multiplyT(g, g));
        int r = g.length;
        double max = Math.max(e.values()[r - 1], 0);
        double[][] w = new double[r][r];
        for (int l = 0; l < r; l++) {
            double lam = e.values()[l];
            if (!(lam > 1e-12 * max)) {
                continue;
            }
            double inv = 1 / Math.sqrt(lam);
            double[] u = e.vectors()[l];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    w[i][j] += inv * u[i] * u[j];
                }
            }
        }
        return Projections.multiply(w, g);
    }

    /** The largest singular value of p (rows d' x d). */
    static double spectralNorm(float[][] p) {
        double[][] m = toDouble(p);
        double[] values = SymmetricEigen.decompose(multiplyT(m, m)).values();
        return Math.sqrt(Math.max(0, values[values.length - 1]));
    }

    /** f(A, B) = tr(K_Q K_X) - 2 <A, B K_X K_Q> + tr(A K_Q A' B K_X B'). */
    static double loss(double base, double[][] a, double[][] b, double[][] kq, double[][] kx, double[][] kxkq) {
        double cross = dot(a, Projections.multiply(b, kxkq));
        double[][] sa = multiplyT(Projections.multiply(a, kq), a), sb = multiplyT(Projections.multiply(b, kx), b);
        return base - 2 * cross + dot(sa, sb); // tr(S_A S_B) = <S_A, S_B> (both symmetric)
    }

    /** m n' */
    private static double[][] multiplyT(double[][] m, double[][] n) {
        double[][] c = new double[m.length][n.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < n.length; j++) {
                double s = 0;
                double[] mi = m[i], nj = n[j];
                for (int l = 0; l < mi.length; l++) s += mi[l] * nj[l];
                c[i][j] = s;
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m[0].length; j++) t[j][i] = m[i][j];
        return t;
    }

    private static double[][] subtract(double[][] x, double[][] y) {
        double[][] c = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x[0].length; j++) c[i][j] = x[i][j] - y[i][j];
        return c;
    }

    private static double[][] scaled(double[][] x, double s) {
        double[][] c = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x[0].length; j++) c[i][j] = x[i][j] * s;
        return c;
    }

    private static double dot(double[][] x, double[][] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x[0].length; j++) s += x[i][j] * y[i][j];
        return s;
    }

    private static double trace(double[][] m) {
        double s = 0;
        for (int i = 0; i < m.length; i++) s += m[i][i];
        return s;
    }

    static double[][] toDouble(float[][] p) {
        double[][] m = new double[p.length][p[0].length];
        for (int i = 0; i < p.length; i++) for (int j = 0; j < p[0].length; j++) m[i][j] = p[i][j];
        return m;
    }

    private static float[][] toFloat(double[][] m) {
        float[][] p = new float[m.length][m[0].length];
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m[0].length; j++) p[i][j] = (float) m[i][j];
        return p;
    }
}
