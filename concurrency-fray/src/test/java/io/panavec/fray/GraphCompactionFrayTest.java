package io.panavec.fray;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pastalab.fray.junit.junit5.FrayTestExtension;
import org.pastalab.fray.junit.junit5.annotations.ConcurrencyTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The HNSW graph swapped by a compaction while searches run, with Fray choosing where a search falls: before the
 * rebuild, during it (it runs beside searches on the old graph), at the swap (no search in flight) or after.
 * Whatever the interleaving, a search asking for every row gets each live id exactly once, and never fails on a
 * graph the swap closed. Each repetition first replaces one id (a tombstone for the compaction to drop).
 *
 * <p>The graph's links are changed natively under per-node seqlocks (native/src/hnsw_internal.h); a native call is one
 * step to Fray, which schedules Java threads only, so the seqlock protocol itself is not explored here: what is, is
 * the Java side around it (the lifecycle locks, the engine's graph reference, the allow-sets and tombstones).
 */
@ExtendWith(FrayTestExtension.class)
class GraphCompactionFrayTest {
    private static final int DIM = 4;
    private static final int IDS = 40;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static Path dir;
    private static PanavecIndex index;

    @BeforeAll
    static void create() throws Exception {
        dir = Files.createTempDirectory("fray-compaction");
        index = PanavecIndex.builder(dir.resolve("index")).dimension(DIM).metric(Metric.L2).spec("hnsw:M=8,efc=32").threads(1).create();
        long[] ids = new long[IDS];
        float[][] v = new float[IDS][];
        for (int i = 0; i < IDS; i++) {
            ids[i] = i;
            v[i] = vector(i);
        }
        index.add(ids, v); // opens the id map (and Chronicle Map's background thread) outside Fray's runs
    }

    @AfterAll
    static void close() throws Exception {
        index.close();
        FrayFiles.deleteTree(dir);
    }

    @ConcurrencyTest(iterations = 150)
    void searchesDuringACompactionSeeEveryLiveIdOnce() throws InterruptedException, IOException {
        int n = NEXT.incrementAndGet();
        index.add(n % IDS, vector(1000 + n)); // an upsert: the old row becomes a tombstone
        float[] q = vector(-n);
        AtomicReference<String> seen = new AtomicReference<>();
        Thread searching = new Thread(() -> {
            try {
                check(index.search(SearchRequest.of(q, IDS + 4)).hits(), "during the compaction", seen);
            } catch (RuntimeException e) {
                seen.compareAndSet(null, "a search during the compaction failed: " + e);
            }
        });
        searching.start();
        index.compact();
        searching.join();
        assertNull(seen.get());
        check(index.search(SearchRequest.of(q, IDS + 4)).hits(), "after the compaction", seen);
        assertNull(seen.get());
        assertEquals(IDS, index.size());
    }

    private static void check(List<SearchHit> hits, String when, AtomicReference<String> seen) {
        long distinct = hits.stream().mapToLong(SearchHit::id).distinct().count();
        if (hits.size() != IDS || distinct != IDS) {
            seen.compareAndSet(null, "a search " + when + " returned " + hits.size() + " hits, " + distinct + " distinct ids, for " + IDS + " live ids");
        }
    }

    private static float[] vector(long seed) {
        Random r = new Random(seed);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
