package io.panavec.fray;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
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
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An upsert as searches see it, with Fray choosing where they run inside the add: the new row's publication (store
 * commit), the grace period and the old row's tombstone. Whatever the interleaving, a search returns the id exactly
 * once: its old row or its new one, never neither (a tombstone before the publication, or before a search that could
 * not see the new row ended), never both (the replaced row not dropped by a search that sees the new one). Both
 * search paths are checked, on a flat index and on an HNSW graph: filtered (the cached allow-set minus the superseded rows) and unfiltered (the live rows).
 * Each repetition upserts an id of its own, tagged so that the filtered search covers exactly its two rows.
 *
 * <p>Not here: look-ups through the id map ({@code attributesOf}, {@code rowOf}) during the upsert. Chronicle Map's
 * segment locks spin on off-heap words ({@code Jvm.nanoPause}, i.e. {@code Thread.onSpinWait}), which Fray does not
 * treat as a yield: when it stops a reader holding a segment's read lock and runs the writer, the writer spins for
 * the write lock until Chronicle Map gives up after 60 s ({@code InterProcessDeadLockException}). That ordering is
 * covered by {@code ConcurrentWorkloadTest} (java-api), under real threads.
 */
@ExtendWith(FrayTestExtension.class)
class UpsertVisibilityFrayTest {
    private static final int DIM = 4;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static Path dir;
    private static PanavecIndex flat;
    private static PanavecIndex hnsw;

    @BeforeAll
    static void create() throws Exception {
        dir = Files.createTempDirectory("fray-upsert");
        flat = create("flat");
        hnsw = create("hnsw:M=8,efc=32");
    }

    private static PanavecIndex create(String spec) throws Exception {
        PanavecIndex index = PanavecIndex.builder(dir.resolve(spec.replace(':', '-'))).dimension(DIM).metric(Metric.L2).spec(spec)
                .schema(Schema.builder().add("tag", AttributeType.INT).add("version", AttributeType.INT).build()).threads(1).create();
        // The first add opens the id map, and Chronicle Map starts its background resource releaser: here, outside
        // Fray's control, whose runs must end with every thread they started.
        index.add(new long[] {0}, new float[][] {vector(0)}, List.of(Map.of("tag", 0L, "version", 0L)));
        return index;
    }

    @AfterAll
    static void close() throws Exception {
        flat.close();
        hnsw.close();
        FrayFiles.deleteTree(dir);
    }

    @ConcurrencyTest(iterations = 150)
    void flatSearchesSeeTheIdOnceDuringItsUpsert() throws InterruptedException {
        upsertDuringSearches(flat);
    }

    @ConcurrencyTest(iterations = 150)
    void graphSearchesSeeTheIdOnceDuringItsUpsert() throws InterruptedException {
        upsertDuringSearches(hnsw);
    }

    private static void upsertDuringSearches(PanavecIndex index) throws InterruptedException {
        long id = NEXT.incrementAndGet();
        Filter itsRows = Filter.eq("tag", id);
        index.add(new long[] {id}, new float[][] {vector(2 * id)}, List.of(Map.of("tag", id, "version", 1L)));
        AtomicReference<String> seen = new AtomicReference<>();
        float[] q = vector(2 * id + 1);
        Thread reader = new Thread(() -> {
            check(index.search(SearchRequest.of(q, 4).withFilter(itsRows)).hits(), id, "filtered", seen);
            check(index.search(SearchRequest.of(q, (int) index.rows() + 4)).hits(), id, "unfiltered", seen);
        });
        reader.start();
        index.add(new long[] {id}, new float[][] {vector(2 * id + 1)}, List.of(Map.of("tag", id, "version", 2L)));
        reader.join();
        assertNull(seen.get());
        assertEquals(Optional.of(2L), index.attributesOf(id).map(a -> a.get("version")));
        List<SearchHit> after = index.search(SearchRequest.of(q, 4).withFilter(itsRows)).hits();
        assertEquals(1, after.size(), "after the upsert: " + after);
        assertEquals(2L, index.attributes(after.get(0).row()).get("version"), "the row left is the new one");
    }

    private static float[] vector(long seed) {
        Random r = new Random(seed);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static void check(List<SearchHit> hits, long id, String path, AtomicReference<String> seen) {
        long times = hits.stream().filter(h -> h.id() == id).count();
        if (times != 1) seen.compareAndSet(null, "a " + path + " search during the upsert of " + id + " returned it " + times + " times: " + hits);
    }
}
