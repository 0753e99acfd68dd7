package io.panavec;

import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.*;

class PanavecIndexTest {
    @TempDir
    Path tmp;

    static long[] ids(long from, int n) {
        return LongStream.range(from, from + n).toArray();
    }

    static double recallAt10(PanavecIndex index, float[][] queries, int[][] gt, int ef) {
        double sum = 0;
        for (int q = 0; q < queries.length; q++) {
            sum += TestData.recall(index.search(SearchRequest.of(queries[q], 10).withEfSearch(ef)).hits(), gt[q], 10);
        }
        return sum / queries.length;
    }

    @Test
    void hnswOnShippedDataReachesRecallAgainstShippedGroundTruthAndReopensIdentically() throws Exception {
        float[][] base = TestData.read("base.fvecs");
        float[][] queries = TestData.read("queries.fvecs");
        int[][] gt = TestData.groundTruth("queries-groundtruth.ivecs");
        Path dir = tmp.resolve("idx");
        List<SearchResult> before = new ArrayList<>();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(384).metric(Metric.INNER_PRODUCT)
                .spec(IndexSpec.hnsw(16, 100)).threads(2).create()) {
            index.add(ids(0, base.length), base);
            index.commit();
            double r = recallAt10(index, queries, gt, 64);
            assertTrue(r >= 0.95, "recall@10 at ef=64 was " + r);
            for (float[] q : queries) before.add(index.search(SearchRequest.of(q, 10).withEfSearch(64)));
            assertEquals("hnsw", before.get(0).strategy());
            assertTrue(before.get(0).candidatesScored() > 0 && before.get(0).candidatesScored() < base.length);
        }
        try (PanavecIndex index = PanavecIndex.open(dir)) {
            assertEquals(base.length, index.size());
            for (int q = 0; q < queries.length; q++) {
                assertEquals(before.get(q).hits(), index.search(SearchRequest.of(queries[q], 10).withEfSearch(64)).hits());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"flat", "hnsw:M=16,efc=100", "faiss:IVF16,Flat", "faiss:HNSW16,Flat"})
    void everyKindFindsNearNeighboursHonoursDeletesAndSurvivesReopen(String spec) throws Exception {
        float[][] base = TestData.random(2000, 24, 21);
        float[][] queries = TestData.random(20, 24, 22);
        Path dir = tmp.resolve("k");
        Set<Long> deletedIds = new HashSet<>();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(24).metric(Metric.L2).spec(spec).threads(2).create()) {
            index.train(base);
            index.add(ids(100, 1000), java.util.Arrays.copyOfRange(base, 0, 1000));
            index.add(ids(1100, 1000), java.util.Arrays.copyOfRange(base, 1000, 2000));
            for (float[] q : queries) {
                // The nearest live vector: earlier iterations deleted their own nearest ones.
                long truth = java.util.Arrays.stream(TestData.topK(Metric.L2, base, q, queries.length + 1))
                        .mapToLong(row -> 100L + row).filter(id -> !deletedIds.contains(id)).findFirst().orElseThrow();
                SearchResult r = index.search(SearchRequest.of(q, 5).withEfSearch(100).withNprobe(16));
                assertEquals(5, r.size());
                assertEquals(truth, r.get(0).id(), spec + ": nearest neighbour");
                assertTrue(index.delete(r.get(0).id()));
                deletedIds.add(r.get(0).id());
            }
            assertFalse(index.delete(-5), "unknown id");
            index.commit();
            checkNoDeleted(index, queries, deletedIds);
        }
        try (PanavecIndex index = PanavecIndex.open(dir)) {
            assertEquals(2000 - deletedIds.size(), index.size());
            checkNoDeleted(index, queries, deletedIds);
        }
    }

    private static void checkNoDeleted(PanavecIndex index, float[][] queries, Set<Long> deletedIds) {
        for (float[] q : queries) {
            SearchResult r = index.search(SearchRequest.of(q, 10).withEfSearch(100).withNprobe(16));
            assertEquals(10, r.size());
            for (SearchHit h : r.hits()) assertFalse(deletedIds.contains(h.id()), "deleted id " + h.id() + " returned");
        }
    }

    @Test
    void compactUnlinksDeletedRowsAndKeepsAnswers() throws Exception {
        float[][] base = TestData.random(3000, 16, 61);
        float[][] queries = TestData.random(30, 16, 62);
        Path dir = tmp.resolve("compact");
        Set<Long> deletedIds = new HashSet<>();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(16).metric(Metric.L2).spec("hnsw:M=16,efc=100")
                .schema(io.panavec.attributes.Schema.parse("bucket:int")).create()) {
            List<java.util.Map<String, ?>> attrs = new ArrayList<>();
            for (int i = 0; i < 3000; i++) attrs.add(java.util.Map.of("bucket", i % 5));
            index.add(ids(0, 3000), base, attrs);
            index.planner(new io.panavec.filter.Planner(0, 0.3)); // never the exact scan: walk the graph
            for (long id = 0; id < 3000; id += 3) {
                assertTrue(index.delete(id));
                deletedIds.add(id);
            }
            long before = index.graphBytes();
            index.compact();
            assertTrue(index.graphBytes() > 0 && before > 0);
            assertEquals(2000, index.size());
            checkNoDeleted(index, queries, deletedIds);
            for (float[] q : queries) {
                long truth = java.util.Arrays.stream(TestData.topK(Metric.L2, base, q, 10)).mapToLong(r -> r)
                        .filter(id -> !deletedIds.contains(id)).findFirst().orElseThrow();
                assertEquals(truth, index.search(SearchRequest.of(q, 1).withEfSearch(100)).get(0).id());
                // Filtered searches use the compacted graph too (it replaced the one they started with).
                SearchResult f = index.search(SearchRequest.of(q, 10).withFilter("bucket = 2"));
                assertEquals(10, f.size());
                assertTrue(f.strategy().startsWith("acorn"), f.strategy());
                for (SearchHit h : f.hits()) {
                    assertEquals(2, h.id() % 5);
                    assertFalse(deletedIds.contains(h.id()));
                }
            }
        }
        try (PanavecIndex index = PanavecIndex.open(dir)) {
            checkNoDeleted(index, queries, deletedIds);
        }
    }

    @Test
    void cosineNormalizesAndScoresAreCosines() throws Exception {
        float[][] base = TestData.random(500, 16, 31);
        float[] q = TestData.random(1, 16, 32)[0];
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("c")).dimension(16).metric(Metric.COSINE).spec("flat").create()) {
            index.add(ids(0, 500), base);
            int[] truth = TestData.topK(Metric.COSINE, base, q, 5);
            SearchResult r = index.search(SearchRequest.of(q, 5));
            for (int i = 0; i < 5; i++) {
                assertEquals(truth[i], r.get(i).id());
                assertEquals(TestData.score(Metric.COSINE, q, base[truth[i]]), r.get(i).score(), 1e-5);
            }
        }
    }

    @Test
    void searchesWhileAnotherThreadAddsReturnValidResults() throws Exception {
        float[][] base = TestData.random(6000, 32, 41);
        float[][] queries = TestData.random(50, 32, 42);
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("cc")).dimension(32).metric(Metric.INNER_PRODUCT)
                .spec("hnsw:M=12,efc=60").threads(1).create()) {
            index.add(ids(0, 1000), java.util.Arrays.copyOfRange(base, 0, 1000));
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int first = 1000; first < 6000; first += 250) {
                        index.add(ids(first, 250), java.util.Arrays.copyOfRange(base, first, first + 250));
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    done.set(true);
                }
            });
            List<Thread> readers = new ArrayList<>();
            for (int reader = 0; reader < 2; reader++) {
                readers.add(new Thread(() -> {
                    try {
                        int i = 0;
                        while (!done.get() || i < 100) {
                            float[] q = queries[i++ % queries.length];
                            long visible = index.rows();
                            SearchResult r = index.search(SearchRequest.of(q, 10).withEfSearch(32));
                            assertEquals(10, r.size());
                            Set<Long> seen = new HashSet<>();
                            float prev = Float.POSITIVE_INFINITY;
                            for (SearchHit h : r.hits()) {
                                assertTrue(h.id() >= 0 && h.id() < 6000 && h.id() == h.row(), "row " + h.row());
                                assertTrue(seen.add(h.id()), "duplicate " + h.id());
                                assertTrue(h.score() <= prev, "not sorted");
                                assertEquals(TestData.score(Metric.INNER_PRODUCT, q, base[(int) h.row()]), h.score(), 1e-3);
                                prev = h.score();
                            }
                            assertTrue(visible <= index.rows());
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            writer.start();
            readers.forEach(Thread::start);
            writer.join();
            for (Thread t : readers) t.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(6000, index.size());
        }
    }

    @Test
    void corruptOrMismatchedIndexFilesAreRefusedWithAMessage() throws Exception {
        float[][] base = TestData.random(300, 8, 51);
        Path dir = tmp.resolve("bad");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(8).metric(Metric.L2).spec("faiss:Flat").create()) {
            index.add(ids(0, 300), base);
            index.commit();
        }
        Manifest m = Manifest.read(dir);
        Path faissFile = dir.resolve(m.require(ManifestKey.FAISS_LINKS.file()));
        byte[] bytes = Files.readAllBytes(faissFile);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(faissFile, bytes);
        IOException e = assertThrows(IOException.class, () -> PanavecIndex.open(dir));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        Files.delete(dir.resolve(Manifest.FILE_NAME));
        e = assertThrows(IOException.class, () -> PanavecIndex.open(dir));
        assertTrue(e.getMessage().contains("not a panavec index"), e.getMessage());
    }

    @Test
    void badRequestsFailClearly() throws Exception {
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("r")).dimension(4).metric(Metric.L2).spec("hnsw").create()) {
            index.add(ids(0, 3), new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}});
            assertThrows(IllegalArgumentException.class, () -> index.search(SearchRequest.of(new float[5], 1)));
            assertThrows(IllegalArgumentException.class, () -> SearchRequest.of(new float[4], 0));
            assertThrows(IllegalArgumentException.class, () -> SearchRequest.of(new float[4], 1).withEfSearch(-1));
            assertThrows(IllegalArgumentException.class, () -> index.search(SearchRequest.of(new float[] {0, Float.NaN, 0, 0}, 1)));
            assertThrows(IllegalArgumentException.class, () -> index.add(new long[] {9}, new float[][] {{1, 2, 3}}));
            assertThrows(IllegalArgumentException.class, () -> IndexSpec.parse("hnsw:M=x"));
            assertThrows(IllegalArgumentException.class, () -> IndexSpec.parse("ivf"));
            assertEquals(3, index.search(SearchRequest.of(new float[] {1, 0, 0, 0}, 10)).size());
            index.close();
            assertThrows(IllegalStateException.class, () -> index.search(SearchRequest.of(new float[4], 1)));
        }
        assertThrows(Exception.class, () -> PanavecIndex.builder(tmp.resolve("f")).dimension(4).spec("faiss:NoSuchIndex").create());
    }
}
