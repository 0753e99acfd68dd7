package io.panavec.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Candidates#merge} and {@link Candidates#retain} against a straightforward model (sort the union, keep each row's best). */
class CandidatesTest {
    @Test
    void mergeKeepsTheBestKOfTheUnionOnceEach() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 500; trial++) {
            boolean higher = rnd.nextBoolean();
            int k = 1 + rnd.nextInt(20);
            List<Candidates> parts = new ArrayList<>();
            Map<Long, Float> best = new HashMap<>();
            for (int p = 0, n = 1 + rnd.nextInt(4); p < n; p++) {
                int size = rnd.nextInt(15);
                long[] rows = new long[size];
                float[] scores = new float[size];
                for (int i = 0; i < size; i++) {
                    rows[i] = rnd.nextInt(40); // shards or a document's vectors may repeat a row
                    scores[i] = rnd.nextInt(50) / 4f; // ties too
                    best.merge(rows[i], scores[i], (a, b) -> higher ? Math.max(a, b) : Math.min(a, b));
                }
                parts.add(new Candidates(rows, scores, 10, "part"));
            }
            Comparator<Map.Entry<Long, Float>> order = (a, b) -> {
                int c = higher ? Float.compare(b.getValue(), a.getValue()) : Float.compare(a.getValue(), b.getValue());
                return c != 0 ? c : Long.compare(a.getKey(), b.getKey());
            };
            List<Map.Entry<Long, Float>> want = best.entrySet().stream().sorted(order).limit(k).toList();
            Candidates got = Candidates.merge(parts, k, higher, "merged");
            assertArrayEquals(want.stream().mapToLong(Map.Entry::getKey).toArray(), got.rows(), "trial " + trial);
            for (int i = 0; i < got.size(); i++) assertEquals(want.get(i).getValue(), got.scores()[i]);
            assertEquals(10L * parts.size(), got.scored());
            assertEquals("merged", got.label());
        }
    }

    @Test
    void retainKeepsOnlyAllowedRowsInOrder() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment words = arena.allocate(ValueLayout.JAVA_LONG, 2);
            words.setAtIndex(ValueLayout.JAVA_LONG, 0, (1L << 3) | (1L << 63));
            words.setAtIndex(ValueLayout.JAVA_LONG, 1, 1L); // row 64
            AllowSet allow = new AllowSet(words, 65, 3);
            Candidates c = new Candidates(new long[] {64, 5, 3, 63, 100, -1}, new float[] {6, 5, 4, 3, 2, 1}, 6, "x");
            Candidates r = c.retain(allow);
            assertArrayEquals(new long[] {64, 3, 63}, r.rows());
            assertArrayEquals(new float[] {6, 4, 3}, r.scores());
        }
    }

    /**
     * {@link Candidates#best} against a full sort of every index by (score, row) (stable): small and large k (the
     * insertion path and the sort path), many ties, repeated rows, NaN and infinities, both score orders.
     */
    @Test
    void bestIsThePrefixOfAFullSort() {
        Random rnd = new Random(7);
        for (int t = 0; t < 3000; t++) {
            int n = rnd.nextInt(200);
            long[] rows = new long[n];
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                rows[i] = rnd.nextInt(Math.max(1, n / 2)); // repeats, as merged parts have
                int kind = rnd.nextInt(20);
                scores[i] = kind == 0 ? Float.NaN : kind == 1 ? Float.NEGATIVE_INFINITY : kind == 2 ? Float.POSITIVE_INFINITY
                        : rnd.nextInt(8) / 4f; // few distinct values: ties everywhere
            }
            boolean higher = rnd.nextBoolean();
            int k = rnd.nextInt(4) == 0 ? rnd.nextInt(n + 100) : rnd.nextInt(70);
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < n; i++) all.add(i);
            Comparator<Integer> byScore = (a, b) -> higher ? Float.compare(scores[b], scores[a]) : Float.compare(scores[a], scores[b]);
            all.sort(byScore.thenComparing(i -> rows[i])); // List.sort is stable
            int[] want = all.stream().limit(k).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(want, Candidates.best(rows, scores, k, higher), "n " + n + " k " + k + " higher " + higher);
        }
    }
}
