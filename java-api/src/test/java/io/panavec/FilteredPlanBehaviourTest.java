package io.panavec;

import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.filter.Filter;
import io.panavec.filter.Planner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The planner's choices run on an HNSW index (a small one, with a cost model scaled to it): the strategy
 * that ran is the one planned; the exact scan scores exactly the matching rows; every strategy keeps the
 * guarantee (min(k, matches) hits, all matching) and finds the brute-force filtered neighbours. (Whether
 * a walk beats the scan it replaces is a matter of scale: on 4,000 rows ACORN at its beam of 96 scores
 * about as many vectors as match; bench/results/filtered-wordnet-minilm.md measures it on 115k.)
 */
class FilteredPlanBehaviourTest {
    private static final int N = 4000, DIM = 16, K = 10;

    @TempDir
    Path dir;

    @Test
    void eachStrategyDoesWhatItWasPickedFor() throws Exception {
        float[][] base = TestData.random(N, DIM, 21);
        float[][] queries = TestData.random(40, DIM, 22);
        Planner planner = new Planner(2, 0.3); // exact up to 2 x the ACORN beam: walks on a small index
        Schema schema = Schema.builder().add("tag", AttributeType.INT).build();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("hnsw:M=16,efc=100")
                .schema(schema).threads(1).create()) {
            long[] ids = new long[N];
            List<Map<String, ?>> attrs = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                ids[i] = i;
                attrs.add(Map.of("tag", i % 100));
            }
            index.add(ids, base, attrs);
            index.planner(planner);
            Set<Planner.Strategy> seen = new HashSet<>();
            for (int below : new int[] {2, 4, 10, 25, 60, 95}) { // 2% .. 95% of the rows match
                Filter f = Filter.lt("tag", below);
                long matches = (long) N * below / 100;
                Planner.Strategy planned = planner.plan(matches, N, K, 0, true);
                seen.add(planned);
                double recall = 0;
                for (float[] q : queries) {
                    SearchResult r = index.search(SearchRequest.of(q, K).withFilter(f));
                    assertTrue(r.strategy().startsWith(planned.label()), "planned " + planned + ", ran " + r.strategy());
                    assertEquals(Math.min(K, matches), r.size(), r.strategy());
                    for (SearchHit h : r.hits()) assertTrue(h.id() % 100 < below, "hit " + h.id() + " fails tag < " + below);
                    if (planned == Planner.Strategy.EXACT) {
                        assertEquals(matches, r.candidatesScored(), "the exact scan scores every matching row");
                    }
                    int[] truth = TestData.topK(Metric.L2, filtered(base, below), q, K);
                    Set<Long> t = new HashSet<>();
                    for (int x : truth) t.add(originalRow(x, below));
                    recall += r.hits().stream().filter(h -> t.contains(h.id())).count() / (double) K;
                }
                recall /= queries.length;
                assertTrue(recall >= 0.9, planned + " at " + below + "% matching: recall@10 " + recall);
            }
            assertEquals(Set.of(Planner.Strategy.EXACT, Planner.Strategy.ACORN, Planner.Strategy.POST_FILTER), seen,
                    "the selectivities above should exercise every strategy");
        }
    }

    /** Rows with tag < below, in row order. */
    private static float[][] filtered(float[][] base, int below) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < base.length; i++) if (i % 100 < below) out.add(base[i]);
        return out.toArray(float[][]::new);
    }

    /** The row of the x-th row with tag < below. */
    private static long originalRow(int x, int below) {
        return (long) (x / below) * 100 + x % below;
    }
}
