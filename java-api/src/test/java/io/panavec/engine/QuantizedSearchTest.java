package io.panavec.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panavec.internal.NativeMetric;
import io.panavec.TestData;
import io.panavec.graph.HnswGraph;
import io.panavec.graph.VectorView;
import io.panavec.quant.QuantSpec;
import io.panavec.quant.QuantizedVectors;
import io.panavec.quant.Quantizers;
import io.panavec.store.ElementType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search compressed, re-rank exact, on 3000 rows of the shipped wordnet-minilm cut: graph traversal
 * over codes and fused flat scans of codes, re-ranked by the residual level or by float32 rows,
 * against brute-force exact top-10. Also: with full-precision re-ranking the returned scores are the
 * exact inner products, and bad arguments are refused.
 */
class QuantizedSearchTest {
    static final int N = 3000, K = 10;
    static float[][] base, queries;
    static int[][] truth;
    static Arena arena;
    static MemorySegment floats;
    static HnswGraph graph;

    @BeforeAll
    static void setUp() {
        base = Arrays.copyOf(TestData.read("base.fvecs"), N);
        queries = Arrays.copyOf(TestData.read("queries.fvecs"), 100);
        int dim = base[0].length;
        arena = Arena.ofShared();
        floats = arena.allocate((long) N * dim * 4, 64);
        for (int i = 0; i < N; i++) {
            MemorySegment.copy(base[i], 0, floats, ValueLayout.JAVA_FLOAT, (long) i * dim * 4, dim);
        }
        graph = HnswGraph.create(dim, NativeMetric.INNER_PRODUCT, 16, 100, 1);
        graph.addRange(new VectorView(new MemorySegment[] {floats}, 40, N, dim, ElementType.F32), 2);
        truth = new int[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            float[] qq = queries[q];
            truth[q] = IntStream.range(0, N).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -dot(base[i], qq)).thenComparingInt(i -> i))
                    .limit(K).mapToInt(i -> i).toArray();
        }
    }

    @AfterAll
    static void tearDown() {
        graph.close();
        arena.close();
    }

    static double recall(java.util.function.Function<float[], long[]> search) {
        int hits = 0;
        for (int q = 0; q < queries.length; q++) {
            long[] found = search.apply(queries[q]);
            for (long f : found) {
                for (int t : truth[q]) {
                    if (t == f) {
                        hits++;
                    }
                }
            }
        }
        return hits / (double) (K * queries.length);
    }

    @Test
    void graphAndFlatSearchOnCodesWithRerankFindTheTrueNeighbours() {
        float[][] sample = Arrays.copyOf(base, 1000);
        for (String m : new String[] {"lvq4", "lvq4x8", "lvq8", "sq8", "binary", "leanvec-id.128.lvq4", "leanvec-id.128.lvq8", "leanvec-id.128.lvq8x8"}) {
            QuantSpec spec = QuantSpec.parse(m);
            try (QuantizedVectors codes = QuantizedVectors.encode(Quantizers.train(spec, sample, null), base)) {
                QuantizedSearch s = new QuantizedSearch(codes, NativeMetric.INNER_PRODUCT, floats);
                QuantizedSearch.Rerank how = s.defaultRerank();
                double flat = recall(q -> s.searchFlat(q, K, 50, how).rows());
                double walk = recall(q -> s.searchGraph(graph, q, K, 100, 50, how).rows());
                double min = m.equals("binary") ? 0.8 : m.startsWith("leanvec") ? 0.9 : 0.95; // lossy first passes: the re-rank sees only their top 50
                assertTrue(flat >= min, m + " flat recall " + flat);
                assertTrue(walk >= min, m + " graph recall " + walk);
            }
        }
    }

    @Test
    void fullPrecisionRerankReturnsExactScores() {
        try (QuantizedVectors codes = QuantizedVectors.encode(Quantizers.train(QuantSpec.parse("lvq4"), base, null), base)) {
            QuantizedSearch s = new QuantizedSearch(codes, NativeMetric.INNER_PRODUCT, floats);
            QuantizedSearch.Hits h = s.searchGraph(graph, queries[0], K, 64, 40, QuantizedSearch.Rerank.FULL_PRECISION);
            for (int i = 0; i < h.rows().length; i++) {
                double exact = dot(base[(int) h.rows()[i]], queries[0]);
                assertTrue(Math.abs(exact - h.scores()[i]) < 1e-4, "row " + h.rows()[i]);
                if (i > 0) {
                    assertTrue(h.scores()[i] <= h.scores()[i - 1]);
                }
            }
            // the flat scan with rerank depth = N re-ranks everything: exactly the brute-force top-k
            assertArrayEquals(Arrays.stream(truth[1]).asLongStream().toArray(),
                    s.searchFlat(queries[1], K, N, QuantizedSearch.Rerank.FULL_PRECISION).rows());
            assertThrows(IllegalArgumentException.class, () -> s.searchFlat(queries[0], K, 5, QuantizedSearch.Rerank.NONE));
            assertThrows(IllegalArgumentException.class, () -> s.searchFlat(queries[0], K, 20, QuantizedSearch.Rerank.RESIDUAL));
            assertThrows(IllegalArgumentException.class, () -> s.searchFlat(new float[5], K, 20, QuantizedSearch.Rerank.NONE));
            float[] nan = queries[0].clone();
            nan[0] = Float.NaN;
            assertThrows(IllegalArgumentException.class, () -> s.searchGraph(graph, nan, K, 20, 20, QuantizedSearch.Rerank.NONE));
            assertThrows(IllegalArgumentException.class, () -> graph.searchCodes(codes.view(), new float[3], K, 10, null));
        }
    }

    /**
     * A 4-bit walk scores rows against the query rounded to int8 (pv_hnsw_search_codes): each score it returns is
     * within step * (scale / 2) * 15 * pdim of the float code score pv_quant_score gives the same row (every query
     * element is off by at most half the int8 scale, every code is at most 15), for IP and L2.
     */
    @Test
    void fourBitWalkScoresStayWithinTheInt8QueryBound() {
        float[][] sample = Arrays.copyOf(base, 1000);
        for (String m : new String[] {"lvq4", "leanvec-id.96.lvq4"}) {
            io.panavec.quant.Quantizer quantizer = Quantizers.train(QuantSpec.parse(m), sample, null);
            try (QuantizedVectors codes = QuantizedVectors.encode(quantizer, base)) {
                long rowBytes = quantizer.rowBytes();
                int pd = (quantizer.codeDimension() + 31) & ~31;
                int checked = 0;
                double worst = 0;
                for (int q = 0; q < 20; q++) {
                    float[] qt = quantizer.prepareQuery(queries[q]);
                    float max = 0;
                    for (int i = 0; i < pd; i++) max = Math.max(max, Math.abs(qt[i]));
                    HnswGraph.Result r = graph.searchCodes(codes.view(), qt, K, 40, null);
                    for (int i = 0; i < r.rows().length; i++) {
                        MemorySegment row = codes.rows().asSlice(r.rows()[i] * rowBytes, rowBytes);
                        float exact = io.panavec.bindings.panavec_quant_h.pv_quant_score(0, 4, MemorySegment.ofArray(qt), row,
                                quantizer.codeDimension());
                        double step = row.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4);
                        double bound = step * (max / 127.0 / 2) * 15 * pd + 1e-4 * Math.abs(exact) + 1e-5;
                        double err = Math.abs(exact - r.scores()[i]);
                        worst = Math.max(worst, err / bound);
                        assertTrue(err <= bound, m + " row " + r.rows()[i] + ": walk " + r.scores()[i] + ", float codes " + exact
                                + " (bound " + bound + ")");
                        checked++;
                    }
                }
                assertTrue(checked == 20 * K, m + " checked " + checked);
                assertTrue(worst > 0, m + ": the walk's scores equal the float ones exactly; is the int8 walk in use?");
            }
        }
    }

    /**
     * A code walk asked for more rows than its beam (k > ef) does not widen the beam: it scores exactly the rows the
     * ef-wide walk scores, its first ef rows are that walk's answer, and the rest are further rows it scored, each with
     * its own code score (pv_quant_score), best first, distinct. Re-ranking them (full precision) finds at least as
     * many of the exact top-10 as re-ranking the beam alone, and the old widening (ef = k) scores more rows.
     */
    @Test
    void deepCodeWalkKeepsMoreScoredRowsWithoutWideningTheBeam() {
        io.panavec.quant.Quantizer quantizer = Quantizers.train(QuantSpec.parse("lvq8"), Arrays.copyOf(base, 1000), null);
        try (QuantizedVectors codes = QuantizedVectors.encode(quantizer, base)) {
            QuantizedSearch s = new QuantizedSearch(codes, NativeMetric.INNER_PRODUCT, floats);
            long rowBytes = quantizer.rowBytes();
            int ef = 16, deep = 48, foundPlain = 0, foundDeep = 0;
            for (int q = 0; q < queries.length; q++) {
                float[] qt = quantizer.prepareQuery(queries[q]);
                HnswGraph.Result plain = graph.searchCodes(codes.view(), qt, ef, ef, null);
                HnswGraph.Result more = graph.searchCodes(codes.view(), qt, deep, ef, null);
                HnswGraph.Result widened = graph.searchCodes(codes.view(), qt, deep, deep, null);
                assertTrue(more.distanceComputations() == plain.distanceComputations(), "query " + q + ": the beam widened");
                assertTrue(widened.distanceComputations() > more.distanceComputations(), "query " + q);
                assertTrue(more.rows().length == deep, "query " + q + ": " + more.rows().length + " rows");
                assertArrayEquals(plain.rows(), Arrays.copyOf(more.rows(), ef), "query " + q);
                assertTrue(Arrays.stream(more.rows()).distinct().count() == deep, "query " + q + ": a row twice");
                for (int i = 0; i < deep; i++) {
                    MemorySegment row = codes.rows().asSlice(more.rows()[i] * rowBytes, rowBytes);
                    float score = io.panavec.bindings.panavec_quant_h.pv_quant_score(0, 8, MemorySegment.ofArray(qt), row, quantizer.codeDimension());
                    assertTrue(Math.abs(score - more.scores()[i]) <= 1e-5f * Math.max(1, Math.abs(score)), "query " + q + " row " + i);
                    assertTrue(i == 0 || more.scores()[i] <= more.scores()[i - 1], "query " + q + ": not best first at " + i);
                }
                foundPlain += overlap(s.searchGraph(graph, queries[q], K, ef, ef, QuantizedSearch.Rerank.FULL_PRECISION).rows(), truth[q]);
                foundDeep += overlap(s.searchGraph(graph, queries[q], K, ef, deep, QuantizedSearch.Rerank.FULL_PRECISION).rows(), truth[q]);
            }
            assertTrue(foundDeep >= foundPlain, "re-ranking 48 rows found " + foundDeep + " of the top-10s, the beam's 16 " + foundPlain);
        }
    }

    static int overlap(long[] rows, int[] top) {
        int n = 0;
        for (long r : rows) for (int t : top) if (r == t) { n++; break; }
        return n;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
