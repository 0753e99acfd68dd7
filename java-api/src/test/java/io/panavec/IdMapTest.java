package io.panavec;

import io.panavec.internal.IdMap;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;

import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The persisted id map (Chronicle Map) of PanavecIndex: ids to rows and attribute records after reopen,
 * after growth past its first capacity, and rebuilt when it is missing, corrupt or behind. The oracle is
 * a plain HashMap of what was added. (The kill -9 case is in CrashDuringCommitTest.)
 */
class IdMapTest {
    private static final int DIM = 8;
    private static final Schema SCHEMA = Schema.builder().add("tag", AttributeType.KEYWORD).add("n", AttributeType.INT).build();

    @TempDir
    Path tmp;

    /** id of row r: spread out, negative ones included; every 10th row repeats an earlier id. */
    private static long idOf(int r) {
        return r % 10 == 9 ? (r - 5) * 7919L - 40_000 : r * 7919L - 40_000;
    }

    private static Map<String, Object> attrsOf(int r) {
        return Map.of("tag", "t" + (r % 13), "n", (long) r);
    }

    /** Adds rows [from, to) in one batch and records the expected latest row of each id. */
    private static void addRows(PanavecIndex index, int from, int to, Map<Long, Integer> latest) {
        long[] ids = new long[to - from];
        float[][] vs = TestData.random(to - from, DIM, from);
        List<Map<String, Object>> attrs = new ArrayList<>();
        for (int r = from; r < to; r++) {
            ids[r - from] = idOf(r);
            attrs.add(attrsOf(r));
            latest.put(idOf(r), r);
        }
        index.add(ids, vs, attrs);
    }

    private static void assertMapping(PanavecIndex index, Map<Long, Integer> latest, java.util.Set<Long> deletedIds) {
        for (Map.Entry<Long, Integer> e : latest.entrySet()) {
            long id = e.getKey();
            if (deletedIds.contains(id)) {
                assertEquals(OptionalLong.empty(), index.rowOf(id), "deleted id " + id);
                assertEquals(Optional.empty(), index.attributesOf(id));
                continue;
            }
            assertEquals(OptionalLong.of(e.getValue()), index.rowOf(id), "id " + id);
            assertEquals(Optional.of(attrsOf(e.getValue())), index.attributesOf(id), "attributes of id " + id);
        }
        assertEquals(OptionalLong.empty(), index.rowOf(123_456_789L), "unknown id");
    }

