package example;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Creates an HNSW index, reopens it and searches it; checks each answer against a brute-force scan.
 * Exits non-zero when an answer is wrong.
 */
public final class ConsumerSearch {
    public static void main(String[] args) throws Exception {
        int n = 2000, dim = 32, queries = 50, k = 10;
        Random random = new Random(42);
        float[][] vectors = new float[n][dim];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 1_000_000L + i;
            for (int j = 0; j < dim; j++) vectors[i][j] = (float) random.nextGaussian();
        }
        Path dir = Files.createTempDirectory("panavec-consumer");
        try (PanavecIndex index = PanavecIndex.builder(dir.resolve("index")).dimension(dim).metric(Metric.L2)
                .spec("hnsw:M=16,efc=100").create()) {
            index.add(ids, vectors);
            index.commit();
        }
        int exactTop1 = 0;
        double recall = 0;
        try (PanavecIndex index = PanavecIndex.open(dir.resolve("index"))) {
            for (int q = 0; q < queries; q++) {
                float[] query = new float[dim];
                for (int j = 0; j < dim; j++) query[j] = (float) random.nextGaussian();
                List<SearchHit> hits = index.search(SearchRequest.of(query, k).withEfSearch(100)).hits();
                List<Long> truth = bruteForce(vectors, ids, query, k);
                if (!hits.isEmpty() && hits.get(0).id() == truth.get(0)) exactTop1++;
                recall += hits.stream().filter(h -> truth.contains(h.id())).count() / (double) k;
            }
        }
        recall /= queries;
        System.out.printf("consumer: %d vectors, %d queries, recall@%d %.3f, top-1 exact %d/%d%n", n, queries, k, recall, exactTop1, queries);
        if (recall < 0.9) {
            System.err.println("consumer: recall below 0.9: the published artifacts do not search correctly");
            System.exit(1);
        }
    }

    static List<Long> bruteForce(float[][] vectors, long[] ids, float[] q, int k) {
        Integer[] order = new Integer[vectors.length];
        double[] d = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            order[i] = i;
            for (int j = 0; j < q.length; j++) d[i] += (vectors[i][j] - q[j]) * (double) (vectors[i][j] - q[j]);
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> d[i]));
        return java.util.Arrays.stream(order).limit(k).map(i -> ids[i]).toList();
    }
}
