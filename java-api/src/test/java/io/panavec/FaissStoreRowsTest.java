package io.panavec;

import io.panavec.bindings.panavec_h;
import io.panavec.faiss.FaissIndex;
import io.panavec.internal.NativeMetric;
import io.panavec.persist.CheckedFile;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.VectorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FAISS flat and HNSW-flat specs read the store's rows in place (issue 13, item 6): one copy of each vector on
 * disk and in RAM. Checked against brute force over a heap model of the history (upserts, deletes, commit,
 * reopen): never a replaced, deleted or duplicate id, min(k, live) hits, Flat exact and HNSW at high recall;
 * the commit writes a links file and no FAISS vector file; the library's native heap grows by the links alone
 * (the own-copy FAISS index of the same rows grows by more than the vectors); an index written before (a whole
 * FAISS file) still opens, answers, takes upserts and commits; a links file of another index is refused.
 */
class FaissStoreRowsTest {
    static final int DIM = 16, K = 10;

    @TempDir
    Path tmp;

    static long[] ids(int from, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = from + i;
        return out;
    }

    /** The model's live vectors (id order). */
    record Model(Map<Long, float[]> live) {
        Model() {
            this(new TreeMap<>());
        }

        void add(long[] ids, float[][] v) {
            for (int i = 0; i < ids.length; i++) live.put(ids[i], v[i]);
        }
    }

    /** Hits for q checked against brute force over the model: the k guarantee, no dead or duplicate id; returns recall@k. */
    static double check(PanavecIndex index, Model model, Metric metric, float[] q, boolean exact) {
        SearchResult r = index.search(SearchRequest.of(q, K).withEfSearch(64));
        List<Long> order = new ArrayList<>(model.live().keySet());
        float[][] base = new float[order.size()][];
        for (int i = 0; i < base.length; i++) base[i] = model.live().get(order.get(i));
        int[] truth = TestData.topK(metric, base, q, K);
        assertEquals(Math.min(K, base.length), r.hits().size(), "min(k, live) hits");
        Set<Long> seen = new HashSet<>();
        for (SearchHit h : r.hits()) {
            assertTrue(model.live().containsKey(h.id()), "hit " + h.id() + " is not live");
            assertTrue(seen.add(h.id()), "id " + h.id() + " twice");
        }
        Set<Long> want = new HashSet<>();
        for (int t : truth) want.add(order.get(t));
        double kth = TestData.score(metric, base[truth[truth.length - 1]], q);
        int found = 0;
        for (SearchHit h : r.hits()) {
            double s = TestData.score(metric, model.live().get(h.id()), q);
            if (want.contains(h.id()) || Math.abs(s - kth) < 1e-5) found++; // a tie with the k-th counts
        }
        if (exact) assertEquals(r.hits().size(), found, "an exact spec misses a true neighbour");
        return (double) found / r.hits().size();
    }

