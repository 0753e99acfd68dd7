package io.panavec;

import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

class FlatIndexTest {
    @TempDir
    Path tmp;

    private VectorStore storeOf(float[][] base, ElementType type, long idBase) throws Exception {
        VectorStore s = VectorStore.builder(tmp.resolve("v-" + type + ".pvs")).dimension(base[0].length).elementType(type)
                .chunkBytes(1 << 20).create();
        for (int i = 0; i < base.length; i++) s.append(idBase + i, base[i]);
        s.commit();
        return s;
    }

    @Test
    void exactSearchHasRecallOneOnShippedGroundTruth() throws Exception {
        float[][] base = TestData.read("base.fvecs");
        float[][] queries = TestData.read("queries.fvecs");
        int[][] gt = TestData.groundTruth("queries-groundtruth.ivecs");
        try (VectorStore store = storeOf(base, ElementType.F32, 0); FlatIndex index = FlatIndex.over(store, Metric.INNER_PRODUCT, 2)) {
            assertTrue(store.chunkCount() > 1, "the test must scan across chunks");
            List<List<SearchHit>> results = index.search(queries, 10);
            double sum = 0;
            for (int q = 0; q < queries.length; q++) sum += TestData.recall(results.get(q), gt[q], 10);
            assertEquals(1.0, sum / queries.length, 1e-12);
        }
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void matchesBruteForceForEveryMetricWithExternalIds(Metric metric) throws Exception {
        float[][] base = TestData.random(3000, 37, 7);
        float[][] queries = TestData.random(20, 37, 8);
        try (VectorStore store = storeOf(base, ElementType.F32, 1_000_000); FlatIndex index = FlatIndex.over(store, metric)) {
            for (float[] q : queries) {
                List<SearchHit> hits = index.search(q, 15);
                int[] truth = TestData.topK(metric, base, q, 15);
                assertEquals(15, hits.size());
                for (int i = 0; i < 15; i++) {
                    assertEquals(truth[i], hits.get(i).row(), "rank " + i);
                    assertEquals(1_000_000L + truth[i], hits.get(i).id());
                    assertEquals(TestData.score(metric, q, base[truth[i]]), hits.get(i).score(), 1e-3);
                }
            }
        }
    }

    @Test
    void f16StoreScoresQueriesAgainstHalfPrecisionVectors() throws Exception {
        float[][] base = TestData.random(2000, 64, 9);
        float[][] halves = new float[base.length][];
        for (int i = 0; i < base.length; i++) {
            halves[i] = new float[64];
            for (int j = 0; j < 64; j++) halves[i][j] = Float.float16ToFloat(Float.floatToFloat16(base[i][j]));
        }
        float[] q = TestData.random(1, 64, 10)[0];
        try (VectorStore store = storeOf(base, ElementType.F16, 0); FlatIndex index = FlatIndex.over(store, Metric.L2)) {
            List<SearchHit> hits = index.search(q, 10);
            int[] truth = TestData.topK(Metric.L2, halves, q, 10);
            for (int i = 0; i < 10; i++) assertEquals(truth[i], hits.get(i).row());
        }
    }

    @Test
    void kLargerThanStoreReturnsEveryRowAndAllowListFilters() throws Exception {
        float[][] base = TestData.random(100, 8, 11);
        try (VectorStore store = storeOf(base, ElementType.F32, 0); FlatIndex index = FlatIndex.over(store, Metric.INNER_PRODUCT)) {
            assertEquals(100, index.search(base[0], 1000).size());
            try (var arena = java.lang.foreign.Arena.ofConfined()) {
                var allow = arena.allocate(java.lang.foreign.ValueLayout.JAVA_LONG, 2);
                allow.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, 0, 0b1010L); // rows 1 and 3
                allow.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, 1, 1L << (70 - 64)); // row 70
                List<SearchHit> hits = index.search(base[0], 10, allow);
                assertEquals(List.of(1L, 3L, 70L), hits.stream().map(SearchHit::row).sorted().toList());
            }
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyNativeCall() throws Exception {
        float[][] base = TestData.random(10, 4, 12);
        VectorStore store = storeOf(base, ElementType.F32, 0);
        FlatIndex index = FlatIndex.over(store, Metric.L2);
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[3], 1));
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[] {0, Float.NaN, 0, 0}, 1));
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[] {0, Float.POSITIVE_INFINITY, 0, 0}, 1));
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[4], 0));
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[4], -3));
        assertThrows(IllegalArgumentException.class, () -> index.search(new byte[4], 1));
        index.close();
        assertThrows(IllegalStateException.class, () -> index.search(new float[4], 1));
        store.close();
    }

    @Test
    void concurrentSearchesAgreeWithSerialOnes() throws Exception {
        float[][] base = TestData.random(5000, 48, 13);
        float[][] queries = TestData.random(64, 48, 14);
        try (VectorStore store = storeOf(base, ElementType.F32, 0); FlatIndex index = FlatIndex.over(store, Metric.COSINE)) {
            List<List<SearchHit>> serial = new java.util.ArrayList<>();
            for (float[] q : queries) serial.add(index.search(q, 10));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<List<SearchHit>>> fs = new java.util.ArrayList<>();
            for (int rep = 0; rep < 4; rep++) for (float[] q : queries) fs.add(pool.submit(() -> index.search(q, 10)));
            for (int i = 0; i < fs.size(); i++) assertEquals(serial.get(i % queries.length), fs.get(i).get());
            pool.shutdown();
        }
    }
}
