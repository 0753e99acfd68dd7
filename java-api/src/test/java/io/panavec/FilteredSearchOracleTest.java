package io.panavec;

import io.panavec.attributes.AttributeType;
import io.panavec.filter.Filter;
import io.panavec.filter.FilterOracle;
import io.panavec.filter.Planner;
import io.panavec.attributes.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Randomized filtered search against a brute-force oracle (attributes evaluated row by row by
 * {@link FilterOracle}, distances in double in Java): for many random filters, k and queries, under every
 * planner strategy, on an HNSW and a flat index with deleted rows: zero results failing the filter, exactly
 * min(k, matches) results, and exact strategies return exactly the oracle's top k.
 */
class FilteredSearchOracleTest {
    static final Schema SCHEMA = Schema.builder()
            .add("cat", AttributeType.KEYWORD)
            .add("tags", AttributeType.KEYWORDS)
            .add("num", AttributeType.INT)
            .add("big", AttributeType.LONG)
            .add("price", AttributeType.DOUBLE)
            .add("w", AttributeType.FLOAT)
            .add("flag", AttributeType.BOOLEAN)
            .build();
    static final int N = 3000, DIM = 16;
    static final String[] CATS = {"a", "b", "c", "d", "e", "rare1", "rare2"};
    static final String[] TAGS = {"x", "y", "z", "t1", "t2"};

    @TempDir
    static Path tmp;
    static float[][] vectors;
    static List<Map<String, Object>> records;
    static PanavecIndex hnsw, flat;
    static Set<Long> deletedRows = new HashSet<>();

