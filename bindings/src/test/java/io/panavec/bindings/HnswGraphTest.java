package io.panavec.bindings;

import static io.panavec.bindings.GraphFixture.*;
import static io.panavec.bindings.panavec_graph_h.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HNSW index through its bindings, checked against a brute-force oracle. */
class HnswGraphTest {
    static final int N = 6000, DIM = 40, NQ = 100, K = 10;

    /** Builds over rows [0, N) of a fixture whose rows [N, N + NQ) serve as queries. */
    private static MemorySegment build(Arena a, GraphFixture fx, int metric, int threads) {
        MemorySegment index = create(a, fx.dim, metric, 16, 100);
        add(a, index, fx.view(N), 0, N, threads);
        return index;
    }

    private static float[] query(GraphFixture fx, int i) {
        return fx.data[N + i];
    }

    /** Checks one result list: rows distinct, in range, sorted best first, scores exact. */
    private static void assertWellFormed(GraphFixture fx, int metric, float[] q, Hits h, long count) {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < h.rows().length; i++) {
            long r = h.rows()[i];
            assertTrue(r >= 0 && r < count, "row " + r + " out of range " + count);
            assertTrue(seen.add(r), "duplicate row " + r);
            assertEquals(score(metric, q, fx.data[(int) r]), h.scores()[i], 1e-4f, "score of row " + r);
            if (i > 0) {
                float prev = h.scores()[i - 1], cur = h.scores()[i];
                assertTrue(metric == METRIC_IP ? prev >= cur : prev <= cur, "not sorted best first at " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {METRIC_IP, METRIC_L2})
    void recallAgainstBruteForce(int metric) {
        System.out.println("HNSW recall test at the level in use: " + Kernels.isaName(Kernels.isaActive())
                + " (GraphLevelTest walks at every level; the surefire run with PANAVEC_ISA=scalar repeats this at scalar)");
        try (GraphFixture fx = new GraphFixture(N + NQ, DIM, 40, metric == METRIC_IP, 11); Arena a = Arena.ofConfined()) {
            MemorySegment index = build(a, fx, metric, 2);
            assertEquals(N, pv_hnsw_count(index));
            double recall = 0;
            long scored = 0;
            for (int i = 0; i < NQ; i++) {
                float[] q = query(fx, i);
                Hits h = search(index, fx.view(N), q, K, 64, null);
                scored += h.distanceComputations();
                assertEquals(K, h.rows().length);
                assertWellFormed(fx, metric, q, h, N);
                recall += overlap(h.rows(), fx.bruteForce(metric, q, K, N, r -> true));
            }
            recall /= NQ;
            System.out.printf("metric %d recall@10 at ef 64: %.3f, %d vectors scored per query%n", metric, recall,
                    scored / NQ);
            assertTrue(recall >= 0.95, "recall@10 " + recall);
            assertTrue(scored / NQ < N / 3, "the graph should prune, but scored " + scored / NQ + " of " + N);
            pv_hnsw_free(index);
        }
    }

    @Test
    void allowBitsetReturnsOnlyAllowedRows() {
        try (GraphFixture fx = new GraphFixture(N + NQ, DIM, 40, true, 12); Arena a = Arena.ofConfined()) {
            MemorySegment index = build(a, fx, METRIC_IP, 2);
            Random rnd = new Random(3);
            boolean[] allowed = new boolean[N];
            MemorySegment bits = a.allocate(ValueLayout.JAVA_LONG, (N + 63) / 64);
            for (int r = 0; r < N; r++) {
                if (rnd.nextInt(4) == 0) {
                    allowed[r] = true;
                    long w = bits.getAtIndex(ValueLayout.JAVA_LONG, r >> 6);
                    bits.setAtIndex(ValueLayout.JAVA_LONG, r >> 6, w | (1L << (r & 63)));
                }
            }
            double recall = 0;
            for (int i = 0; i < NQ; i++) {
                float[] q = query(fx, i);
                Hits h = search(index, fx.view(N), q, K, 64, bits);
                assertWellFormed(fx, METRIC_IP, q, h, N);
                for (long r : h.rows()) assertTrue(allowed[(int) r], "row " + r + " is not allowed");
                recall += overlap(h.rows(), fx.bruteForce(METRIC_IP, q, K, N, r -> allowed[(int) r]));
            }
            recall /= NQ;
            assertTrue(recall >= 0.9, "filtered recall@10 " + recall);
            pv_hnsw_free(index);
        }
    }

    @Test
    void tombstonedRowsAreNeverReturnedAndRebuildDropsThem() {
        try (GraphFixture fx = new GraphFixture(N + NQ, DIM, 40, true, 13); Arena a = Arena.ofConfined()) {
            MemorySegment index = build(a, fx, METRIC_IP, 2);
            MemorySegment err = a.allocate(256);
            boolean[] deleted = new boolean[N];
            // delete the true nearest neighbours of the queries, so the test can fail
            for (int i = 0; i < NQ; i += 2) {
                for (long r : fx.bruteForce(METRIC_IP, query(fx, i), 5, N, r -> true)) {
                    PanavecNativeException.check(pv_hnsw_mark_deleted(index, r, err, 256), err);
                    PanavecNativeException.check(pv_hnsw_mark_deleted(index, r, err, 256), err); // idempotent
                    deleted[(int) r] = true;
                }
            }
            long nDeleted = 0;
            for (boolean d : deleted) nDeleted += d ? 1 : 0;
            assertEquals(nDeleted, pv_hnsw_deleted_count(index));
            assertEquals(1, pv_hnsw_is_deleted(index, firstTrue(deleted)));
            assertEquals(-1, pv_hnsw_is_deleted(index, N));
            assertEquals(1, pv_hnsw_mark_deleted(index, N, err, 256)); // PV_EINVAL
            assertTrue(err.getString(0).contains("not in the index"), err.getString(0));

            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            PanavecNativeException.check(pv_hnsw_rebuild(index, fx.view(N), 2, out, err, 256), err);
            MemorySegment rebuilt = out.get(ValueLayout.ADDRESS, 0);
            assertEquals(N, pv_hnsw_count(rebuilt));
            assertEquals(nDeleted, pv_hnsw_deleted_count(rebuilt));
            for (MemorySegment idx : List.of(index, rebuilt)) {
                double recall = 0;
                for (int i = 0; i < NQ; i++) {
                    float[] q = query(fx, i);
                    Hits h = search(idx, fx.view(N), q, K, 64, null);
                    assertWellFormed(fx, METRIC_IP, q, h, N);
                    for (long r : h.rows()) assertFalse(deleted[(int) r], "deleted row " + r + " returned");
                    recall += overlap(h.rows(), fx.bruteForce(METRIC_IP, q, K, N, r -> !deleted[(int) r]));
                }
                assertTrue(recall / NQ >= 0.9, "recall@10 over live rows " + recall / NQ);
            }
            pv_hnsw_free(rebuilt);
            pv_hnsw_free(index);
        }
    }

    private static int firstTrue(boolean[] b) {
        for (int i = 0; i < b.length; i++) if (b[i]) return i;
        return -1;
    }

    private static MemorySegment load(Arena a, Path p, int dim, int metric, MemorySegment err) {
        MemorySegment out = a.allocate(ValueLayout.ADDRESS);
        PanavecNativeException.check(pv_hnsw_load(a.allocateFrom(p.toString()), dim, metric, out, err, 256), err);
        return out.get(ValueLayout.ADDRESS, 0);
    }

    @Test
    void saveLoadAnswersIdentically(@TempDir Path dir) {
        try (GraphFixture fx = new GraphFixture(N + NQ, DIM, 40, true, 14); Arena a = Arena.ofConfined()) {
            MemorySegment index = build(a, fx, METRIC_IP, 2);
            MemorySegment err = a.allocate(256);
            PanavecNativeException.check(pv_hnsw_mark_deleted(index, 17, err, 256), err);
            Path file = dir.resolve("graph.hnsw");
            PanavecNativeException.check(pv_hnsw_save(index, a.allocateFrom(file.toString()), err, 256), err);
            MemorySegment loaded = load(a, file, DIM, METRIC_IP, err);
            assertEquals(pv_hnsw_count(index), pv_hnsw_count(loaded));
            assertEquals(1, pv_hnsw_deleted_count(loaded));
            assertEquals(16, pv_hnsw_m(loaded));
            assertEquals(100, pv_hnsw_ef_construction(loaded));
            for (int i = 0; i < NQ; i++) {
                Hits h1 = search(index, fx.view(N), query(fx, i), K, 48, null);
                Hits h2 = search(loaded, fx.view(N), query(fx, i), K, 48, null);
                assertArrayEquals(h1.rows(), h2.rows());
                assertArrayEquals(h1.scores(), h2.scores());
            }
            // the loaded index keeps growing: rows [N, N + NQ) join it, are found, and old rows still are
            add(a, loaded, fx.view(N + NQ), N, NQ, 1);
            assertEquals(N + NQ, pv_hnsw_count(loaded));
            assertEquals(N, pv_hnsw_count(index));
            int foundThemselves = 0;
            double recall = 0;
            for (int i = 0; i < NQ; i++) {
                float[] q = query(fx, i);
                Hits h = search(loaded, fx.view(N + NQ), q, K, 48, null);
                assertWellFormed(fx, METRIC_IP, q, h, N + NQ);
                if (h.rows()[0] == N + i) foundThemselves++;
                recall += overlap(h.rows(), fx.bruteForce(METRIC_IP, q, K, N + NQ, r -> r != 17));
            }
            assertTrue(foundThemselves >= NQ * 0.95, foundThemselves + " of " + NQ + " added rows found themselves");
            assertTrue(recall / NQ >= 0.9, "recall@10 of the grown graph " + recall / NQ);
            pv_hnsw_free(loaded);
            pv_hnsw_free(index);
        }
    }

    @Test
    void corruptedFilesAreRefusedWithAMessage(@TempDir Path dir) throws IOException {
        try (GraphFixture fx = new GraphFixture(2000, 8, 10, true, 15); Arena a = Arena.ofConfined()) {
            MemorySegment index = create(a, 8, METRIC_IP, 8, 40);
            add(a, index, fx.view(2000), 0, 2000, 1);
            MemorySegment err = a.allocate(256);
            Path good = dir.resolve("good.hnsw");
            PanavecNativeException.check(pv_hnsw_save(index, a.allocateFrom(good.toString()), err, 256), err);
            pv_hnsw_free(index);
            byte[] bytes = Files.readAllBytes(good);
            pv_hnsw_free(load(a, good, 8, METRIC_IP, err)); // the intact file loads

            record Case(String name, byte[] content, int dim, int metric, String message) {}
            List<Case> cases = new ArrayList<>();
            byte[] flippedBody = bytes.clone();
            flippedBody[bytes.length - 37] ^= 0x10;
            cases.add(new Case("flipped body byte", flippedBody, 8, METRIC_IP, "body checksum"));
            byte[] flippedHeader = bytes.clone();
            flippedHeader[33] ^= 0x01; // inside count
            cases.add(new Case("flipped header byte", flippedHeader, 8, METRIC_IP, "header checksum"));
            cases.add(new Case("truncated body", Arrays.copyOf(bytes, bytes.length - 100), 8, METRIC_IP, "truncated"));
            cases.add(new Case("truncated header", Arrays.copyOf(bytes, 40), 8, METRIC_IP, "header"));
            cases.add(new Case("wrong dim", bytes, 9, METRIC_IP, "dim 8"));
            cases.add(new Case("wrong metric", bytes, 8, METRIC_L2, "metric 0"));
            byte[] notOurs = bytes.clone();
            notOurs[0] = 'X';
            cases.add(new Case("bad magic", notOurs, 8, METRIC_IP, "magic"));
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
            cases.add(new Case("trailing bytes", longer, 8, METRIC_IP, "trailing"));
            for (Case c : cases) {
                Path p = dir.resolve(c.name().replace(' ', '_'));
                Files.write(p, c.content());
                MemorySegment out = a.allocate(ValueLayout.ADDRESS);
                int status = pv_hnsw_load(a.allocateFrom(p.toString()), c.dim(), c.metric(), out, err, 256);
                assertEquals(6, status, c.name() + ": expected PV_ECORRUPT, message " + err.getString(0));
                assertTrue(err.getString(0).contains(c.message()), c.name() + ": " + err.getString(0));
                assertEquals(MemorySegment.NULL, out.get(ValueLayout.ADDRESS, 0));
            }
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            assertEquals(5, pv_hnsw_load(a.allocateFrom(dir.resolve("missing").toString()), 8, 0, out, err, 256));
        }
    }

    @Test
    void badArgumentsGiveStatusAndMessage() {
        try (GraphFixture fx = new GraphFixture(300, 8, 4, true, 16); Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(256);
            MemorySegment out = a.allocate(ValueLayout.ADDRESS);
            assertEquals(1, pv_hnsw_create(8, 5, 16, 100, 1, out, err, 256));
            assertEquals(1, pv_hnsw_create(8, 0, 1, 100, 1, out, err, 256));
            assertTrue(err.getString(0).contains("M 1"), err.getString(0));
            MemorySegment index = create(a, 8, METRIC_IP, 8, 40);
            assertEquals(1, pv_hnsw_add_range(index, fx.view(300), 5, 10, 1, err, 256));
            assertTrue(err.getString(0).contains("first_row must be 0"), err.getString(0));
            assertEquals(1, pv_hnsw_add_range(index, fx.view(300), 0, 301, 1, err, 256));
            MemorySegment wrongDim = fx.view(300);
            pv_vectors.dim(wrongDim, 9);
            assertEquals(1, pv_hnsw_add_range(index, wrongDim, 0, 10, 1, err, 256));
            assertTrue(err.getString(0).contains("dim 9"), err.getString(0));
            MemorySegment f16 = fx.view(300);
            pv_vectors.elem_type(f16, 1);
            assertEquals(2, pv_hnsw_add_range(index, f16, 0, 10, 1, err, 256));
            add(a, index, fx.view(300), 0, 300, 1);
            MemorySegment q = a.allocate(ValueLayout.JAVA_FLOAT, 8);
            MemorySegment rows = a.allocate(ValueLayout.JAVA_LONG, 4);
            MemorySegment scores = a.allocate(ValueLayout.JAVA_FLOAT, 4);
            MemorySegment found = a.allocate(ValueLayout.JAVA_INT);
            assertEquals(1, pv_hnsw_search(index, fx.view(300), q, 0, 10, MemorySegment.NULL, rows, scores, found,
                    MemorySegment.NULL, err, 256));
            assertEquals(1, pv_hnsw_search(index, fx.view(300), MemorySegment.NULL, 4, 10, MemorySegment.NULL, rows,
                    scores, found, MemorySegment.NULL, err, 256));
            // an empty index finds nothing
            MemorySegment empty = create(a, 8, METRIC_L2, 8, 40);
            assertEquals(0, search(empty, fx.view(300), new float[8], 4, 10, null).rows().length);
            pv_hnsw_free(empty);
            pv_hnsw_free(index);
        }
    }

    @Test
    void searchesRunConcurrentlyWithAdds() throws InterruptedException {
        int total = 8000, initial = 3000, batch = 250;
        try (GraphFixture fx = new GraphFixture(total, DIM, 40, true, 17); Arena a = Arena.ofShared()) {
            MemorySegment index = create(a, DIM, METRIC_IP, 16, 60);
            add(a, index, fx.view(total), 0, initial, 2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try (Arena wa = Arena.ofConfined()) {
                    for (long first = initial; first < total; first += batch) add(wa, index, fx.view(total), first, batch, 1);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                final int seed = t;
                readers.add(new Thread(() -> {
                    Random rnd = new Random(seed);
                    try {
                        int searches = 0;
                        while (writer.isAlive() || searches < 50) {
                            // half the readers see every row, half a view taken before the adds finish
                            long count = seed == 0 ? total : Math.max(1, pv_hnsw_count(index));
                            float[] q = fx.data[rnd.nextInt(total)].clone();
                            Hits h = search(index, fx.view(count), q, K, 32, null);
                            assertTrue(h.rows().length > 0, "nothing found");
                            assertWellFormed(fx, METRIC_IP, q, h, count);
                            searches++;
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            writer.start();
            readers.forEach(Thread::start);
            writer.join();
            for (Thread r : readers) r.join();
            if (failure.get() != null) fail(failure.get());
            assertEquals(total, pv_hnsw_count(index));
            double recall = 0;
            for (int i = 0; i < 50; i++) {
                float[] q = fx.data[i * 97];
                recall += overlap(search(index, fx.view(total), q, K, 64, null).rows(),
                        fx.bruteForce(METRIC_IP, q, K, total, r -> true));
            }
            assertTrue(recall / 50 >= 0.95, "recall after concurrent adds " + recall / 50);
            pv_hnsw_free(index);
        }
    }
}