    private static List<String> mapFiles(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "ids-*.cmap")) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }

    @Test
    void idsMapToRowsAndRecordsAcrossGrowthDeletesAndReopen() throws IOException {
        Path dir = tmp.resolve("idx");
        Map<Long, Integer> latest = new HashMap<>();
        java.util.Set<Long> deletedIds = new java.util.HashSet<>();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("flat").schema(SCHEMA).create()) {
            for (int from = 0; from < 2600; from += 650) addRows(index, from, from + 650, latest); // past the first capacity (1024)
            assertMapping(index, latest, deletedIds);
            long dupId = idOf(19); // rows 14 and 19 share it: the latest (19) is the one deleted
            assertEquals(idOf(14), dupId);
            assertTrue(index.delete(dupId));
            assertFalse(index.delete(dupId), "already deleted");
            assertFalse(index.delete(123_456_789L), "unknown id");
            deletedIds.add(dupId);
            assertTrue(index.delete(idOf(100)));
            deletedIds.add(idOf(100));
            assertMapping(index, latest, deletedIds);
            index.commit();
            assertEquals(1, mapFiles(dir).size(), "the outgrown map file is removed at commit: " + mapFiles(dir));
            addRows(index, 2600, 2700, latest); // after the commit: caught up on open
        }
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertMapping(index, latest, deletedIds);
            // Search hits and rowOf agree.
            SearchResult r = index.search(SearchRequest.of(TestData.random(1, DIM, 2600)[0], 1));
            assertEquals(OptionalLong.of(r.get(0).row()), index.rowOf(r.get(0).id()));
        }
    }

    /**
     * Opening an index whose map the last commit named reads the store's ids only for the consistency
     * probe and the rows committed after that commit: O(1), not a rebuild (which reads every row and
     * writes a new map file).
     */
    @Test
    void openOfACommittedIndexDoesNotRebuildTheMap() throws IOException {
        Path dir = tmp.resolve("o1");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("flat").threads(1).create()) {
            float[][] v = TestData.random(3000, DIM, 4);
            long[] ids = new long[v.length];
            for (int i = 0; i < ids.length; i++) ids[i] = 10_000 + i;
            index.add(ids, v);
            index.commit();
        }
        java.util.Properties manifest = new java.util.Properties();
        try (var in = Files.newInputStream(dir.resolve("manifest.properties"))) {
            manifest.load(in);
        }
        String file = manifest.getProperty("ids.file");
        long covered = Long.parseLong(manifest.getProperty("ids.rows"));
        assertEquals(3000, covered);
        for (int round = 0; round < 2; round++) {
            try (io.panavec.store.VectorStore store = io.panavec.store.VectorStore.openReadOnly(dir.resolve("vectors.pvs"))) {
                java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
                IdMap.Source source = new IdMap.Source(store.size(), r -> {
                    reads.incrementAndGet();
                    return store.externalId(r);
                }, r -> new byte[0]);
                try (IdMap m = IdMap.open(dir, file, covered, source, 8)) {
                    assertEquals(file, m.fileName(), "the named map is kept");
                    assertEquals(3000, m.size());
                    assertEquals(2999, m.rowOf(12_999));
                }
                assertTrue(reads.get() <= 2, "open read " + reads.get() + " ids of the store: a rebuild");
            }
            try (var files = Files.list(dir)) {
                assertEquals(List.of(file), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cmap")).toList());
            }
        }
    }

    @Test
    void missingCorruptOrStaleMapIsRebuiltFromTheDurableData() throws IOException {
        Path dir = tmp.resolve("idx");
        Map<Long, Integer> latest = new HashMap<>();
        Path saved = tmp.resolve("saved.cmap");
        String name;
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("flat").schema(SCHEMA).create()) {
            addRows(index, 0, 300, latest);
            index.commit();
            name = Manifest.read(dir).require(ManifestKey.IDS_FILE);
        }
        Files.copy(dir.resolve(name), saved);
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            addRows(index, 300, 500, latest);
            index.commit();
            assertEquals(name, Manifest.read(dir).require(ManifestKey.IDS_FILE), "no growth expected at 500 rows");
        }
        // Behind: the map of 300 rows under the name the manifest gives for 500.
        Files.copy(saved, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertMapping(index, latest, java.util.Set.of());
        }
        // Corrupt: zeroed (Chronicle Map alone would wait a minute for its header), then a torn config text.
        Files.write(dir.resolve(name), new byte[4096]);
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertMapping(index, latest, java.util.Set.of());
        }
        byte[] head = Files.readAllBytes(dir.resolve(name));
        java.util.Arrays.fill(head, 40, head.length, (byte) 0x5A);
        Files.write(dir.resolve(name), head);
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertMapping(index, latest, java.util.Set.of());
        }
        // Missing.
        Files.delete(dir.resolve(name));
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertMapping(index, latest, java.util.Set.of());
            assertTrue(index.delete(idOf(3)));
            index.commit();
        }
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertMapping(index, latest, java.util.Set.of(idOf(3)));
        }
    }

    @Test
    void indexWithoutSchemaMapsIdsToRowsWithEmptyAttributes() throws IOException {
        Path dir = tmp.resolve("idx");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("hnsw:M=8,efc=32").threads(1).create()) {
            index.add(new long[] {5, 6, 7}, TestData.random(3, DIM, 1));
            index.commit();
        }
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertEquals(OptionalLong.of(1), index.rowOf(6));
            assertEquals(Optional.of(Map.of()), index.attributesOf(7));
            assertTrue(index.delete(6));
            assertEquals(OptionalLong.empty(), index.rowOf(6));
        }
    }

    @Test
    void lookupsRunWhileAddsGrowTheMap() throws Exception {
        Path dir = tmp.resolve("idx");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("flat").schema(SCHEMA).create()) {
            Map<Long, Integer> latest = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread reader = new Thread(() -> {
                java.util.Random rnd = new java.util.Random(3);
                try {
                    while (added.get() < 4000) {
                        int have = added.get();
                        if (have == 0) continue;
                        int r = rnd.nextInt(have);
                        long id = r * 7919L + 1;
                        OptionalLong row = index.rowOf(id);
                        if (row.isEmpty() || row.getAsLong() != r) {
                            throw new AssertionError("id " + id + " of added row " + r + " mapped to " + row);
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            for (int from = 0; from < 4000; from += 200) { // through capacities 1024, 2048, 4096
                long[] ids = new long[200];
                for (int i = 0; i < 200; i++) ids[i] = (from + i) * 7919L + 1;
                index.add(ids, TestData.random(200, DIM, from));
                added.set(from + 200);
            }
            reader.join(60_000);
            assertFalse(reader.isAlive());
            assertNull(failure.get(), () -> "reader failed: " + failure.get());
            assertEquals(OptionalLong.of(3999), index.rowOf(3999 * 7919L + 1));
        }
    }
}
