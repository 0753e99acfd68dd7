package io.panavec.faiss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panavec.internal.NativeMetric;
import io.panavec.bindings.PanavecNativeException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaissIndexLifecycleTest {
    private static final int DIM = 16;

    @Test
    void badSpecIsRefusedWithTheSupportedList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaissIndex.create(DIM, "NoSuchIndex42", NativeMetric.L2));
        assertTrue(e.getMessage().contains("NoSuchIndex42") && e.getMessage().contains("Supported: "), e.getMessage());
        // The JVM and the library are still fine.
        try (FaissIndex ok = FaissIndex.create(DIM, "Flat", NativeMetric.L2)) {
            assertEquals(0, ok.size());
        }
    }

    @Test
    void invalidArgumentsAreRejectedInJava() {
        assertThrows(IllegalArgumentException.class, () -> FaissIndex.create(0, "Flat", NativeMetric.L2));
        try (FaissIndex index = FaissIndex.create(DIM, "Flat", NativeMetric.L2)) {
            float[][] base = BruteForce.gaussian(50, DIM, 1);
            index.add(base);
            assertThrows(IllegalArgumentException.class, () -> index.search(new float[DIM + 1], 5));
            float[] nan = base[0].clone();
            nan[3] = Float.NaN;
            assertThrows(IllegalArgumentException.class, () -> index.search(nan, 5));
            float[] inf = base[0].clone();
            inf[0] = Float.POSITIVE_INFINITY;
            assertThrows(IllegalArgumentException.class, () -> index.add(new float[][] {inf}));
            assertThrows(IllegalArgumentException.class, () -> index.search(base[0], 0));
            assertThrows(IllegalArgumentException.class, () -> index.search(base[0], -3));
            assertThrows(IllegalArgumentException.class, () -> SearchParams.defaults().withEfSearch(-1));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment small = arena.allocate(ValueLayout.JAVA_FLOAT, DIM * 2L);
                assertThrows(IllegalArgumentException.class, () -> index.add(small, 3));
                assertThrows(IllegalArgumentException.class, () -> index.add(small, -1));
                assertThrows(IllegalArgumentException.class, () -> index.search(small, 3, 5, SearchParams.defaults()));
            }
            assertThrows(IllegalArgumentException.class, () -> index.rangeSearch(base[0], Float.NaN, SearchParams.defaults()));
            assertEquals(50, index.size(), "failed calls must not change the index");
            assertEquals(0, index.search(base[0], 1).ids()[0]);
        }
    }

    @Test
    void untrainedIndexRefusesAdd() {
        try (FaissIndex index = FaissIndex.create(DIM, "IVF4,Flat", NativeMetric.L2)) {
            assertThrows(IllegalStateException.class, () -> index.add(BruteForce.gaussian(10, DIM, 2)));
        }
    }

    @Test
    void closedIndexThrowsIllegalState() {
        FaissIndex index = FaissIndex.create(DIM, "Flat", NativeMetric.L2);
        index.add(BruteForce.gaussian(10, DIM, 3));
        index.close();
        index.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> index.search(new float[DIM], 3));
        assertThrows(IllegalStateException.class, () -> index.add(new float[1][DIM]));
        assertThrows(IllegalStateException.class, index::size);
        assertThrows(IllegalStateException.class, () -> index.removeIds(1));
        assertThrows(IllegalStateException.class, () -> index.save(Path.of("unused")));
        assertThrows(IllegalStateException.class, () -> index.rangeSearch(new float[DIM], 1f, SearchParams.defaults()));
    }

    @Test
    void idsAreCheckedByFaissForIndexesWithoutIdSupport() {
        try (FaissIndex flat = FaissIndex.create(DIM, "Flat", NativeMetric.L2);
                FaissIndex idmap = FaissIndex.create(DIM, "IDMap,Flat", NativeMetric.L2)) {
            float[][] v = BruteForce.gaussian(4, DIM, 4);
            assertThrows(PanavecNativeException.class, () -> flat.addWithIds(v, new long[] {1, 2, 3, 4}));
            assertThrows(PanavecNativeException.class, () -> idmap.add(v));
            assertThrows(IllegalArgumentException.class, () -> idmap.addWithIds(v, new long[] {1, 2, 3}));
            assertThrows(IllegalArgumentException.class, () -> idmap.addWithIds(v, new long[] {1, 2, 3, -4}));
            idmap.addWithIds(v, new long[] {40, 30, 20, 10});
            assertEquals(20, idmap.search(v[2], 1).ids()[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Flat", "HNSW16,Flat", "IVF8,Flat", "IDMap,Flat", "PCA12,IVF8,PQ4x4"})
    void saveLoadRoundTripAnswersIdentically(String spec, @TempDir Path dir) {
        float[][] base = BruteForce.gaussian(1200, DIM, 5);
        float[][] queries = BruteForce.gaussian(10, DIM, 6);
        SearchParams params = SearchParams.defaults().withEfSearch(32).withNprobe(4);
        Path file = dir.resolve("index.faiss");
        FaissHits[] before;
        try (FaissIndex index = FaissIndex.create(DIM, spec, NativeMetric.INNER_PRODUCT)) {
            if (!index.isTrained()) index.train(base);
            if (spec.startsWith("IDMap")) {
                long[] ids = new long[base.length];
                for (int i = 0; i < ids.length; i++) ids[i] = 5L * i + 1;
                index.addWithIds(base, ids);
            } else {
                index.add(base);
            }
            before = index.search(queries, 10, params);
            index.save(file);
        }
        try (FaissIndex loaded = FaissIndex.load(file)) {
            assertEquals(NativeMetric.INNER_PRODUCT, loaded.metric());
            assertEquals(DIM, loaded.dim());
            assertEquals(base.length, loaded.size());
            FaissHits[] after = loaded.search(queries, 10, params);
            for (int q = 0; q < queries.length; q++) {
                assertArrayEquals(before[q].ids(), after[q].ids());
                assertArrayEquals(before[q].scores(), after[q].scores());
            }
        }
        try (FaissIndex asCosine = FaissIndex.load(file, NativeMetric.COSINE)) {
            assertEquals(NativeMetric.COSINE, asCosine.metric());
        }
        assertThrows(IllegalArgumentException.class, () -> FaissIndex.load(file, NativeMetric.L2));
    }

    @Test
    void loadingGarbageOrMissingFilesThrows(@TempDir Path dir) throws IOException {
        Path garbage = dir.resolve("garbage.faiss");
        Files.write(garbage, "definitely not a faiss index".getBytes());
        PanavecNativeException corrupt = assertThrows(PanavecNativeException.class, () -> FaissIndex.load(garbage));
        assertEquals(6, corrupt.status(), corrupt.getMessage()); // PV_ECORRUPT
        PanavecNativeException missing = assertThrows(PanavecNativeException.class, () -> FaissIndex.load(dir.resolve("nope")));
        assertEquals(5, missing.status(), missing.getMessage()); // PV_EIO
        try (FaissIndex index = FaissIndex.create(DIM, "Flat", NativeMetric.L2)) {
            PanavecNativeException unwritable = assertThrows(PanavecNativeException.class,
                    () -> index.save(dir.resolve("no/such/dir/x.faiss")));
            assertEquals(5, unwritable.status(), unwritable.getMessage());
        }
    }

    @Test
    void removeIdsOnIdMapFlat() {
        float[][] base = BruteForce.gaussian(300, DIM, 7);
        long[] ids = new long[base.length];
        for (int i = 0; i < ids.length; i++) ids[i] = 1000 + 7L * i;
        try (FaissIndex index = FaissIndex.create(DIM, "IDMap,Flat", NativeMetric.L2)) {
            index.addWithIds(base, ids);
            long[] gone = {ids[0], ids[5], ids[77], 999_999};
            assertEquals(3, index.removeIds(gone));
            assertEquals(297, index.size());
            for (float[] q : new float[][] {base[0], base[5], base[77]}) {
                FaissHits r = index.search(q, 20);
                List<BruteForce.Hit> truth = BruteForce.ranked(NativeMetric.L2, base, ids, q,
                        id -> id != ids[0] && id != ids[5] && id != ids[77]).subList(0, 20);
                FaissIndexSearchTest.assertMatchesOracle(NativeMetric.L2, base, ids, q, truth, r);
            }
        }
    }

    @Test
    void removeIdsOnFlatRenumbers() {
        float[][] base = BruteForce.gaussian(100, DIM, 8);
        try (FaissIndex index = FaissIndex.create(DIM, "Flat", NativeMetric.L2)) {
            index.add(base);
            assertEquals(10, index.removeIds(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            assertEquals(90, index.size());
            assertEquals(0, index.search(base[10], 1).ids()[0], "vector 10 is now id 0");
        }
    }

    @Test
    void removeIdsOnHnswReportsFaissError() {
        try (FaissIndex index = FaissIndex.create(DIM, "HNSW16,Flat", NativeMetric.L2)) {
            index.add(BruteForce.gaussian(50, DIM, 9));
            PanavecNativeException e = assertThrows(PanavecNativeException.class, () -> index.removeIds(1, 2));
            assertEquals(3, e.status());
            assertTrue(e.getMessage().contains("remove_ids"), e.getMessage());
            assertEquals(50, index.size());
        }
    }

    @Test
    void segmentInputMatchesArrayInput() {
        float[][] base = BruteForce.gaussian(200, DIM, 10);
        try (FaissIndex a = FaissIndex.create(DIM, "Flat", NativeMetric.COSINE);
                FaissIndex b = FaissIndex.create(DIM, "Flat", NativeMetric.COSINE);
                Arena arena = Arena.ofConfined()) {
            a.add(base);
            MemorySegment seg = arena.allocate(ValueLayout.JAVA_FLOAT, 200L * DIM);
            for (int i = 0; i < 200; i++) MemorySegment.copy(base[i], 0, seg, ValueLayout.JAVA_FLOAT, (long) i * DIM * 4, DIM);
            b.add(seg, 200);
            assertEquals(1.0f, b.search(base[3], 1).scores()[0], 1e-5f);
            assertArrayEquals(a.search(base[3], 10).ids(), b.search(base[3], 10).ids());
            assertEquals(base[0][0], seg.get(ValueLayout.JAVA_FLOAT, 0), "cosine normalizes a copy, not the caller's data");
        }
    }

    /** Concurrent searches with different efSearch give exactly what the same searches give serially. */
    @Test
    void concurrentSearchesWithDifferentEfSearchMatchSerial() throws Exception {
        float[][] base = BruteForce.clustered(3000, DIM, 30, 11);
        float[][] queries = BruteForce.clustered(40, DIM, 30, 12);
        int[] efs = {10, 16, 40, 100};
        try (FaissIndex index = FaissIndex.create(DIM, "HNSW16,Flat", NativeMetric.L2)) {
            index.add(base);
            FaissHits[][] serial = new FaissHits[efs.length][];
            for (int e = 0; e < efs.length; e++) {
                serial[e] = index.search(queries, 10, SearchParams.defaults().withEfSearch(efs[e]));
            }
            boolean differ = false;
            for (int q = 0; q < queries.length; q++) differ |= !Arrays.equals(serial[0][q].ids(), serial[3][q].ids());
            assertTrue(differ, "efSearch has no effect on this data: the test could not detect a race");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        for (int round = 0; round < 30; round++) {
                            int e = (thread + round) % efs.length;
                            int q = (thread * 7 + round) % queries.length;
                            FaissHits r = index.search(queries[q], 10, SearchParams.defaults().withEfSearch(efs[e]));
                            assertArrayEquals(serial[e][q].ids(), r.ids(), "ef " + efs[e] + " query " + q);
                            assertArrayEquals(serial[e][q].scores(), r.scores());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) f.get();
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void closeWaitsForInFlightSearches() throws Exception {
        FaissIndex index = FaissIndex.create(DIM, "Flat", NativeMetric.L2);
        index.add(BruteForce.gaussian(2000, DIM, 13));
        float[][] queries = BruteForce.gaussian(200, DIM, 14);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch searching = new java.util.concurrent.CountDownLatch(1);
            Future<Integer> searches = pool.submit(() -> {
                int done = 0;
                try {
                    while (true) {
                        assertEquals(5, index.search(queries, 5, SearchParams.defaults())[0].size());
                        done++;
                        searching.countDown();
                    }
                } catch (IllegalStateException closed) {
                    return done; // the only way out: the index was closed between calls
                }
            });
            searching.await(); // searches are running (no sleep orders the close after them)
            index.close();
            assertTrue(searches.get() >= 1);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The setting decides how many OS threads a search runs on: counted in /proc as the calling thread and
     * the OpenMP workers (libpanavec's runtime names them panavec-omp; idle pooled ones do not count) that
     * used CPU during the search. Linux only.
     */
    @Test
    void threadCountSettingDecidesTheThreadsASearchRunsOn() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> FaissIndex.setThreads(-1));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs /proc");
        String name = "faissOmpProbe"; // at most 15 characters: the kernel's thread name
        ExecutorService probe = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
        try (FaissIndex index = FaissIndex.create(DIM, "HNSW16,Flat", NativeMetric.L2)) {
            index.add(BruteForce.gaussian(5000, DIM, 15));
            float[][] queries = BruteForce.gaussian(3000, DIM, 16);
            for (int threads : new int[] {3, 1, 2}) { // 1 after 3: a pool of idle workers must not count
                int busy = probe.submit(() -> {
                    FaissIndex.setThreads(threads);
                    java.util.Map<String, Long> before = cpuNanosOfThreadsNamed(name, "panavec-omp");
                    index.search(queries, 10, SearchParams.defaults().withEfSearch(400));
                    java.util.Map<String, Long> after = cpuNanosOfThreadsNamed(name, "panavec-omp");
                    return (int) after.entrySet().stream()
                            .filter(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L) > 2_000_000L).count();
                }).get();
                assertEquals(threads, busy, "threads that searched with setThreads(" + threads + ")");
            }
        } finally {
            probe.submit(() -> FaissIndex.setThreads(0)).get();
            probe.shutdown();
        }
    }

    /** CPU time (ns, from schedstat) of each thread of this process named one of {@code names}, by thread id. */
    private static java.util.Map<String, Long> cpuNanosOfThreadsNamed(String... names) throws IOException {
        java.util.Set<String> wanted = java.util.Set.of(names);
        java.util.Map<String, Long> cpu = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (wanted.contains(Files.readString(t.resolve("comm")).strip())) {
                        cpu.put(t.getFileName().toString(), Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]));
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return cpu;
    }
}
