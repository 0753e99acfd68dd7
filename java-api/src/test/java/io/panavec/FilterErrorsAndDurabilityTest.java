package io.panavec;

import io.panavec.attributes.AttributeType;
import io.panavec.filter.Filter;
import io.panavec.filter.FilterParseException;
import io.panavec.attributes.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parse errors with positions, refusals of unknown / wrongly typed attributes, and attribute durability. */
class FilterErrorsAndDurabilityTest {
    static final Schema SCHEMA = Schema.builder().add("pos", AttributeType.KEYWORD).add("gloss_chars", AttributeType.INT)
            .add("score", AttributeType.DOUBLE).add("ok", AttributeType.BOOLEAN).build();

    @TempDir
    Path tmp;

    @Test
    void parsesTheLanguage() {
        assertEquals(Filter.and(Filter.eq("pos", "n"), Filter.lt("gloss_chars", 40)), Filter.parse("pos = 'n' AND gloss_chars < 40"));
        assertEquals(Filter.or(Filter.eq("pos", "it's"), Filter.not(Filter.in("pos", "a", "b"))),
                Filter.parse("pos == 'it''s' or pos not in ('a', \"b\")"));
        assertEquals(Filter.and(Filter.exists("score"), Filter.between("score", -1.5, 2e3)),
                Filter.parse("EXISTS score AND (score BETWEEN -1.5 AND 2e3)"));
        assertEquals(Filter.and(Filter.exists("ok"), Filter.not(Filter.eq("ok", true))), Filter.parse("ok != TRUE"));
        // AND binds tighter than OR
        assertEquals(Filter.or(Filter.eq("pos", "a"), Filter.and(Filter.eq("pos", "b"), Filter.ge("gloss_chars", 3))),
                Filter.parse("pos='a' OR pos='b' AND gloss_chars>=3"));
        Filter f = Filter.parse("NOT (pos IN ('n','v') OR gloss_chars > 10) AND score <= 0.25");
        assertEquals(f, Filter.parse(Filter.text(f)), "text form round-trips");
    }

    @Test
    void malformedStringsPointAtThePosition() {
        record Case(String text, int position, String says) {}
        for (Case c : List.of(
                new Case("pos = 'n' AND", 13, "attribute name"),
                new Case("pos = 'n", 6, "unterminated"),
                new Case("pos 'n'", 4, "comparison"),
                new Case("pos = 'n' gloss_chars < 4", 10, "AND, OR"),
                new Case("(pos = 'n'", 10, "')'"),
                new Case("gloss_chars < 4x", 14, "not a number"),
                new Case("", 0, "empty"),
                new Case("pos IN ()", 8, "value"),
                new Case("AND = 3", 0, "keyword AND"),
                new Case("gloss_chars < 'x'", 14, "needs a number"))) {
            FilterParseException e = assertThrows(FilterParseException.class, () -> Filter.parse(c.text()), c.text());
            assertEquals(c.position(), e.position(), c.text() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(c.says()), e.getMessage());
            assertTrue(e.getMessage().contains(c.text() + "\n  " + " ".repeat(c.position()) + "^"), e.getMessage());
        }
    }

