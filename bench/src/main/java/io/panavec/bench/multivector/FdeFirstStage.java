package io.panavec.bench.multivector;

import io.panavec.io.VectorFile;
import io.panavec.multivector.FdeConfig;
import io.panavec.multivector.FdeEncoder;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * How good a first stage each FDE setting is, apart from any index: for each query, the fraction of its exact
 * Chamfer top-10 found among the top N documents by brute-force FDE inner product (= recall@10 after an exact
 * Chamfer re-rank of those N), next to the same for the normalized mean-pooled vector. Used to choose the FDE
 * settings of the multi-vector report on a subset and its first queries, before the full run measures other queries.
 *
 * <p>Usage: {@code FdeFirstStage <data dir> <docs N> <queries Q> <fde config>...}; the data dir as for
 * {@link MultiVectorReport}, with ground truth over the first N documents. Prints one line per set and setting.
 */
public final class FdeFirstStage {
    private static final int[] DEPTHS = {20, 50, 100, 200, 400, 800};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int docsLimit = Integer.parseInt(args[1]);
        int queryLimit = Integer.parseInt(args[2]);
        float[][][] docs = TokenData.read(dir, "docs", docsLimit).sets();
        for (String set : new String[] {"queries", "queries-words"}) {
            float[][][] queries = TokenData.read(dir, set, queryLimit).sets();
            int[][] truth = VectorFile.readIvecs(dir.resolve(set + "-chamfer-groundtruth.ivecs"));
            float[][] pooledDocs = new float[docs.length][], pooledQueries = new float[queries.length][];
            for (int i = 0; i < docs.length; i++) pooledDocs[i] = TokenData.pool(docs[i]);
            for (int i = 0; i < queries.length; i++) pooledQueries[i] = TokenData.pool(queries[i]);
            System.out.println(set + " pooled (normalized mean), dim 384:" + curve(pooledDocs, pooledQueries, truth));
            for (int c = 3; c < args.length; c++) {
                FdeConfig config = FdeConfig.parse(args[c]);
                try (FdeEncoder e = FdeEncoder.create(config, docs[0][0].length)) {
                    float[][] d = new float[docs.length][], q = new float[queries.length][];
                    for (int i = 0; i < docs.length; i++) d[i] = e.encodeDocument(docs[i]);
                    for (int i = 0; i < queries.length; i++) q[i] = e.encodeQuery(queries[i]);
                    System.out.println(set + " " + args[c] + ", dim " + config.dimension() + ":" + curve(d, q, truth));
                }
            }
        }
    }

    /** Mean over queries of |exact top-10 within the first-stage top N| / 10, for each N of DEPTHS. */
    private static String curve(float[][] docs, float[][] queries, int[][] truth) {
        double[] found = new double[DEPTHS.length];
        for (int q = 0; q < queries.length; q++) {
            double[] score = new double[docs.length];
            for (int d = 0; d < docs.length; d++) {
                double s = 0;
                for (int j = 0; j < docs[d].length; j++) s += (double) queries[q][j] * docs[d][j];
                score[d] = s;
            }
            Integer[] order = new Integer[docs.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, (x, y) -> Double.compare(score[y], score[x]));
            int[] rank = new int[docs.length];
            for (int i = 0; i < order.length; i++) rank[order[i]] = i;
            for (int k = 0; k < DEPTHS.length; k++) {
                int hits = 0;
                for (int j = 0; j < Routes.K; j++) if (rank[truth[q][j]] < DEPTHS[k]) hits++;
                found[k] += hits / (double) Routes.K;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < DEPTHS.length; k++) out.append(String.format(Locale.ROOT, " %d:%.3f", DEPTHS[k], found[k] / queries.length));
        return out.toString();
    }
}
