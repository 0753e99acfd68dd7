package io.panavec.filter;

import io.panavec.attributes.AttributeTable;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 'any' attributes (a kind per row), string ranges, CONTAINS and a schema that grows between appends,
 * evaluated on the table's bitmaps and compared row by row with {@link FilterOracle} over random records and
 * random filters.
 */
class DynamicAttributesOracleTest {
    static final String[] WORDS = {"", " ", "a", "A", "aa", "a a", "b", "ba", "c", "contains", "|contains|", "Klaus", "Klaus Heisler"};

    @Test
    void randomFiltersOnAnyAndKeywordAttributesMatchTheOracleAcrossGrowth() throws java.io.IOException {
        Random rnd = new Random(11);
        Schema first = Schema.builder().add("key", AttributeType.ANY).add("name", AttributeType.KEYWORD).build();
        Schema grown = first.extendedWith(Schema.builder().add("key2", AttributeType.ANY).add("tags", AttributeType.KEYWORDS)
                .add("body", AttributeType.TEXT).build());
        AttributeTable table = new AttributeTable(first);
        List<Map<String, Object>> model = new ArrayList<>();
        for (int batch = 0; batch < 6; batch++) {
            if (batch == 3) {
                table.grow(grown);
            }
            List<Object[]> recs = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                Map<String, Object> m = randomRecord(rnd, table.schema());
                recs.add(table.normalize(m, "row"));
                model.add(expected(m));
            }
            table.append(recs);
            for (int q = 0; q < 150; q++) {
                Filter f = randomFilter(rnd, table.schema(), 3);
                RoaringBitmap got = FilterEvaluator.evaluate(f, table, table.rows());
                for (int r = 0; r < model.size(); r++) {
                    boolean want = FilterOracle.test(f, model.get(r), table.schema());
                    if (got.contains(r) != want) {
                        throw new AssertionError(Filter.text(f) + ": row " + r + " " + model.get(r) + " expected " + want);
                    }
                }
                assertEquals(Filter.text(f), Filter.text(Filter.parse(Filter.text(f))), "text form round-trips");
            }
        }
        for (int r = 0; r < model.size(); r++) {
            assertEquals(model.get(r), table.record(r), "row " + r + " gives back its values");
            assertEquals(model.get(r), table.decodeRecord(table.encodedRecord(r)));
        }
    }

    @Test
    void textIsStoredWholeButNotFilterable() {
        Schema s = Schema.builder().add("body", AttributeType.TEXT).add("k", AttributeType.KEYWORD).build();
        AttributeTable table = new AttributeTable(s);
        String big = "é€𝄞x".repeat(40_000); // past writeUTF's 64 KB, with 2-, 3- and 4-byte UTF-8
        table.append(List.<Object[]>of(table.normalize(Map.of("body", big, "k", "v"), "row")));
        assertEquals(Map.of("body", big, "k", "v"), table.record(0));
        for (Filter f : List.of(Filter.eq("body", "x"), Filter.exists("body"), Filter.contains("body", "x"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FilterEvaluator.evaluate(f, table, 1));
            assertTrue(e.getMessage().contains("not indexed"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> FilterEvaluator.evaluate(Filter.gt("k", 3), table, 1));
        assertThrows(IllegalArgumentException.class, () -> FilterEvaluator.evaluate(Filter.contains("nope", "x"), table, 1));
        assertThrows(IllegalArgumentException.class, () -> new Filter.Range("k", "a", true, 3L, true));
    }

    @Test
    void growingRefusesAnotherTypeOrOrder() {
        Schema s = Schema.builder().add("a", AttributeType.KEYWORD).build();
        assertThrows(IllegalArgumentException.class, () -> s.extendedWith(Schema.builder().add("a", AttributeType.LONG).build()));
        assertEquals(s, s.extendedWith(Schema.builder().add("a", AttributeType.KEYWORD).build()));
        AttributeTable t = new AttributeTable(s);
        assertThrows(IllegalArgumentException.class, () -> t.grow(Schema.builder().add("b", AttributeType.KEYWORD).build()));
    }

    private static Object randomAny(Random rnd) {
        return switch (rnd.nextInt(7)) {
            case 0 -> (long) (rnd.nextInt(7) - 3);
            case 1 -> rnd.nextInt(7) - 3; // Integer: normalized to Long
            case 2 -> (double) (rnd.nextInt(7) - 3) / 2;
            case 3 -> (float) (rnd.nextInt(7) - 3) * 1.1f;
            case 4 -> rnd.nextBoolean();
            case 5 -> rnd.nextBoolean() ? Long.MAX_VALUE - rnd.nextInt(2) : (double) Long.MAX_VALUE;
            default -> WORDS[rnd.nextInt(WORDS.length)];
        };
    }

    private static Map<String, Object> randomRecord(Random rnd, Schema schema) {
        Map<String, Object> m = new HashMap<>();
        if (rnd.nextInt(5) > 0) m.put("key", randomAny(rnd));
        if (rnd.nextInt(3) > 0) m.put("name", WORDS[rnd.nextInt(WORDS.length)]);
        if (schema.has("key2")) {
            if (rnd.nextBoolean()) m.put("key2", randomAny(rnd));
            if (rnd.nextBoolean()) m.put("tags", List.of(WORDS[rnd.nextInt(WORDS.length)], WORDS[rnd.nextInt(WORDS.length)]));
            if (rnd.nextBoolean()) m.put("body", "text " + rnd.nextInt());
        }
        return m;
    }

    /** What the table gives back: integral numbers as Long, floating as Double (a float widened). */
    private static Map<String, Object> expected(Map<String, Object> m) {
        Map<String, Object> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, switch (v) {
            case Integer i -> (long) i;
            case Float f -> (double) f;
            default -> v;
        }));
        return out;
    }

    private static Filter randomFilter(Random rnd, Schema schema, int depth) {
        List<String> indexed = schema.names().stream().filter(n -> schema.type(n).isIndexed()).toList();
        String a = indexed.get(rnd.nextInt(indexed.size()));
        boolean stringsOnly = schema.type(a) != AttributeType.ANY;
        int kind = depth == 0 ? rnd.nextInt(5) : rnd.nextInt(8);
        return switch (kind) {
            case 0 -> Filter.eq(a, stringsOnly ? WORDS[rnd.nextInt(WORDS.length)] : randomAny(rnd));
            case 1 -> Filter.in(a, stringsOnly ? WORDS[rnd.nextInt(WORDS.length)] : randomAny(rnd), WORDS[rnd.nextInt(WORDS.length)]);
            case 2 -> {
                boolean strings = stringsOnly || rnd.nextBoolean();
                Object lo = strings ? WORDS[rnd.nextInt(WORDS.length)] : (Object) ((double) (rnd.nextInt(9) - 4) / 2);
                Object hi = strings ? WORDS[rnd.nextInt(WORDS.length)] : (Object) (long) (rnd.nextInt(9) - 4);
                yield switch (rnd.nextInt(3)) {
                    case 0 -> new Filter.Range(a, lo, rnd.nextBoolean(), null, false);
                    case 1 -> new Filter.Range(a, null, false, hi, rnd.nextBoolean());
                    default -> new Filter.Range(a, lo, rnd.nextBoolean(), hi, rnd.nextBoolean());
                };
            }
            case 3 -> Filter.contains(a, List.of("a", "contains", " ", "", "Klaus").get(rnd.nextInt(5)));
            case 4 -> Filter.exists(a);
            case 5 -> Filter.not(randomFilter(rnd, schema, depth - 1));
            case 6 -> Filter.and(randomFilter(rnd, schema, depth - 1), randomFilter(rnd, schema, depth - 1));
            default -> Filter.or(randomFilter(rnd, schema, depth - 1), randomFilter(rnd, schema, depth - 1));
        };
    }
}
