package io.panavec;

import io.panavec.attributes.Schema;
import io.panavec.filter.Planner;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every FAISS factory spec serves deletes and filters with the guarantee of the other engines (issue 8,
 * item 2): never a hit that fails the filter or was deleted, no id twice, min(k, matches) hits, and the
 * hits found by FAISS (or the exact fallback) agree with a brute-force oracle over the allowed rows. FAISS
 * refuses an ID selector for SQ / PQ / PCA-wrapped flat codes; the planner then post-filters a widened
 * search and falls back to an exact scan of the allowed rows.
 */
class FaissSpecFilterTest {
    static final int N = 2000, DIM = 16, K = 10;
    static final Set<String> NEAR_EXACT = Set.of("SQ8", "IVF8,Flat");

    /** Vectors on an 8-dimensional subspace of R^16 plus a little noise: what PCA to 8 and PQ can represent. */
    static float[][] lowRank(int n, long seed) {
        float[][] mix = TestData.random(DIM, 8, 80);
        float[][] latent = TestData.random(n, 8, seed);
        float[][] noise = TestData.random(n, DIM, seed + 1000);
        float[][] out = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < DIM; j++) {
                double v = 0.01 * noise[i][j];
                for (int l = 0; l < 8; l++) v += (double) mix[j][l] * latent[i][l];
                out[i][j] = (float) v;
            }
        }
        return out;
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"SQ8", "PQ16x4", "PCA8,SQ8", "IVF8,PQ16x4", "IVF8,Flat"})
    void deletesAndFiltersKeepTheGuaranteeOnEveryFaissSpec(String factory) throws Exception {
        float[][] base = lowRank(N, 81);
        float[][] queries = lowRank(20, 82);
        Path dir = tmp.resolve(factory.replace(',', '_'));
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("faiss:" + factory)
                .schema(Schema.parse("bucket:int")).threads(2).create()) {
            index.train(base);
            List<Map<String, ?>> attrs = new ArrayList<>();
            for (int i = 0; i < N; i++) attrs.add(Map.of("bucket", i % 10));
            long[] ids = IntStream.range(0, N).asLongStream().toArray();
            index.add(ids, base, attrs);
            Set<Long> deleted = new HashSet<>();
            for (long id = 0; id < N; id += 7) {
                assertTrue(index.delete(id));
                deleted.add(id);
            }
            index.planner(new Planner(0, 0.3)); // never the planner's exact scan: FAISS must be asked
            Map<String, java.util.function.IntPredicate> filters = new java.util.LinkedHashMap<>();
            filters.put("", i -> true);
            filters.put("bucket = 3", i -> i % 10 == 3);
            filters.put("bucket < 5", i -> i % 10 < 5);
            for (var f : filters.entrySet()) {
                for (float[] q : queries) {
                    SearchRequest r = SearchRequest.of(q, K).withNprobe(8);
                    if (!f.getKey().isEmpty()) r = r.withFilter(f.getKey());
                    SearchResult res = index.search(r);
                    String ctx = factory + " filter '" + f.getKey() + "' strategy " + res.strategy();
                    List<Integer> allowed = new ArrayList<>();
                    for (int i = 0; i < N; i++) {
                        if (!deleted.contains((long) i) && f.getValue().test(i)) allowed.add(i);
                    }
                    assertEquals(Math.min(K, allowed.size()), res.size(), ctx);
                    Set<Long> seen = new HashSet<>();
                    for (SearchHit h : res.hits()) {
                        assertTrue(seen.add(h.id()), ctx + ": id " + h.id() + " twice");
                        assertTrue(allowed.contains((int) h.id()), ctx + ": id " + h.id() + " is deleted or fails the filter");
                    }
                    // the oracle: the allowed rows by exact distance
                    List<Integer> ranked = allowed.stream()
                            .sorted((a, b) -> Double.compare(TestData.score(Metric.L2, base[a], q), TestData.score(Metric.L2, base[b], q)))
                            .toList();
                    List<Long> got = res.hits().stream().map(SearchHit::id).toList();
                    long found = got.stream().filter(id -> ranked.subList(0, Math.min(K, ranked.size())).contains((int) (long) id)).count();
                    int least = res.strategy().endsWith("+exact-fallback") ? Math.min(K, ranked.size()) : NEAR_EXACT.contains(factory) ? 7 : 4;
                    assertTrue(found >= least, ctx + ": " + found + " of the true top " + K);
                }
            }
        }
    }
}
