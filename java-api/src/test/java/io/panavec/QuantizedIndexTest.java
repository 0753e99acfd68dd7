package io.panavec;

import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.persist.CheckedFile;

import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.quant.QuantSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Quantized index specs (flat:quant=.., hnsw:..,quant=..) in PanavecIndex: persistence, recall, deletes, filters. */
class QuantizedIndexTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static float[][] base, queries;
    static int[][] truth;
    static PanavecIndex lvq; // hnsw:M=16,efc=100,quant=lvq4x8 over the shipped 10k cut

    @BeforeAll
    static void buildShared() throws IOException {
        base = TestData.read("base.fvecs");
        queries = TestData.read("queries.fvecs");
        truth = TestData.groundTruth("queries-groundtruth.ivecs");
        lvq = PanavecIndex.builder(shared.resolve("lvq")).dimension(base[0].length).metric(Metric.INNER_PRODUCT)
                .spec("hnsw:M=16,efc=100,quant=lvq4x8").threads(2).create();
        lvq.train(base);
        addAll(lvq, base, 0);
        lvq.commit();
    }

    @AfterAll
    static void closeShared() throws IOException {
        lvq.close();
    }

    static void addAll(PanavecIndex index, float[][] vs, long firstId) {
        for (int first = 0; first < vs.length; first += 2500) {
            int n = Math.min(2500, vs.length - first);
            long[] ids = new long[n];
            float[][] b = new float[n][];
            for (int i = 0; i < n; i++) {
                ids[i] = firstId + first + i;
                b[i] = vs[first + i];
            }
            index.add(ids, b);
        }
    }

    static double recall(PanavecIndex index, int nq, int k, int ef, int rerank) {
        double sum = 0;
        for (int q = 0; q < nq; q++) {
            SearchResult r = index.search(SearchRequest.of(queries[q], k).withEfSearch(ef).withRerank(rerank));
            sum += TestData.recall(r.hits(), truth[q], k);
        }
        return sum / nq;
    }

    @Test
    void specsParseAndPrintBack() {
        for (String s : List.of("flat:quant=sq8", "hnsw:M=16,efc=100,quant=lvq4x8", "hnsw:M=8,efc=40,quant=leanvec-ood.64.lvq8",
                "flat", "hnsw:M=16,efc=100", "faiss:HNSW32,Flat")) {
            assertEquals(s, IndexSpec.parse(s).text());
        }
        IndexSpec q = IndexSpec.parse("hnsw:quant=binary");
        assertEquals(new IndexSpec.Hnsw(16, 100), q.structure());
        assertEquals(QuantSpec.parse("binary"), q.quantization());
        assertNull(IndexSpec.parse("hnsw:M=16,efc=100").quantization());
        assertThrows(IllegalArgumentException.class, () -> IndexSpec.parse("flat:quant=pq8"));
        assertThrows(IllegalArgumentException.class, () -> IndexSpec.parse("flat:m=3"));
        assertThrows(IllegalArgumentException.class, () -> new IndexSpec.Quantized(new IndexSpec.Faiss("PQ8"), QuantSpec.parse("sq8")));
        assertThrows(IllegalArgumentException.class, () -> SearchRequest.of(new float[2], 1).withRerank(-1));
    }

    @Test
    void hnswOnLvqCodesWithRerankReachesTheGroundTruth() {
        double r = recall(lvq, 200, 10, 64, 50);
        assertTrue(r >= 0.95, "recall@10 " + r);
        SearchResult res = lvq.search(SearchRequest.of(queries[0], 10));
        assertEquals("hnsw-codes:lvq4x8+rerank-residual", res.strategy());
        assertEquals(16 + 192 + 384, lvq.codeBytesPerVector());
    }

    @Test
    void reopenSearchesIdenticallyFromTheCodeFile() throws IOException {
        List<SearchResult> before = new ArrayList<>();
        for (int q = 0; q < 40; q++) before.add(lvq.search(SearchRequest.of(queries[q], 10).withEfSearch(48)));
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        try (var files = Files.list(shared.resolve("lvq"))) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Manifest m = Manifest.read(copy);
        assertEquals("lvq4x8", m.require(ManifestKey.CODES_METHOD));
        try (PanavecIndex re = PanavecIndex.open(copy, 1)) {
            for (int q = 0; q < 40; q++) {
                assertEquals(before.get(q).hits(), re.search(SearchRequest.of(queries[q], 10).withEfSearch(48)).hits(), "query " + q);
            }
            assertEquals(m.require(ManifestKey.CODES.file()), Manifest.read(copy).require(ManifestKey.CODES.file()));
        }
    }

    @Test
    void flatSq8ScoresAreExactAndFullDepthRerankEqualsBruteForce() throws IOException {
        float[][] vs = TestData.random(600, 40, 7);
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("f")).dimension(40).metric(Metric.L2).spec("flat:quant=sq8").create()) {
            addAll(index, vs, 0); // trains on its first batch
            for (int q = 0; q < 20; q++) {
                float[] query = TestData.random(1, 40, 100 + q)[0];
                SearchResult r = index.search(SearchRequest.of(query, 10).withRerank(600));
                assertEquals("scan-codes:sq8+rerank-float32", r.strategy());
                int[] expected = TestData.topK(Metric.L2, vs, query, 10);
                for (int i = 0; i < 10; i++) {
                    assertEquals(expected[i], r.get(i).id(), "query " + q + " rank " + i);
                    assertEquals(TestData.score(Metric.L2, query, vs[expected[i]]), r.get(i).score(), 1e-3);
                }
            }
        }
    }

    @Test
    void deletedVectorsAreNeverReturned() throws IOException {
        float[][] vs = TestData.random(800, 24, 11);
        for (String spec : List.of("flat:quant=lvq8", "hnsw:M=8,efc=60,quant=lvq4")) {
            try (PanavecIndex index = PanavecIndex.builder(tmp.resolve(spec.replace(':', '_'))).dimension(24).metric(Metric.INNER_PRODUCT)
                    .spec(spec).threads(1).create()) {
                addAll(index, vs, 0);
                Set<Long> gone = new HashSet<>();
                for (int q = 0; q < 10; q++) { // delete each query's current best three
                    SearchResult r = index.search(SearchRequest.of(vs[q * 50], 3));
                    for (SearchHit h : r.hits()) if (index.delete(h.id())) gone.add(h.id());
                }
                index.commit();
                float[][] live = new float[vs.length][];
                for (int i = 0; i < vs.length; i++) live[i] = gone.contains((long) i) ? new float[24] : vs[i];
                for (int q = 0; q < 30; q++) {
                    float[] query = vs[q * 25];
                    SearchResult r = index.search(SearchRequest.of(query, 10).withEfSearch(100).withRerank(200));
                    assertEquals(10, r.size());
                    for (SearchHit h : r.hits()) assertFalse(gone.contains(h.id()), spec + ": deleted " + h.id() + " returned");
                    if (spec.startsWith("flat")) { // full-depth re-rank of a flat scan is exact over the live rows
                        List<Integer> want = new ArrayList<>();
                        for (int id : TestData.topK(Metric.INNER_PRODUCT, live, query, 40)) if (!gone.contains((long) id)) want.add(id);
                        for (int i = 0; i < 10; i++) assertEquals((long) want.get(i), r.get(i).id(), spec + " query " + q);
                    }
                }
            }
        }
    }

    @Test
    void filteredSearchReturnsOnlyMatchesAndTheExactAnswer() throws IOException {
        float[][] vs = TestData.random(700, 16, 13);
        Schema schema = Schema.builder().add("g", AttributeType.INT).build();
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("filt")).dimension(16).metric(Metric.L2)
                .spec("hnsw:M=8,efc=40,quant=sq4").schema(schema).threads(1).create()) {
            long[] ids = new long[vs.length];
            List<Map<String, ?>> attrs = new ArrayList<>();
            for (int i = 0; i < vs.length; i++) {
                ids[i] = i;
                attrs.add(Map.of("g", i % 7));
            }
            index.add(ids, vs, attrs);
            for (int q = 0; q < 15; q++) {
                float[] query = TestData.random(1, 16, 500 + q)[0];
                SearchResult r = index.search(SearchRequest.of(query, 5).withFilter("g = 3"));
                float[][] matching = new float[vs.length][];
                for (int i = 0; i < vs.length; i++) matching[i] = i % 7 == 3 ? vs[i] : new float[] {1e6f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
                int[] expected = TestData.topK(Metric.L2, matching, query, 5);
                assertEquals(5, r.size(), r.strategy());
                for (int i = 0; i < 5; i++) {
                    assertEquals(3L, r.get(i).id() % 7, "hit fails the filter");
                    assertEquals(expected[i], r.get(i).id(), r.strategy() + " query " + q + " rank " + i);
                }
            }
        }
    }

    @Test
    void leanVecOodNeedsQueriesAndPersists() throws IOException {
        float[][] vs = TestData.random(500, 32, 17);
        float[][] qs = TestData.random(100, 32, 18);
        Path dir = tmp.resolve("ood");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(32).metric(Metric.COSINE)
                .spec("hnsw:M=8,efc=40,quant=leanvec-ood.16.lvq8").threads(1).create()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> index.add(0, vs[0]));
            assertTrue(e.getMessage().contains("trainQueries"), e.getMessage());
            assertEquals(0, index.rows());
            index.trainQueries(qs);
            addAll(index, vs, 0);
            index.commit();
            assertThrows(IllegalStateException.class, () -> index.trainQueries(qs));
        }
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            int self = 0;
            for (int i = 0; i < vs.length; i += 10) {
                SearchResult r = index.search(SearchRequest.of(vs[i], 1).withEfSearch(64).withRerank(64));
                assertTrue(r.strategy().startsWith("hnsw-codes:leanvec-ood.16.lvq8"), r.strategy());
                if (r.get(0).id() == i) {
                    self++;
                    assertEquals(1.0, r.get(0).score(), 1e-5); // cosine, re-ranked at full precision
                }
            }
            assertTrue(self >= 48, self + " of 50 vectors found themselves");
        }
    }

    @Test
    void addsAfterReopenAreEncodedAndPersisted() throws IOException {
        float[][] vs = TestData.random(900, 20, 19);
        Path dir = tmp.resolve("grow");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(20).metric(Metric.L2).spec("hnsw:M=8,efc=40,quant=lvq8x8").threads(1).create()) {
            addAll(index, java.util.Arrays.copyOf(vs, 300), 0);
            index.commit();
        }
        String first = Manifest.read(dir).require(ManifestKey.CODES.file());
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            index.commit(); // no new rows: the code file is kept, not rewritten
            assertEquals(first, Manifest.read(dir).require(ManifestKey.CODES.file()));
            assertTrue(Files.exists(dir.resolve(first)));
            float[][] rest = java.util.Arrays.copyOfRange(vs, 300, 900);
            addAll(index, rest, 300);
            index.commit();
        }
        String second = Manifest.read(dir).require(ManifestKey.CODES.file());
        assertNotEquals(first, second);
        assertFalse(Files.exists(dir.resolve(first)), "the previous code file is removed after the switch");
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertEquals(900, index.rows());
            for (int i = 0; i < 900; i += 9) {
                SearchResult r = index.search(SearchRequest.of(vs[i], 1).withEfSearch(64));
                assertEquals(i, r.get(0).id(), "vector " + i);
                assertEquals(0.0, r.get(0).score(), 0.05); // two-level LVQ-8x8 re-rank: near exact
            }
        }
    }

    @Test
    void searchesRunWhileAddsGrowTheCodes() throws Exception {
        float[][] vs = TestData.random(6000, 16, 23);
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("conc")).dimension(16).metric(Metric.L2)
                .spec("hnsw:M=8,efc=32,quant=lvq4x4").threads(1).create()) {
            addAll(index, java.util.Arrays.copyOf(vs, 200), 0);
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread reader = new Thread(() -> {
                int q = 0;
                while (!done.get()) {
                    try {
                        float[] query = vs[q++ % 200];
                        SearchResult r = index.search(SearchRequest.of(query, 5));
                        long rows = index.rows();
                        for (SearchHit h : r.hits()) {
                            if (h.id() < 0 || h.id() >= rows) throw new AssertionError("hit " + h.id() + " of " + rows + " rows");
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        return;
                    }
                }
            });
            reader.start();
            for (int first = 200; first < vs.length; first += 350) { // many small batches: the code segments move several times
                int n = Math.min(350, vs.length - first);
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) ids[i] = first + i;
                index.add(ids, java.util.Arrays.copyOfRange(vs, first, first + n));
            }
            done.set(true);
            reader.join();
            assertNull(failure.get(), () -> "search failed during adds: " + failure.get());
            for (int i = 0; i < vs.length; i += 97) {
                assertEquals(i, index.search(SearchRequest.of(vs[i], 1).withEfSearch(64)).get(0).id(), "vector " + i);
            }
        }
    }

    @Test
    void aCodeFileOfAnotherMethodOrDimensionIsRefused() throws IOException {
        Path a = build("a", "flat:quant=lvq8", 32);
        Path b = build("b", "flat:quant=sq8", 32);
        Path c = build("c", "flat:quant=lvq8", 48);
        // Other method: B's code file in A's place, the manifest's size and checksum updated to match it.
        substituteCodes(a, b);
        IOException e = assertThrows(IOException.class, () -> PanavecIndex.open(a));
        assertTrue(e.getMessage().contains("holds sq8 codes, expected lvq8"), e.getMessage());
        Path a2 = build("a2", "flat:quant=lvq8", 32);
        substituteCodes(a2, c);
        e = assertThrows(IOException.class, () -> PanavecIndex.open(a2));
        assertTrue(e.getMessage().contains("dimension 48, expected 32"), e.getMessage());
        // A flipped byte without the manifest knowing: refused by the manifest checksum.
        Path a3 = build("a3", "flat:quant=lvq8", 32);
        Path codes = a3.resolve(Manifest.read(a3).require(ManifestKey.CODES.file()));
        byte[] bytes = Files.readAllBytes(codes);
        bytes[bytes.length - 20] ^= 1;
        Files.write(codes, bytes);
        e = assertThrows(IOException.class, () -> PanavecIndex.open(a3));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    private Path build(String name, String spec, int dim) throws IOException {
        Path dir = tmp.resolve(name);
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(dim).metric(Metric.L2).spec(spec).create()) {
            addAll(index, TestData.random(100, dim, dim), 0);
            index.commit();
        }
        return dir;
    }

    private static void substituteCodes(Path into, Path from) throws IOException {
        Manifest m = Manifest.read(into);
        Path target = into.resolve(m.require(ManifestKey.CODES.file()));
        Files.copy(from.resolve(Manifest.read(from).require(ManifestKey.CODES.file())), target, StandardCopyOption.REPLACE_EXISTING);
        m.with(ManifestKey.CODES.bytes(), Files.size(target))
                .with(ManifestKey.CODES.checksum(), CheckedFile.checksum(target)).write(into);
    }
}