    static double checkAll(PanavecIndex index, Model model, Metric metric, float[][] queries, boolean exact) {
        double sum = 0;
        for (float[] q : queries) sum += check(index, model, metric, q, exact);
        return sum / queries.length;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"faiss:Flat|L2", "faiss:Flat|INNER_PRODUCT", "faiss:HNSW8,Flat|L2", "faiss:HNSW16|COSINE",
            "faiss:HNSW12,Flat,efc=64|INNER_PRODUCT", "faiss:IDMap,HNSW8,Flat|L2", "faiss:IDMap2,Flat|COSINE"})
    void upsertsDeletesCommitAndReopenAgreeWithBruteForce(String spec, Metric metric) throws Exception {
        boolean exact = spec.endsWith(",Flat") && !spec.contains("HNSW") || spec.equals("faiss:Flat");
        float[][] first = TestData.random(500, DIM, 1);
        float[][] second = TestData.random(300, DIM, 2);
        float[][] queries = TestData.random(25, DIM, 3);
        if (metric == Metric.COSINE) { // stored normalized: the model scores what the index ranks
            first = unit(first);
            second = unit(second);
        }
        Path dir = tmp.resolve("i");
        Model model = new Model();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(metric).spec(spec).threads(2).create()) {
            index.add(ids(0, 500), first);
            model.add(ids(0, 500), first);
            index.commit();
            long[] upserts = ids(250, 300); // 250..499 replaced, 500..549 new
            index.add(upserts, second);
            model.add(upserts, second);
            for (long id : new long[] {3, 260, 520, 7}) {
                index.delete(id);
                model.live().remove(id);
            }
            assertTrue(checkAll(index, model, metric, queries, exact) >= 0.9, "recall before commit");
            index.commit();
        }
        Manifest m = Manifest.read(dir);
        assertTrue(m.has(ManifestKey.FAISS_LINKS), "a links file");
        assertFalse(m.has(ManifestKey.FAISS), "no FAISS vector file");
        if (exact) {
            long links = Files.size(dir.resolve(m.require(ManifestKey.FAISS_LINKS.file())));
            assertTrue(links < 100, "a flat index persists a header alone: " + links + " bytes");
        }
        try (PanavecIndex index = PanavecIndex.open(dir, 2)) {
            assertTrue(checkAll(index, model, metric, queries, exact) >= 0.9, "recall after reopen");
            float[][] third = TestData.random(40, DIM, 4);
            if (metric == Metric.COSINE) third = unit(third);
            index.add(ids(530, 40), third); // upserts across the committed and the new rows
            model.add(ids(530, 40), third);
            index.delete(100);
            model.live().remove(100L);
            assertTrue(checkAll(index, model, metric, queries, exact) >= 0.9, "recall after more upserts");
            index.compact();
            index.commit();
        }
        try (PanavecIndex index = PanavecIndex.openReadOnly(dir)) {
            assertTrue(checkAll(index, model, metric, queries, exact) >= 0.9, "recall read-only after compaction");
        }
    }

    static float[][] unit(float[][] v) {
        float[][] out = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            double n = 0;
            for (float f : v[i]) n += (double) f * f;
            out[i] = new float[v[i].length];
            for (int j = 0; j < v[i].length; j++) out[i][j] = (float) (v[i][j] / Math.sqrt(n));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"faiss:IDMap,IVF4,Flat|true", "faiss:HNSW8,SQfp16|true"})
    void factoriesWithTheirOwnVectorsStillWriteTheWholeFaissFile(String spec, boolean train) throws Exception {
        float[][] base = TestData.random(300, DIM, 51);
        float[][] queries = TestData.random(10, DIM, 52);
        Path dir = tmp.resolve("own");
        Model model = new Model();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec(spec).threads(1).create()) {
            if (train) index.train(base);
            index.add(ids(0, 300), base); // an id map is given the store rows as ids
            model.add(ids(0, 300), base);
            index.commit();
        }
        assertTrue(Manifest.read(dir).has(ManifestKey.FAISS));
        assertFalse(Manifest.read(dir).has(ManifestKey.FAISS_LINKS));
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            for (float[] q : queries) {
                SearchResult r = index.search(SearchRequest.of(q, K).withNprobe(4).withEfSearch(64));
                assertEquals(K, r.hits().size());
                for (SearchHit h : r.hits()) assertTrue(model.live().containsKey(h.id()));
            }
        }
    }

    @Test
    void theNativeHeapAndTheFileHoldTheLinksNotASecondCopyOfTheRows() throws Exception {
        int dim = 128, n = 3000;
        float[][] base = TestData.random(n, dim, 11);
        long vectorBytes = (long) n * dim * 4;
        long before = panavec_h.pv_alloc_live_bytes();
        Path dir = tmp.resolve("ram");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(dim).metric(Metric.L2).spec("faiss:HNSW16,Flat")
                .threads(1).create()) {
            index.add(ids(0, n), base);
            long grown = panavec_h.pv_alloc_live_bytes() - before;
            assertTrue(grown < vectorBytes / 2, "native heap grew by " + grown + " bytes for " + vectorBytes + " bytes of rows");
            index.commit();
        }
        long links = Files.size(dir.resolve(Manifest.read(dir).require(ManifestKey.FAISS_LINKS.file())));
        assertTrue(links < vectorBytes / 2, "links file of " + links + " bytes for " + vectorBytes + " bytes of rows");
        try (FaissIndex own = FaissIndex.create(dim, "HNSW16,Flat", NativeMetric.L2)) { // the old way: FAISS's own copy
            long at = panavec_h.pv_alloc_live_bytes();
            own.add(base);
            assertTrue(panavec_h.pv_alloc_live_bytes() - at > vectorBytes, "the control: FAISS's own copy is on its heap");
        }
    }

    /**
     * An index as 0.1 wrote a FAISS spec (the whole FAISS file, vectors included, under {@code faiss.*}): made
     * here from a new one by writing FAISS's own index of the same rows and rewriting the manifest, as the old
     * commit did.
     */
    static void rewriteAsWholeFaissFile(Path dir, String factory, NativeMetric metric, int dim) throws IOException {
        Manifest m = Manifest.read(dir);
        try (VectorStore store = VectorStore.openReadOnly(dir.resolve(m.require(ManifestKey.STORE_FILE)));
             FaissIndex own = FaissIndex.create(dim, factory, metric)) {
            long rows = m.require(ManifestKey.ROWS);
            float[][] v = new float[(int) rows][];
            for (int r = 0; r < rows; r++) v[r] = store.rowAsFloats(r);
            own.add(v);
            CheckedFile.Stamp stamp = CheckedFile.write(dir, String.format("faiss-%06d.index", m.require(ManifestKey.GENERATION)), own::save);
            Files.delete(dir.resolve(m.require(ManifestKey.FAISS_LINKS.file())));
            m.without(ManifestKey.FAISS_LINKS).with(ManifestKey.FAISS, stamp).write(dir);
        }
    }

    @Test
    void anIndexWithAWholeFaissFileStillOpensTakesWritesAndCommits() throws Exception {
        float[][] base = TestData.random(400, DIM, 21);
        float[][] queries = TestData.random(20, DIM, 22);
        Path dir = tmp.resolve("old");
        Model model = new Model();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("faiss:HNSW8,Flat").threads(1).create()) {
            index.add(ids(0, 400), base);
            model.add(ids(0, 400), base);
            index.delete(5);
            model.live().remove(5L);
            index.commit();
        }
        rewriteAsWholeFaissFile(dir, "HNSW8,Flat", NativeMetric.L2, DIM);
        assertTrue(Manifest.read(dir).has(ManifestKey.FAISS));
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertTrue(checkAll(index, model, Metric.L2, queries, false) >= 0.9);
            float[][] more = TestData.random(60, DIM, 23);
            index.add(ids(380, 60), more);
            model.add(ids(380, 60), more);
            assertTrue(checkAll(index, model, Metric.L2, queries, false) >= 0.9);
            index.commit();
        }
        assertTrue(Manifest.read(dir).has(ManifestKey.FAISS), "an old index keeps its own format");
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertTrue(checkAll(index, model, Metric.L2, queries, false) >= 0.9);
        }
    }

    @Test
    void aLinksFileOfAnotherIndexOrDamagedPastItsChecksumIsRefused() throws Exception {
        Path small = tmp.resolve("small");
        Path large = tmp.resolve("large");
        for (Path dir : List.of(small, large)) {
            try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("faiss:HNSW8,Flat").threads(1).create()) {
                index.add(ids(0, dir == small ? 100 : 300), TestData.random(dir == small ? 100 : 300, DIM, 31));
                index.commit();
            }
        }
        Manifest m = Manifest.read(small);
        Path mine = small.resolve(m.require(ManifestKey.FAISS_LINKS.file()));
        Path theirs = large.resolve(Manifest.read(large).require(ManifestKey.FAISS_LINKS.file()));
        byte[] original = Files.readAllBytes(mine);
        // another index's links, checksum re-recorded: more rows than the store holds
        Files.copy(theirs, mine, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        reseal(small, m, mine);
        IOException e = assertThrows(IOException.class, () -> PanavecIndex.open(small, 1));
        assertTrue(e.getMessage().contains(mine.getFileName().toString()), e.getMessage());
        // a neighbour id out of range, checksum re-recorded
        byte[] bad = original.clone();
        for (int i = bad.length - 4; i < bad.length; i++) bad[i] = 0x7f;
        Files.write(mine, bad);
        reseal(small, m, mine);
        e = assertThrows(IOException.class, () -> PanavecIndex.open(small, 1));
        assertTrue(e.getMessage().contains("neighbour"), e.getMessage());
        // truncated, checksum re-recorded
        Files.write(mine, java.util.Arrays.copyOf(original, original.length - 9));
        reseal(small, m, mine);
        assertThrows(IOException.class, () -> PanavecIndex.open(small, 1));
        // the original bytes with the original stamp open again
        Files.write(mine, original);
        reseal(small, m, mine);
        try (PanavecIndex index = PanavecIndex.open(small, 1)) {
            assertEquals(K, index.search(SearchRequest.of(new float[DIM], K)).hits().size());
        }
    }

    private static void reseal(Path dir, Manifest m, Path file) throws IOException {
        m.with(ManifestKey.FAISS_LINKS, new CheckedFile.Stamp(file.getFileName().toString(), Files.size(file), CheckedFile.checksum(file)))
                .write(dir);
    }

    @Test
    void searchesBesideAnAddingWriterSeeOnlyLiveDistinctRows() throws Exception {
        float[][] base = TestData.random(2400, DIM, 41);
        try (PanavecIndex index = PanavecIndex.builder(tmp.resolve("c")).dimension(DIM).metric(Metric.L2).spec("faiss:HNSW8,Flat")
                .threads(1).create()) {
            index.add(ids(0, 200), java.util.Arrays.copyOf(base, 200));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int b = 1; b < 12; b++) {
                        index.add(ids(b * 200, 200), java.util.Arrays.copyOfRange(base, b * 200, b * 200 + 200));
                        index.add(ids(b * 7, 1), new float[][] {base[b * 7]}); // an upsert of an early id
                        if (b % 4 == 0) index.commit();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            float[][] queries = TestData.random(40, DIM, 42);
            int searches = 0;
            while (writer.isAlive() || searches < 200) {
                SearchResult r = index.search(SearchRequest.of(queries[searches % queries.length], K));
                Set<Long> seen = new HashSet<>();
                for (SearchHit h : r.hits()) {
                    assertTrue(h.id() >= 0 && h.id() < 2400, "id " + h.id());
                    assertTrue(seen.add(h.id()), "id " + h.id() + " twice");
                }
                assertEquals(K, r.hits().size());
                searches++;
            }
            writer.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
        }
    }
}
