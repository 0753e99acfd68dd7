package io.panavec.bench.ann;

import java.util.Random;

/** Random unit vectors for tests, in a few loose clusters so that graphs have structure to find. */
final class TestVectors {
    private TestVectors() {}

    static float[][] unit(Random r, int n, int dim) {
        float[][] centers = new float[8][dim];
        for (float[] c : centers) for (int j = 0; j < dim; j++) c[j] = (float) r.nextGaussian();
        float[][] v = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centers[r.nextInt(centers.length)];
            double s = 0;
            for (int j = 0; j < dim; j++) {
                v[i][j] = c[j] + (float) r.nextGaussian();
                s += (double) v[i][j] * v[i][j];
            }
            for (int j = 0; j < dim; j++) v[i][j] = (float) (v[i][j] / Math.sqrt(s));
        }
        return v;
    }
}
