package io.panavec.bench.ann;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every engine, built small, against the brute-force oracle: right ids, enough recall, sane sizes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnnEnginesTest {
    private static final int N = 3000, DIM = 32, K = 10;
    private float[][] base;
    private QuerySet queries;

    @BeforeAll
    void data() {
        Random r = new Random(11);
        base = TestVectors.unit(r, N, DIM);
        float[][] q = TestVectors.unit(r, 60, DIM);
        queries = new QuerySet("test", q, ExactNeighbors.topK(base, q, K));
    }

    @AfterAll
    void release() {
        base = null;
    }

    static Stream<Supplier<AnnEngine>> engines() {
        return Stream.of(
                () -> new PanavecHnswEngine(16, 100),
                () -> new LuceneHnswEngine(16, 100),
                () -> new JVectorEngine(16, 100),
                () -> new FaissHnswEngine(32),
                () -> new FaissHnswEngine(16));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void findsTheExactNeighboursAtHighEffort(Supplier<AnnEngine> make) throws Exception {
        try (AnnEngine e = make.get()) {
            double seconds = e.build(base, 2);
            assertTrue(seconds > 0, e.name() + " build time");
            double bpv = e.bytesPerVector();
            assertTrue(bpv >= DIM * Float.BYTES && bpv < DIM * Float.BYTES + 4096, e.name() + " bytes/vector " + bpv);

            int[][] found = new int[queries.size()][];
            for (int q = 0; q < found.length; q++) {
                found[q] = e.search(queries.queries()[q], K, 200);
                assertEquals(K, found[q].length, e.name() + " query " + q);
                Set<Integer> distinct = new HashSet<>();
                for (int id : found[q]) {
                    assertTrue(id >= 0 && id < N, e.name() + " id " + id);
                    assertTrue(distinct.add(id), e.name() + " duplicate id " + id);
                }
            }
            double recall = Recall.mean(K, found, queries.groundTruth());
            assertTrue(recall >= 0.95, e.name() + " recall@10 at effort 200 was " + recall);

            // The meter measures the same thing as computed here.
            CurvePoint high = new QpsMeter(K, 1).measure(e, queries, 200);
            assertEquals(recall, high.recall(), 1e-12, e.name());
            assertTrue(high.qps() > 0, e.name());
        }
    }
}
