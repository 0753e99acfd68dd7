package io.panavec;

import io.panavec.attributes.AttributeType;
import io.panavec.filter.Filter;
import io.panavec.attributes.Schema;
import io.panavec.store.ElementType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Batch search ({@link PanavecIndex#search(List)}, {@link PanavecIndex#searchBatch}): on an exact index the
 * blocked scan against brute force in double precision (every metric, f16 rows, deleted rows, mixed k);
 * on every other spec each batch result equals the one-request search; filtered requests in a batch keep
 * the filter guarantee.
 */
class BatchSearchTest {
    static final int N = 1500;
    static final int DIM = 40;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Metric.class)
    void exactBatchMatchesBruteForce(Metric metric) throws Exception {
        float[][] base = TestData.random(N, DIM, 3);
        float[][] queries = TestData.random(45, DIM, 4); // 45: more than one query range per thread, odd remainder
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("i")).dimension(DIM).metric(metric).spec("flat").threads(2).create()) {
            long[] ids = new long[N];
            for (int i = 0; i < N; i++) ids[i] = 10_000 + i;
            index.add(ids, base);
            List<SearchResult> got = index.searchBatch(queries, 12);
            assertEquals(queries.length, got.size());
            for (int q = 0; q < queries.length; q++) {
                int[] truth = TestData.topK(metric, base, queries[q], 12);
                assertEquals(12, got.get(q).size());
                for (int i = 0; i < 12; i++) {
                    SearchHit h = got.get(q).get(i);
                    assertEquals(10_000L + truth[i], h.id(), "query " + q + " rank " + i);
                    assertEquals(TestData.score(metric, queries[q], base[truth[i]]), h.score(), 1e-4);
                }
            }
        }
    }

    @Test
    void exactBatchSkipsDeletedRowsMixesKAndReadsHalves() throws Exception {
        float[][] base = TestData.random(N, DIM, 5);
        float[][] halves = new float[N][DIM];
        for (int i = 0; i < N; i++) for (int j = 0; j < DIM; j++) halves[i][j] = Float.float16ToFloat(Float.floatToFloat16(base[i][j]));
        float[][] queries = TestData.random(20, DIM, 6);
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("h")).dimension(DIM).metric(Metric.L2).spec("flat")
                .elementType(ElementType.F16).threads(2).create()) {
            long[] ids = new long[N];
            for (int i = 0; i < N; i++) ids[i] = i;
            index.add(ids, base);
            Set<Long> gone = new HashSet<>();
            for (long id = 0; id < N; id += 3) {
                index.delete(id);
                gone.add(id);
            }
            List<SearchRequest> requests = new ArrayList<>();
            for (int q = 0; q < queries.length; q++) requests.add(SearchRequest.of(queries[q], 1 + q % 7));
            List<SearchResult> got = index.search(requests);
            for (int q = 0; q < queries.length; q++) {
                int k = 1 + q % 7;
                int[] all = TestData.topK(Metric.L2, halves, queries[q], N);
                List<Long> want = new ArrayList<>();
                for (int r : all) if (!gone.contains((long) r) && want.size() < k) want.add((long) r);
                assertEquals(want, got.get(q).hits().stream().map(SearchHit::id).toList(), "query " + q);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hnsw:M=12,efc=60", "flat:quant=sq8", "hnsw:M=12,efc=60,quant=lvq4x8", "faiss:Flat"})
    void everyOtherSpecAnswersAsOneRequestAtATime(String spec) throws Exception {
        float[][] base = TestData.random(N, DIM, 7);
        float[][] queries = TestData.random(30, DIM, 8);
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("s")).dimension(DIM).metric(Metric.INNER_PRODUCT).spec(spec)
                .threads(2).create()) {
            long[] ids = new long[N];
            for (int i = 0; i < N; i++) ids[i] = i;
            index.add(ids, base);
            List<SearchRequest> requests = new ArrayList<>();
            for (float[] q : queries) requests.add(SearchRequest.of(q, 10).withEfSearch(40));
            List<SearchResult> got = index.search(requests);
            for (int q = 0; q < queries.length; q++) {
                SearchResult one = index.search(requests.get(q));
                assertEquals(one.hits().stream().map(SearchHit::id).toList(), got.get(q).hits().stream().map(SearchHit::id).toList(),
                        spec + " query " + q);
            }
        }
    }

    @Test
    void filteredRequestsInABatchKeepTheGuarantee() throws Exception {
        float[][] base = TestData.random(N, DIM, 9);
        float[][] queries = TestData.random(16, DIM, 10);
        Schema schema = Schema.builder().add("bucket", AttributeType.INT).build();
        for (String spec : List.of("flat", "hnsw:M=12,efc=60")) {
            try (PanavecIndex index = PanavecIndex.builder(tmp.resolve(spec.replace(':', '_').replace(',', '_'))).dimension(DIM)
                    .metric(Metric.INNER_PRODUCT).spec(spec).schema(schema).threads(2).create()) {
                long[] ids = new long[N];
                List<Map<String, Object>> attrs = new ArrayList<>();
                for (int i = 0; i < N; i++) {
                    ids[i] = i;
                    attrs.add(Map.of("bucket", i % 100));
                }
                index.add(ids, base, attrs);
                List<SearchRequest> requests = new ArrayList<>();
                for (int q = 0; q < queries.length; q++) {
                    // every other request filtered to 1% of the rows (15 matches) with k = 20: min(k, matches) = 15
                    requests.add(q % 2 == 0 ? SearchRequest.of(queries[q], 20).withFilter(Filter.eq("bucket", 7))
                            : SearchRequest.of(queries[q], 20));
                }
                List<SearchResult> got = index.search(requests);
                for (int q = 0; q < queries.length; q++) {
                    SearchResult r = got.get(q);
                    if (q % 2 == 0) {
                        assertEquals(15, r.size(), spec + " query " + q);
                        for (SearchHit h : r.hits()) assertEquals(7, h.id() % 100, spec + " hit fails the filter");
                    } else {
                        assertEquals(20, r.size());
                    }
                }
            }
        }
    }

    @Test
    void badInputIsRefusedBeforeAnyNativeCall() throws Exception {
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("b")).dimension(4).metric(Metric.L2).spec("flat").create()) {
            index.add(new long[] {1}, new float[][] {{1, 2, 3, 4}});
            assertThrows(IllegalArgumentException.class, () -> index.searchBatch(new float[][] {{1, 2, 3}}, 1));
            assertThrows(IllegalArgumentException.class, () -> index.searchBatch(new float[][] {{1, 2, Float.NaN, 4}}, 1));
            assertThrows(IllegalArgumentException.class, () -> index.searchBatch(new float[][] {{1, 2, 3, 4}}, 0));
            assertThrows(IllegalArgumentException.class, () -> index.searchBatch(new float[][] {null}, 1));
            assertEquals(List.of(), index.searchBatch(new float[0][], 3));
            assertEquals(1, index.searchBatch(new float[][] {{0, 0, 0, 0}}, 5).get(0).size());
        }
    }
}