    @Test
    void unknownOrWronglyTypedAttributesFailInsteadOfReturningUnfilteredResults() throws IOException {
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("i")).dimension(2).metric(Metric.L2).spec("flat").schema(SCHEMA).create()) {
            index.add(new long[] {1, 2}, new float[][] {{0, 0}, {1, 1}}, List.of(Map.of("pos", "n", "gloss_chars", 5), Map.of("pos", "v")));
            for (String bad : List.of("colour = 'red'", "pos = 3", "gloss_chars = 'x'", "gloss_chars = 2.5", "ok = 'yes'",
                    "pos > 3", "NOT lexname = 'x'")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> index.search(SearchRequest.of(new float[] {0, 0}, 2).withFilter(bad)), bad);
                assertTrue(e.getMessage().contains("'"), bad + ": " + e.getMessage());
            }
            // wrongly typed or unknown values at add: refused before anything is stored
            assertThrows(IllegalArgumentException.class, () -> index.add(new long[] {3}, new float[][] {{2, 2}}, List.of(Map.of("gloss_chars", "long"))));
            assertThrows(IllegalArgumentException.class, () -> index.add(new long[] {3}, new float[][] {{2, 2}}, List.of(Map.of("nope", 1))));
            assertThrows(IllegalArgumentException.class, () -> index.add(new long[] {3}, new float[][] {{2, 2}}, List.of(Map.of("score", Double.NaN))));
            assertEquals(2, index.rows());
        }
        try (PanavecIndex plain = PanavecIndex.builder(tmp.resolve("plain")).dimension(2).spec("flat").create()) {
            plain.add(new long[] {1}, new float[][] {{1, 0}});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> plain.search(SearchRequest.of(new float[] {1, 0}, 1).withFilter("pos = 'n'")));
            assertTrue(e.getMessage().contains("no attributes"), e.getMessage());
        }
    }

    @Test
    void attributesSurviveCommitReopenAndUncommittedAdds() throws IOException {
        Path dir = tmp.resolve("d");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(2).metric(Metric.L2).spec("hnsw:M=4,efc=16").schema(SCHEMA).create()) {
            index.add(new long[] {10, 11}, new float[][] {{0, 0}, {1, 0}}, List.of(Map.of("pos", "n", "gloss_chars", 30), Map.of("pos", "v", "ok", true)));
            index.commit();
            // logged but never committed to the manifest: must come back on open
            index.add(new long[] {12}, new float[][] {{2, 0}}, List.of(Map.of("pos", "n", "gloss_chars", 50, "score", 0.5)));
        }
        try (PanavecIndex index = PanavecIndex.open(dir)) {
            assertEquals(3, index.rows());
            assertEquals(Map.of("pos", "n", "gloss_chars", 50L, "score", 0.5), index.attributes(2));
            SearchResult r = index.search(SearchRequest.of(new float[] {0, 0}, 5).withFilter("pos = 'n' AND gloss_chars > 40"));
            assertEquals(List.of(12L), r.hits().stream().map(SearchHit::id).toList());
            index.commit();
        }
        // a corrupt snapshot is refused, not read as different attributes
        Path snap;
        try (var files = Files.list(dir)) {
            snap = files.filter(p -> p.getFileName().toString().endsWith(".tbl")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(snap);
        bytes[bytes.length / 2] ^= 1;
        Files.write(snap, bytes);
        IOException e = assertThrows(IOException.class, () -> PanavecIndex.open(dir));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aTornLogTailIsIgnored() throws IOException {
        Path dir = tmp.resolve("torn");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(2).metric(Metric.L2).spec("flat").schema(SCHEMA).create()) {
            index.add(new long[] {1}, new float[][] {{0, 0}}, List.of(Map.of("pos", "n")));
        }
        Path log;
        try (var files = Files.list(dir)) {
            log = files.filter(p -> p.getFileName().toString().endsWith(".log")).findFirst().orElseThrow();
        }
        Files.write(log, new byte[] {0, 0, 0, 99, 1, 2}, StandardOpenOption.APPEND); // half a frame
        try (PanavecIndex index = PanavecIndex.open(dir)) {
            assertEquals(1, index.search(SearchRequest.of(new float[] {0, 0}, 3).withFilter("pos = 'n'")).size());
            List<Long> ids = new ArrayList<>();
            index.add(new long[] {2}, new float[][] {{1, 1}}, List.of(Map.of("pos", "n")));
            index.search(SearchRequest.of(new float[] {0, 0}, 3).withFilter("pos = 'n'")).hits().forEach(h -> ids.add(h.id()));
            assertEquals(List.of(1L, 2L), ids);
        }
        try (PanavecIndex index = PanavecIndex.open(dir)) {
            assertEquals(2, index.search(SearchRequest.of(new float[] {0, 0}, 3).withFilter("pos = 'n'")).size());
        }
    }
}
