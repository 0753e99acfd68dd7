package io.panavec.documents;

import io.panavec.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentIndexTest {
    @TempDir
    Path tmp;

    private static float[] v(Random rnd, int d) {
        float[] x = new float[d];
        for (int i = 0; i < d; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    private static Set<String> ids(List<Match> ms) {
        Set<String> s = new HashSet<>();
        ms.forEach(m -> s.add(m.id()));
        return s;
    }

    @Test
    void collidingIdsGetTheirOwnSlotsAcrossRemovalsAndReopen() throws IOException {
        Random rnd = new Random(1);
        Path dir = tmp.resolve("c");
        List<String> names = List.of("a", "b", "c", "d", "e");
        try (DocumentIndex docs = DocumentIndex.builder(dir).dimension(4).spec("flat").idHash(id -> 42L).build()) {
            for (String n : names) docs.add(List.of(new Document(n, v(rnd, 4), "text " + n, Map.of())));
            docs.remove(List.of("b"));                            // frees slot 43 in the middle of the probe run
            docs.add(List.of(new Document("d", v(rnd, 4), "d again", Map.of()))); // found past the free slot: replaced
            docs.add(List.of(new Document("f", v(rnd, 4), "text f", Map.of())));  // takes the freed slot
            assertEquals(5, docs.size());
        }
        try (DocumentIndex docs = DocumentIndex.builder(dir).idHash(id -> 42L).build()) {
            List<Match> all = docs.search(v(rnd, 4), 10, null, -2, false);
            Map<String, String> text = new HashMap<>();
            all.forEach(m -> text.put(m.id(), m.text()));
            assertEquals(Map.of("a", "text a", "c", "text c", "d", "d again", "e", "text e", "f", "text f"), text);
            for (int i = 0; i < IdSlots.PROBES - 5; i++) docs.add(List.of(new Document("x" + i, v(rnd, 4), null, Map.of())));
            IllegalStateException full = assertThrows(IllegalStateException.class,
                    () -> docs.add(List.of(new Document("one-too-many", v(rnd, 4), null, Map.of()))));
            assertTrue(full.getMessage().contains("no free slot"), full.getMessage());
        }
    }

    @Test
    void metadataComesBackWithItsTypesAndFiltersMatchAnIndependentModel() throws IOException {
        Random rnd = new Random(2);
        UUID u = UUID.randomUUID();
        Object[] values = {"a", "b", "", "a b", "contains|", u, u.toString(), 1, 2, -1, 1L, 3L, Long.MAX_VALUE, 1.5f, 1.1f, 1.1d, 2.0d, 1.0d, true};
        String[] keys = {"key", "key2", "name with space", "ünï"};
        List<Map<String, Object>> metas = new ArrayList<>();
        try (DocumentIndex docs = DocumentIndex.builder(tmp.resolve("m")).dimension(8).spec("flat").build()) {
            for (int i = 0; i < 300; i++) {
                Map<String, Object> m = new HashMap<>();
                for (String k : keys) if (rnd.nextInt(3) > 0) m.put(k, values[rnd.nextInt(values.length)]);
                metas.add(m);
                docs.add(List.of(new Document("d" + i, v(rnd, 8), "t" + i, m)));
            }
            List<Match> all = docs.search(v(rnd, 8), 1000, null, -2, false);
            assertEquals(300, all.size());
            for (Match m : all) assertEquals(metas.get(Integer.parseInt(m.id().substring(1))), m.metadata(), m.id());
            for (int q = 0; q < 300; q++) {
                MetadataFilter f = randomFilter(rnd, keys, values, 2);
                Set<String> want = new HashSet<>();
                for (int i = 0; i < metas.size(); i++) if (Model.test(f, metas.get(i))) want.add("d" + i);
                assertEquals(want, ids(docs.search(v(rnd, 8), 1000, f, -2, false)), f.toString());
            }
            assertEquals(List.of(), docs.search(v(rnd, 8), 10, MetadataFilter.eq("never seen", 1), -2, false));
            assertEquals(300, docs.search(v(rnd, 8), 1000, MetadataFilter.ne("never seen", 1), -2, false).size());
        }
    }

    private static MetadataFilter randomFilter(Random rnd, String[] keys, Object[] values, int depth) {
        String k = rnd.nextInt(10) == 0 ? "never seen" : keys[rnd.nextInt(keys.length)];
        Object v = values[rnd.nextInt(values.length - 1)]; // no boolean in ranges
        return switch (depth == 0 ? rnd.nextInt(6) : rnd.nextInt(9)) {
            case 0 -> MetadataFilter.eq(k, values[rnd.nextInt(values.length)]);
            case 1 -> MetadataFilter.ne(k, values[rnd.nextInt(values.length)]);
            case 2 -> MetadataFilter.compare(k, MetadataFilter.Op.values()[1 + rnd.nextInt(4)], v instanceof UUID ? "m" : v);
            case 3 -> MetadataFilter.in(k, List.of(v, values[rnd.nextInt(values.length)]));
            case 4 -> MetadataFilter.notIn(k, List.of(v));
            case 5 -> MetadataFilter.contains(k, rnd.nextBoolean() ? "a" : "contains");
            case 6 -> MetadataFilter.not(randomFilter(rnd, keys, values, depth - 1));
            case 7 -> MetadataFilter.and(randomFilter(rnd, keys, values, depth - 1), randomFilter(rnd, keys, values, depth - 1));
            default -> MetadataFilter.or(randomFilter(rnd, keys, values, depth - 1), randomFilter(rnd, keys, values, depth - 1));
        };
    }

    /** The documented semantics, map by map: numbers by decimal value (a Float by its shortest decimal), a UUID as its string. */
    static final class Model {
        static boolean test(MetadataFilter f, Map<String, Object> m) {
            return switch (f) {
                case MetadataFilter.Compare c -> m.containsKey(c.key()) && compare(m.get(c.key()), c.value(), c.op());
                case MetadataFilter.In in -> m.containsKey(in.key()) && in.values().stream().anyMatch(x -> compare(m.get(in.key()), x, MetadataFilter.Op.EQ));
                case MetadataFilter.Contains c -> plain(m.get(c.key())) instanceof String s && s.contains(c.substring()); // a UUID as its text
                case MetadataFilter.Exists x -> m.containsKey(x.key());
                case MetadataFilter.Not n -> !test(n.filter(), m);
                case MetadataFilter.And a -> a.filters().stream().allMatch(g -> test(g, m));
                case MetadataFilter.Or o -> o.filters().stream().anyMatch(g -> test(g, m));
            };
        }

        private static Object plain(Object v) {
            return v instanceof UUID u ? u.toString() : v;
        }

        private static boolean compare(Object stored, Object literal, MetadataFilter.Op op) {
            stored = plain(stored);
            literal = plain(literal);
            int c;
            if (stored instanceof Number a && literal instanceof Number b) {
                c = new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
            } else if (stored instanceof String a && literal instanceof String b) {
                c = a.compareTo(b);
            } else if (stored instanceof Boolean a && literal instanceof Boolean b && op == MetadataFilter.Op.EQ) {
                c = a.equals(b) ? 0 : 1;
            } else {
                return false; // another kind: no match
            }
            return switch (op) {
                case EQ -> c == 0;
                case GT -> c > 0;
                case GE -> c >= 0;
                case LT -> c < 0;
                case LE -> c <= 0;
            };
        }
    }
}
