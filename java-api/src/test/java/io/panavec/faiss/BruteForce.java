package io.panavec.faiss;

import io.panavec.internal.NativeMetric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.LongPredicate;

/** Test data and an exact scalar oracle (double accumulation) independent of FAISS. */
final class BruteForce {
    private BruteForce() {}

    record Hit(long id, double score) {}

    static float[][] gaussian(int n, int dim, long seed) {
        Random rnd = new Random(seed);
        float[][] v = new float[n][dim];
        for (float[] row : v) {
            for (int j = 0; j < dim; j++) row[j] = (float) rnd.nextGaussian();
        }
        return v;
    }

    /** Points around a few random centres: closer to real embeddings than pure noise. */
    static float[][] clustered(int n, int dim, int clusters, long seed) {
        Random rnd = new Random(seed);
        float[][] centres = gaussian(clusters, dim, seed + 1);
        float[][] v = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[rnd.nextInt(clusters)];
            for (int j = 0; j < dim; j++) v[i][j] = c[j] + 0.3f * (float) rnd.nextGaussian();
        }
        return v;
    }

    static double score(NativeMetric metric, float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0, l2 = 0;
        for (int j = 0; j < a.length; j++) {
            dot += (double) a[j] * b[j];
            na += (double) a[j] * a[j];
            nb += (double) b[j] * b[j];
            double d = (double) a[j] - b[j];
            l2 += d * d;
        }
        return switch (metric) {
            case INNER_PRODUCT -> dot;
            case L2 -> l2;
            case COSINE -> na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
        };
    }

    /** All hits for allowed ids (ids[i] names base[i]), best first, ties by id. */
    static List<Hit> ranked(NativeMetric metric, float[][] base, long[] ids, float[] q, LongPredicate allowed) {
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < base.length; i++) {
            long id = ids == null ? i : ids[i];
            if (allowed == null || allowed.test(id)) hits.add(new Hit(id, score(metric, q, base[i])));
        }
        Comparator<Hit> byScore = Comparator.comparingDouble(Hit::score);
        if (metric != NativeMetric.L2) byScore = byScore.reversed();
        hits.sort(byScore.thenComparingLong(Hit::id));
        return hits;
    }

    static List<Hit> topK(NativeMetric metric, float[][] base, float[] q, int k) {
        List<Hit> all = ranked(metric, base, null, q, null);
        return all.subList(0, Math.min(k, all.size()));
    }

    /** Fraction of the true top-k ids found in the result. */
    static double recall(List<Hit> truth, FaissHits got) {
        int found = 0;
        for (Hit h : truth) {
            for (long id : got.ids()) {
                if (id == h.id()) {
                    found++;
                    break;
                }
            }
        }
        return (double) found / truth.size();
    }
}