    @BeforeAll
    static void build() throws IOException {
        Random rnd = new Random(7);
        vectors = new float[N][DIM];
        records = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < DIM; j++) vectors[i][j] = (float) rnd.nextGaussian();
            records.add(randomRecord(rnd));
        }
        hnsw = PanavecIndex.builder(tmp.resolve("hnsw")).dimension(DIM).metric(Metric.L2).spec("hnsw:M=8,efc=40")
                .schema(SCHEMA).threads(2).create();
        flat = PanavecIndex.builder(tmp.resolve("flat")).dimension(DIM).metric(Metric.L2).spec("flat").schema(SCHEMA).create();
        for (int first = 0; first < N; first += 700) { // several adds: the sorted columns are rebuilt between
            int n = Math.min(700, N - first);
            long[] ids = IntStream.range(first, first + n).mapToLong(i -> 1000L + i).toArray();
            float[][] vs = java.util.Arrays.copyOfRange(vectors, first, first + n);
            hnsw.add(ids, vs, records.subList(first, first + n));
            flat.add(ids, vs, records.subList(first, first + n));
        }
        for (int i = 0; i < 150; i++) {
            long row = rnd.nextInt(N);
            deletedRows.add(row);
            hnsw.delete(1000L + row);
            flat.delete(1000L + row);
        }
    }

    @AfterAll
    static void close() throws IOException {
        hnsw.close();
        flat.close();
    }

    static Map<String, Object> randomRecord(Random rnd) {
        Map<String, Object> m = new HashMap<>();
        // skewed categories: 'a' common, rare ones a handful of rows
        double u = rnd.nextDouble();
        String cat = u < 0.5 ? "a" : u < 0.7 ? "b" : u < 0.85 ? "c" : u < 0.95 ? "d" : u < 0.995 ? "e" : rnd.nextBoolean() ? "rare1" : "rare2";
        if (rnd.nextInt(20) != 0) m.put("cat", cat); // 5% missing
        List<String> tags = new ArrayList<>();
        for (String t : TAGS) if (rnd.nextInt(4) == 0) tags.add(t);
        m.put("tags", tags);
        if (rnd.nextInt(10) != 0) m.put("num", (long) rnd.nextInt(200) - 50);
        m.put("big", rnd.nextLong() >> rnd.nextInt(64));
        if (rnd.nextInt(8) != 0) m.put("price", Math.round(rnd.nextDouble() * 1000) / 10.0);
        m.put("w", (double) (float) rnd.nextGaussian());
        if (rnd.nextInt(3) != 0) m.put("flag", rnd.nextBoolean());
        return m;
    }

    static Filter randomFilter(Random rnd, int depth) {
        if (depth > 0 && rnd.nextInt(3) == 0) {
            Filter a = randomFilter(rnd, depth - 1), b = randomFilter(rnd, depth - 1);
            return switch (rnd.nextInt(3)) {
                case 0 -> Filter.and(a, b);
                case 1 -> Filter.or(a, b);
                default -> Filter.not(a);
            };
        }
        return switch (rnd.nextInt(11)) {
            case 0 -> Filter.eq("cat", CATS[rnd.nextInt(CATS.length)]);
            case 1 -> Filter.in("cat", CATS[rnd.nextInt(CATS.length)], CATS[rnd.nextInt(CATS.length)], "nope");
            case 2 -> Filter.eq("tags", TAGS[rnd.nextInt(TAGS.length)]);
            case 3 -> Filter.range("num", rnd.nextInt(220) - 60, rnd.nextBoolean(), rnd.nextInt(220) - 60, rnd.nextBoolean());
            case 4 -> rnd.nextBoolean() ? Filter.lt("num", rnd.nextInt(200) - 50) : Filter.ge("num", rnd.nextDouble() * 200 - 50);
            case 5 -> Filter.between("price", rnd.nextDouble() * 100, rnd.nextDouble() * 100);
            case 6 -> Filter.gt("w", rnd.nextGaussian() * 2);
            case 7 -> Filter.eq("flag", rnd.nextBoolean());
            case 8 -> Filter.exists(new String[] {"cat", "tags", "num", "price", "flag"}[rnd.nextInt(5)]);
            case 9 -> Filter.eq("num", (long) rnd.nextInt(200) - 50);
            default -> rnd.nextBoolean() ? Filter.le("big", rnd.nextLong() >> rnd.nextInt(64)) : Filter.ne("cat", "a");
        };
    }

    /** Oracle: ids of live rows matching f, ordered by exact L2 distance to q. */
    static List<Integer> oracle(Filter f, float[] q) {
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            if (!deletedRows.contains((long) r) && FilterOracle.test(f, records.get(r), SCHEMA)) rows.add(r);
        }
        double[] d = new double[N];
        for (int r : rows) {
            double s = 0;
            for (int j = 0; j < DIM; j++) {
                double x = (double) q[j] - vectors[r][j];
                s += x * x;
            }
            d[r] = s;
        }
        rows.sort(Comparator.comparingDouble(r -> d[r]));
        return rows;
    }

    @Test
    void everyStrategyKeepsTheGuaranteeAgainstTheOracle() {
        Planner[] planners = {
                Planner.DEFAULT,                 // exact for this size
                new Planner(0, 2),               // ACORN whenever more than k match
                new Planner(0, 0),               // post-filter whenever more than k match
        };
        Random rnd = new Random(11);
        Map<String, Integer> strategies = new HashMap<>();
        double recallSum = 0;
        int recallN = 0;
        for (Planner planner : planners) {
            hnsw.planner(planner);
            for (int it = 0; it < 250; it++) {
                Filter f = randomFilter(rnd, 2);
                float[] q = new float[DIM];
                for (int j = 0; j < DIM; j++) q[j] = (float) rnd.nextGaussian();
                int k = 1 + rnd.nextInt(it % 5 == 0 ? 200 : 30);
                List<Integer> truth = oracle(f, q);
                int ef = rnd.nextInt(3) == 0 ? k : 0; // sometimes a tight beam, to exercise the fallback
                for (PanavecIndex index : new PanavecIndex[] {hnsw, flat}) {
                    SearchResult res = index.search(SearchRequest.of(q, k).withEfSearch(ef).withFilter(f));
                    strategies.merge(res.strategy(), 1, Integer::sum);
                    String ctx = Filter.text(f) + " k=" + k + " strategy=" + res.strategy();
                    assertEquals(Math.min(k, truth.size()), res.size(), "result count for " + ctx);
                    Set<Long> seen = new HashSet<>();
                    for (SearchHit h : res.hits()) {
                        int row = (int) h.row();
                        assertEquals(1000L + row, h.id(), ctx);
                        assertTrue(seen.add(h.row()), "duplicate row " + row + " for " + ctx);
                        if (deletedRows.contains(h.row())) fail("deleted row " + row + " returned for " + ctx);
                        if (!FilterOracle.test(f, records.get(row), SCHEMA)) fail("row " + row + " " + records.get(row) + " fails " + ctx);
                    }
                    Set<Integer> top = new HashSet<>(truth.subList(0, Math.min(k, truth.size())));
                    long found = res.hits().stream().filter(h -> top.contains((int) h.row())).count();
                    if (res.strategy().equals("filtered-exact-scan") || res.strategy().endsWith("+exact-fallback")) {
                        assertEquals(top.size(), found, "exact strategy must return the oracle's top k: " + ctx);
                    } else if (!top.isEmpty()) {
                        recallSum += (double) found / top.size();
                        recallN++;
                    }
                }
            }
        }
        System.out.println("filtered strategies run: " + strategies + "; graph recall " + (recallSum / Math.max(1, recallN)));
        assertTrue(strategies.containsKey("acorn"), "ACORN ran: " + strategies);
        assertTrue(strategies.containsKey("post-filter"), "post-filter ran: " + strategies);
        assertTrue(strategies.containsKey("filtered-exact-scan"), "exact scan ran: " + strategies);
        assertTrue(recallSum / recallN > 0.9, "graph strategies' recall " + recallSum / recallN);
        hnsw.planner(Planner.DEFAULT);
    }

    @Test
    void bitmapEvaluationMatchesTheOracleRowByRow() {
        Random rnd = new Random(5);
        for (int it = 0; it < 400; it++) {
            Filter f = randomFilter(rnd, 3);
            // all rows (k = N): the result set is the whole match set
            SearchResult res = flat.search(SearchRequest.of(new float[DIM], N).withFilter(f));
            Set<Long> got = new HashSet<>();
            res.hits().forEach(h -> got.add(h.row()));
            for (int r = 0; r < N; r++) {
                boolean want = !deletedRows.contains((long) r) && FilterOracle.test(f, records.get(r), SCHEMA);
                if (want != got.contains((long) r)) {
                    fail("row " + r + " " + records.get(r) + ": oracle " + want + ", index " + !want + " for " + Filter.text(f));
                }
            }
        }
    }

    @Test
    void recordsComeBackAsAdded() {
        for (int r = 0; r < N; r += 97) {
            Map<String, Object> want = new HashMap<>(records.get(r));
            if (((List<?>) want.get("tags")).isEmpty()) want.remove("tags");
            assertEquals(want, new HashMap<>(hnsw.attributes(r)), "row " + r);
        }
    }
}
