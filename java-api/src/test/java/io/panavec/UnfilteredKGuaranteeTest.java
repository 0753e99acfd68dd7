package io.panavec;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The k guarantee of an unfiltered search, for every spec: min(k, live rows) hits, each a live id once, with its
 * exact score, best first; an exact spec returns the brute-force top k. The data is what breaks graph and IVF
 * walks: 40 points each stored 15 times exactly and 15 times with 1e-4 noise (a graph's neighbour selection
 * prunes duplicates, leaving parts of the graph unreachable), a third of the ids deleted and some replaced (graph
 * tombstones the walk must step past), and k from 1 to past the live size, with a small beam. The oracle is a
 * brute-force model of the live vectors in double precision. Searches one at a time and as a batch.
 */
class UnfilteredKGuaranteeTest {
    private static final int DIM = 16;
    private static final int POINTS = 40, COPIES = 30;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"flat", "hnsw:M=8,efc=40", "hnsw:M=8,efc=40,quant=sq8", "flat:quant=sq8", "faiss:HNSW16,Flat",
            "faiss:IVF16,Flat"})
    void everySpecReturnsMinOfKAndLiveRows(String spec) throws Exception {
        Random rnd = new Random(spec.hashCode());
        float[][] points = unit(TestData.random(POINTS, DIM, 7));
        int n = POINTS * COPIES;
        long[] ids = new long[n];
        float[][] vectors = new float[n][];
        Map<Long, float[]> live = new HashMap<>();
        for (int i = 0; i < n; i++) {
            float[] v = points[i % POINTS].clone();
            if ((i / POINTS) % 2 == 1) {
                for (int j = 0; j < DIM; j++) v[j] += (float) (1e-4 * rnd.nextGaussian());
            }
            ids[i] = i;
            vectors[i] = v;
            live.put((long) i, v);
        }
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("i")).dimension(DIM).metric(Metric.INNER_PRODUCT)
                .spec(spec).threads(2).create()) {
            if (spec.startsWith("faiss:IVF")) index.train(vectors);
            index.add(ids, vectors);
            check(index, live, spec + " before deletes"); // no deleted row: the path without an allow-set
            for (long id = 0; id < n; id++) { // a third deleted, a tenth replaced by another point's duplicate
                if (rnd.nextInt(3) == 0) {
                    index.delete(id);
                    live.remove(id);
                } else if (rnd.nextInt(10) == 0) {
                    float[] v = points[rnd.nextInt(POINTS)].clone();
                    index.add(id, v);
                    live.put(id, v);
                }
            }
            assertEquals(live.size(), index.size());
            check(index, live, spec);
            index.commit();
            check(index, live, spec + " after commit");
        }
    }

    private static void check(PanavecIndex index, Map<Long, float[]> live, String what) {
        boolean exact = what.startsWith("flat ") && !what.contains("quant");
        float[][] queries = new float[12][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = i < 8 ? live.values().stream().skip(i * 37L % live.size()).findFirst().orElseThrow().clone()
                    : unit(TestData.random(1, DIM, 100 + i))[0];
        }
        for (int k : new int[] {1, 10, 100, live.size(), live.size() + 50}) {
            List<SearchResult> batch = index.searchBatch(queries, k);
            for (int qi = 0; qi < queries.length; qi++) {
                for (SearchResult r : List.of(index.search(SearchRequest.of(queries[qi], k).withEfSearch(16)), batch.get(qi))) {
                    String at = what + ", query " + qi + ", k " + k + ", strategy " + r.strategy();
                    assertEquals(Math.min(k, live.size()), r.size(), at + ": hits");
                    Set<Long> seen = new HashSet<>();
                    float previous = Float.POSITIVE_INFINITY;
                    for (SearchHit h : r.hits()) {
                        assertTrue(seen.add(h.id()), at + ": id " + h.id() + " twice");
                        float[] v = live.get(h.id());
                        assertTrue(v != null, at + ": id " + h.id() + " is not live");
                        assertEquals(TestData.score(Metric.INNER_PRODUCT, queries[qi], v), h.score(), 2e-4, at + ": score of " + h.id());
                        assertTrue(h.score() <= previous + 1e-6f, at + ": not best first");
                        previous = h.score();
                    }
                    if (exact) {
                        float[] q = queries[qi];
                        double[] truth = live.values().stream().mapToDouble(v -> TestData.score(Metric.INNER_PRODUCT, q, v))
                                .map(s -> -s).sorted().map(s -> -s).limit(k).toArray();
                        for (int i = 0; i < truth.length; i++) assertEquals(truth[i], r.get(i).score(), 2e-4, at + ": rank " + i);
                    }
                }
            }
        }
    }

    private static float[][] unit(float[][] v) {
        for (float[] row : v) {
            double s = Math.sqrt(Arrays.stream(toDouble(row)).map(x -> x * x).sum());
            for (int j = 0; j < row.length; j++) row[j] /= (float) s;
        }
        return v;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
