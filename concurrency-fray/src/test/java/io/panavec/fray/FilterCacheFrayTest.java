package io.panavec.fray;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchRequest;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.filter.Filter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The filter cache under an add (issue 10 item 12), with Fray choosing where a concurrent filtered search runs
 * inside the add (another thread searches with the filter until the add returns): the cache is keyed by the row count, so a search that sees a new row before its attributes
 * caches a match that misses the row, and the filtered search issued after {@code add()} returns reads that entry.
 * Each repetition adds one row under a tag of its own (so one index serves every repetition): after the add, the
 * filtered search for that tag must find the row.
 */
@ExtendWith(FrayTestExtension.class)
class FilterCacheFrayTest {
    private static final int DIM = 4;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static Path dir;
    private static PanavecIndex index;

    @BeforeAll
    static void create() throws Exception {
        dir = Files.createTempDirectory("fray-filter-cache");
        index = PanavecIndex.builder(dir.resolve("index")).dimension(DIM).metric(Metric.L2).spec("flat")
                .schema(Schema.builder().add("tag", AttributeType.INT).build()).threads(1).create();
        // The first add opens the id map, and Chronicle Map starts its background resource releaser: here, outside
        // Fray's control, whose runs must end with every thread they started.
        index.add(new long[] {-1}, new float[][] {{1, 0, 0, 0}}, List.of(Map.of("tag", -1L)));
    }

    @AfterAll
    static void close() throws Exception {
        index.close();
        FrayFiles.deleteTree(dir);
    }

    @ConcurrencyTest(iterations = 300)
    void aFilteredSearchAfterAddFindsTheNewRow() throws InterruptedException {
        int tag = NEXT.incrementAndGet();
        Filter tagged = Filter.eq("tag", tag);
        float[] q = {0, 1, 0, 0};
        AtomicBoolean added = new AtomicBoolean();
        Thread searching = new Thread(() -> {
            do index.search(SearchRequest.of(q, 4).withFilter(tagged)); while (!added.get()); // filtered searches all through the add
        });
        searching.start();
        index.add(new long[] {tag}, new float[][] {{0, 1, 0, 0}}, List.of(Map.of("tag", (long) tag)));
        added.set(true);
        int found = index.search(SearchRequest.of(q, 4).withFilter(tagged)).size();
        searching.join();
        assertEquals(1, found, "the filtered search after add() returned found " + found + " rows tagged " + tag);
    }
}
