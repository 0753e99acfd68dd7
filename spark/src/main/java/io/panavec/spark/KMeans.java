package io.panavec.spark;

import io.panavec.Metric;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The k-means partition of a sharded build: Lloyd's iterations from a k-means++ start, trained on the
 * driver over a sample; spherical (unit centroids, nearest by dot product) under cosine, Euclidean
 * otherwise. {@link #nearest} assigns a row to its shard on the executors. Immutable once trained.
 */
record KMeans(float[][] centroids, boolean spherical) implements Serializable {
    static KMeans train(float[][] sample, int k, int iterations, Metric metric, long seed) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("no rows to train the k-means partition on");
        }
        boolean spherical = metric == Metric.COSINE;
        float[][] x = sample;
        if (spherical) {
            x = new float[sample.length][];
            for (int i = 0; i < sample.length; i++) x[i] = Metric.COSINE.prepare(sample[i]);
        }
        int d = x[0].length;
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] c = new float[k][];
        c[0] = x[rnd.nextInt(x.length)].clone();
        double[] best = new double[x.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int j = 1; j < k; j++) { // k-means++: the next centre with probability proportional to squared distance
            double total = 0;
            for (int i = 0; i < x.length; i++) {
                best[i] = Math.min(best[i], l2(x[i], c[j - 1]));
                total += best[i];
            }
            double pick = rnd.nextDouble() * total;
            int chosen = x.length - 1;
            for (int i = 0; i < x.length; i++) {
                pick -= best[i];
                if (pick <= 0) {
                    chosen = i;
                    break;
                }
            }
            c[j] = x[chosen].clone();
        }
        KMeans model = new KMeans(c, spherical);
        for (int it = 0; it < iterations; it++) {
            double[][] sum = new double[k][d];
            int[] count = new int[k];
            for (float[] v : x) {
                int a = model.nearestPrepared(v);
                count[a]++;
                for (int i = 0; i < d; i++) sum[a][i] += v[i];
            }
            float[][] next = new float[k][d];
            for (int j = 0; j < k; j++) {
                if (count[j] == 0) { // an empty cluster restarts at a random sample row
                    next[j] = x[rnd.nextInt(x.length)].clone();
                    continue;
                }
                for (int i = 0; i < d; i++) next[j][i] = (float) (sum[j][i] / count[j]);
                if (spherical) next[j] = Metric.COSINE.prepare(next[j]);
            }
            model = new KMeans(next, spherical);
        }
        return model;
    }

    /** The shard of vector {@code v} (as given; normalized here under cosine). */
    int nearest(float[] v) {
        return nearestPrepared(spherical ? Metric.COSINE.prepare(v) : v);
    }

    private int nearestPrepared(float[] v) {
        int best = 0;
        double bestScore = spherical ? Double.NEGATIVE_INFINITY : Double.MAX_VALUE;
        for (int j = 0; j < centroids.length; j++) {
            if (spherical) {
                double s = 0;
                for (int i = 0; i < v.length; i++) s += (double) v[i] * centroids[j][i];
                if (s > bestScore) {
                    bestScore = s;
                    best = j;
                }
            } else {
                double s = l2(v, centroids[j]);
                if (s < bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
        }
        return best;
    }

    private static double l2(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
