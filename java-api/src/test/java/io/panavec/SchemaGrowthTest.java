package io.panavec;

import io.panavec.attributes.AttributeType;
import io.panavec.filter.Filter;
import io.panavec.attributes.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Attributes added after create: durable through the attribute log before a commit, and through the manifest after. */
class SchemaGrowthTest {
    @TempDir
    Path tmp;

    static final Schema FIRST = Schema.builder().add("a", AttributeType.KEYWORD).build();
    static final Schema MORE = Schema.builder().add("b", AttributeType.ANY).add("t", AttributeType.TEXT).build();

    private static List<Long> ids(PanavecIndex index, Filter f) {
        return index.search(SearchRequest.of(new float[] {0, 0}, 10).withFilter(f)).hits().stream().map(SearchHit::id).sorted().toList();
    }

    @Test
    void grownAttributesSurviveReopenBeforeAndAfterCommit() throws IOException {
        Path dir = tmp.resolve("g");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(2).metric(Metric.L2).spec("hnsw:M=4,efc=16").schema(FIRST).create()) {
            index.add(new long[] {1, 2}, new float[][] {{0, 0}, {1, 0}}, List.of(Map.of("a", "x"), Map.of("a", "y")));
            assertThrows(IllegalArgumentException.class, () -> index.add(new long[] {3}, new float[][] {{2, 0}}, List.of(Map.of("b", 1))));
            index.addAttributes(MORE);
            index.add(new long[] {3, 4, 5}, new float[][] {{2, 0}, {3, 0}, {4, 0}},
                    List.of(Map.of("b", 3, "t", "three"), Map.of("b", "3", "a", "x"), Map.of("b", 3.0)));
            assertEquals(List.of(3L, 5L), ids(index, Filter.eq("b", 3L)));
            assertEquals(List.of(4L), ids(index, Filter.eq("b", "3")));
            assertThrows(IllegalArgumentException.class, () -> index.addAttributes(Schema.builder().add("b", AttributeType.LONG).build()));
        } // never committed since the growth: the schema frame in the log brings it back
        try (PanavecIndex index = PanavecIndex.open(dir)) {
            assertEquals(FIRST.extendedWith(MORE), index.schema());
            assertEquals(List.of(3L, 5L), ids(index, Filter.eq("b", 3L)));
            assertEquals(List.of(1L, 4L), ids(index, Filter.eq("a", "x")));
            assertEquals(Optional.of(Map.of("b", 3L, "t", "three")), index.attributesOf(3));
            assertEquals(Map.of("a", "y"), index.attributes(1));
            index.commit();
            index.addAttributes(Schema.builder().add("c", AttributeType.LONG).build());
            index.add(new long[] {6}, new float[][] {{5, 0}}, List.of(Map.of("c", 7, "b", true)));
        }
        try (PanavecIndex index = PanavecIndex.open(dir)) {
            assertEquals("a:keyword,b:any,t:text,c:long", index.schema().text());
            assertEquals(List.of(6L), ids(index, Filter.and(Filter.eq("b", true), Filter.ge("c", 7))));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(index, Filter.not(Filter.exists("c"))));
            index.commit();
        }
        try (PanavecIndex index = PanavecIndex.open(dir)) { // from the snapshot alone
            assertEquals(List.of(3L, 5L), ids(index, Filter.eq("b", 3L)));
            assertEquals(Optional.of(Map.of("b", 3L, "t", "three")), index.attributesOf(3));
            assertEquals(Optional.of(Map.of("c", 7L, "b", true)), index.attributesOf(6));
        }
    }

    @Test
    void anIndexWithoutAttributesGetsItsFirstOnes() throws IOException {
        Path dir = tmp.resolve("plain");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(2).metric(Metric.COSINE).spec("flat").create()) {
            index.add(new long[] {1}, new float[][] {{3, 4}});
            index.addAttributes(MORE);
            index.add(new long[] {2}, new float[][] {{0, 1}}, List.of(Map.of("b", "v", "t", "text")));
            assertArrayEquals(new float[] {0.6f, 0.8f}, index.vector(1).orElseThrow());
            assertEquals(Optional.empty(), index.vector(99));
        }
        try (PanavecIndex index = PanavecIndex.open(dir)) {
            assertEquals(MORE, index.schema());
            assertEquals(List.of(2L), ids(index, Filter.eq("b", "v")));
            assertEquals(Optional.of(Map.of()), index.attributesOf(1));
            assertEquals(Optional.of(Map.of("b", "v", "t", "text")), index.attributesOf(2));
        }
    }
}
