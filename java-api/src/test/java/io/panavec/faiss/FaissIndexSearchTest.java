package io.panavec.faiss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panavec.internal.NativeMetric;
import io.panavec.bindings.PanavecNativeException;
import io.panavec.faiss.BruteForce.Hit;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FaissIndexSearchTest {
    private static final int DIM = 24;

    /** Same ranking as the oracle: each rank's score matches and each id really has that score (ties may swap). */
    static void assertMatchesOracle(NativeMetric metric, float[][] base, long[] ids, float[] q, List<Hit> truth, FaissHits got) {
        assertEquals(truth.size(), got.size(), "number of hits");
        Map<Long, float[]> byId = new HashMap<>();
        for (int i = 0; i < base.length; i++) byId.put(ids == null ? i : ids[i], base[i]);
        for (int r = 0; r < truth.size(); r++) {
            double want = truth.get(r).score();
            double tol = 1e-3 * (1 + Math.abs(want));
            assertEquals(want, got.scores()[r], tol, "score at rank " + r);
            float[] v = byId.get(got.ids()[r]);
            assertTrue(v != null, "unknown id " + got.ids()[r]);
            assertEquals(BruteForce.score(metric, q, v), got.scores()[r], tol, "id " + got.ids()[r] + " at rank " + r);
        }
    }

    @ParameterizedTest
    @EnumSource(NativeMetric.class)
    void flatMatchesBruteForce(NativeMetric metric) {
        float[][] base = BruteForce.gaussian(1500, DIM, 1);
        base[7] = new float[DIM]; // a zero vector: cosine 0, must not break anything
        float[][] queries = BruteForce.gaussian(15, DIM, 2);
        try (FaissIndex index = FaissIndex.create(DIM, "Flat", metric)) {
            index.add(base);
            assertEquals(1500, index.size());
            FaissHits[] got = index.search(queries, 10, SearchParams.defaults());
            for (int q = 0; q < queries.length; q++) {
                List<Hit> truth = BruteForce.topK(metric, base, queries[q], 10);
                assertMatchesOracle(metric, base, null, queries[q], truth, got[q]);
            }
        }
    }

    @Test
    void kLargerThanIndexReturnsEverything() {
        float[][] base = BruteForce.gaussian(5, DIM, 3);
        try (FaissIndex index = FaissIndex.create(DIM, "Flat", NativeMetric.L2)) {
            index.add(base);
            FaissHits r = index.search(base[0], 100);
            assertEquals(5, r.size());
            assertEquals(0, r.ids()[0]);
        }
    }

    @Test
    void hnswRecallAtTenIsHigh() {
        int dim = 16;
        float[][] base = BruteForce.gaussian(5000, dim, 4);
        float[][] queries = BruteForce.gaussian(50, dim, 4_000);
        try (FaissIndex index = FaissIndex.create(dim, "HNSW32,Flat", NativeMetric.L2)) {
            assertTrue(index.isHnsw());
            index.add(base);
            FaissHits[] got = index.search(queries, 10, SearchParams.defaults().withEfSearch(64));
            double recall = 0;
            for (int q = 0; q < queries.length; q++) {
                recall += BruteForce.recall(BruteForce.topK(NativeMetric.L2, base, queries[q], 10), got[q]);
            }
            recall /= queries.length;
            assertTrue(recall >= 0.9, "recall@10 = " + recall);
        }
    }

    @Test
    void ivfNprobeEqualToNlistIsExactAndOneProbeIsNot() {
        float[][] base = BruteForce.gaussian(3000, DIM, 5);
        float[][] queries = BruteForce.gaussian(20, DIM, 6);
        try (FaissIndex index = FaissIndex.create(DIM, "IVF16,Flat", NativeMetric.INNER_PRODUCT)) {
            assertTrue(index.isIvf());
            assertTrue(!index.isTrained());
            index.train(base);
            index.add(base);
            FaissHits[] exact = index.search(queries, 10, SearchParams.defaults().withNprobe(16));
            FaissHits[] narrow = index.search(queries, 10, SearchParams.defaults().withNprobe(1));
            double narrowRecall = 0;
            for (int q = 0; q < queries.length; q++) {
                List<Hit> truth = BruteForce.topK(NativeMetric.INNER_PRODUCT, base, queries[q], 10);
                assertMatchesOracle(NativeMetric.INNER_PRODUCT, base, null, queries[q], truth, exact[q]);
                narrowRecall += BruteForce.recall(truth, narrow[q]);
            }
            assertTrue(narrowRecall / queries.length < 0.9, "nprobe=1 recall " + narrowRecall / queries.length);
        }
    }

    /** Specs whose search must honour an allow-list; nprobe = nlist keeps IVF exact. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Flat", "HNSW32,Flat", "IVF8,Flat", "IDMap,Flat", "IVF8,SQ8", "PCA16,IVF8,Flat"})
    void allowListReturnsOnlyAllowedIds(String spec) {
        float[][] base = BruteForce.gaussian(2000, DIM, 7);
        float[][] queries = BruteForce.gaussian(10, DIM, 8);
        boolean idmap = spec.startsWith("IDMap");
        long[] ids = new long[base.length];
        for (int i = 0; i < ids.length; i++) ids[i] = idmap ? 10_000 + 3L * i : i;
        BitSet allow = new BitSet();
        Random rnd = new Random(9);
        for (long id : ids) {
            if (rnd.nextInt(2) == 0) allow.set((int) id);
        }
        try (FaissIndex index = FaissIndex.create(DIM, spec, NativeMetric.L2)) {
            if (!index.isTrained()) index.train(base);
            if (idmap) index.addWithIds(base, ids);
            else index.add(base);
            SearchParams params = SearchParams.defaults().withAllow(allow).withNprobe(8).withEfSearch(64);
            FaissHits[] got = index.search(queries, 10, params);
            for (int q = 0; q < queries.length; q++) {
                assertEquals(10, got[q].size(), "hits for query " + q);
                for (long id : got[q].ids()) assertTrue(allow.get((int) id), spec + " returned disallowed id " + id);
                if (spec.equals("Flat") || spec.equals("IDMap,Flat") || spec.equals("IVF8,Flat")) {
                    List<Hit> truth = BruteForce.ranked(NativeMetric.L2, base, ids, queries[q], id -> allow.get((int) id)).subList(0, 10);
                    assertMatchesOracle(NativeMetric.L2, base, ids, queries[q], truth, got[q]);
                }
            }
            // Fewer allowed ids than k: exactly those come back.
            BitSet few = new BitSet();
            for (int i = 0; i < 4; i++) few.set((int) ids[i * 97]);
            FaissHits r = index.search(queries[0], 10, params.withAllow(few));
            if (!spec.startsWith("HNSW")) { // a graph walk may miss isolated allowed nodes
                assertEquals(4, r.size(), spec);
            }
            for (long id : r.ids()) assertTrue(few.get((int) id));
            // An empty allow-list allows nothing.
            assertEquals(0, index.search(queries[0], 10, params.withAllow(new BitSet())).size());
        }
    }

    @Test
    void allowListOnUnsupportedIndexIsRejected() {
        float[][] base = BruteForce.gaussian(1000, 8, 10);
        try (FaissIndex index = FaissIndex.create(8, "SQ8", NativeMetric.L2)) {
            index.train(base);
            index.add(base);
            BitSet allow = new BitSet();
            allow.set(1);
            PanavecNativeException e = assertThrows(PanavecNativeException.class,
                    () -> index.search(base[0], 3, SearchParams.defaults().withAllow(allow)));
            assertEquals(2, e.status(), e.getMessage()); // PV_EUNSUPPORTED
            assertEquals(3, index.search(base[0], 3).size());
        }
    }

    @ParameterizedTest
    @EnumSource(NativeMetric.class)
    void rangeSearchFlatMatchesBruteForce(NativeMetric metric) {
        float[][] base = BruteForce.gaussian(1000, DIM, 11);
        float[][] queries = BruteForce.gaussian(5, DIM, 12);
        float radius = switch (metric) {
            case L2 -> 30f;
            case INNER_PRODUCT -> 8f;
            case COSINE -> 0.35f;
        };
        BitSet allow = new BitSet();
        allow.set(0, 1000, true);
        allow.clear(0, 500);
        try (FaissIndex index = FaissIndex.create(DIM, "Flat", metric)) {
            index.add(base);
            for (BitSet filter : new BitSet[] {null, allow}) {
                FaissHits[] got = index.rangeSearch(queries, radius, SearchParams.defaults().withAllow(filter));
                for (int q = 0; q < queries.length; q++) {
                    List<Hit> truth = BruteForce.ranked(metric, base, null, queries[q],
                                    id -> filter == null || filter.get((int) id)).stream()
                            .filter(h -> metric == NativeMetric.L2 ? h.score() < radius : h.score() > radius)
                            .toList();
                    assertTrue(!truth.isEmpty(), "radius too tight for a meaningful test");
                    // Hits within float rounding of the radius may fall either side.
                    int tolerance = (int) truth.stream().filter(h -> Math.abs(h.score() - radius) < 1e-3).count();
                    assertTrue(Math.abs(truth.size() - got[q].size()) <= tolerance, truth.size() + " vs " + got[q].size());
                    if (tolerance == 0) assertMatchesOracle(metric, base, null, queries[q], truth, got[q]);
                }
            }
        }
    }

    @Test
    void rangeSearchIvfWithAllProbesIsExact() {
        float[][] base = BruteForce.gaussian(2000, DIM, 13);
        try (FaissIndex index = FaissIndex.create(DIM, "IVF8,Flat", NativeMetric.L2)) {
            index.train(base);
            index.add(base);
            FaissHits got = index.rangeSearch(base[3], 25f, SearchParams.defaults().withNprobe(8));
            List<Hit> truth = BruteForce.ranked(NativeMetric.L2, base, null, base[3], null).stream()
                    .filter(h -> h.score() < 25f).toList();
            assertMatchesOracle(NativeMetric.L2, base, null, base[3], truth, got);
        }
    }

    @Test
    void rangeSearchOnHnswReportsFaissError() {
        try (FaissIndex index = FaissIndex.create(8, "HNSW8,Flat", NativeMetric.L2)) {
            index.add(BruteForce.gaussian(100, 8, 14));
            PanavecNativeException e = assertThrows(PanavecNativeException.class,
                    () -> index.rangeSearch(new float[8], 1f, SearchParams.defaults()));
            assertTrue(e.getMessage().toLowerCase().contains("range search"), e.getMessage());
        }
    }
}
