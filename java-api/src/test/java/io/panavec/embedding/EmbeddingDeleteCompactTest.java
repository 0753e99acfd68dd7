package io.panavec.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upserts, deletes, commits, reopens, compactions and read-only opens in a seeded random order, long and string
 * keys, against a heap {@code HashMap<key, float[]>}: after every step each key ever drawn reads as the model says
 * (its latest vector through the codec's scalar decoder, or zeros once deleted), {@code size()} is the model's,
 * and a compaction leaves exactly one stored row per live key.
 */
class EmbeddingDeleteCompactTest {
    private static final int DIM = 24, KEYS = 300;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"LONG, f32, 1", "STRING, f32, 2", "LONG, int8, 3", "STRING, lvq8, 4"})
    void randomHistoryMatchesTheHeapModel(KeyType keys, String encoding, long seed) throws Exception {
        Random r = new Random(seed);
        Path dir = tmp.resolve(keys + "-" + encoding);
        Map<Long, float[]> model = new HashMap<>();
        EmbeddingTable t = EmbeddingTable.builder(dir).dimension(DIM).encoding(encoding).keys(keys).rowsPerChunk(16).create();
        try {
            for (int step = 0; step < 120; step++) {
                int op = r.nextInt(20);
                String what = "step " + step + " op " + op;
                if (op < 10) {
                    int n = 1 + r.nextInt(25);
                    long[] k = new long[n];
                    float[][] v = new float[n][];
                    for (int i = 0; i < n; i++) {
                        k[i] = r.nextInt(KEYS) - 50L;
                        v[i] = TableOracle.gaussian(r, DIM, 0.2f);
                    }
                    if (keys == KeyType.LONG) t.putAll(k, v); else t.putAll(strings(k), v);
                    for (int i = 0; i < n; i++) model.put(k[i], v[i]);
                } else if (op < 15) {
                    int n = 1 + r.nextInt(15);
                    long[] k = new long[n];
                    for (int i = 0; i < n; i++) k[i] = r.nextInt(KEYS + 20) - 50L; // some never put
                    int expected = (int) java.util.Arrays.stream(k).distinct().filter(model::containsKey).count();
                    int deleted = keys == KeyType.LONG ? t.delete(k) : t.delete(strings(k));
                    assertEquals(expected, deleted, what + ": keys deleted");
                    for (long key : k) model.remove(key);
                } else if (op < 16) {
                    t.commit();
                } else if (op < 18) {
                    t.close();
                    t = EmbeddingTable.open(dir);
                } else if (op < 19) {
                    long dropped = t.compact();
                    assertEquals(model.size(), t.storedRows(), what + ": rows after compaction");
                    assertTrue(dropped >= 0, what);
                } else {
                    try (EmbeddingTable ro = EmbeddingTable.openReadOnly(dir)) {
                        check(ro, model, what + " (read-only beside the writer)");
                        assertThrows(IllegalStateException.class, () -> {
                            if (keys == KeyType.LONG) ro.delete(1L); else ro.delete("k1");
                        });
                    }
                }
                check(t, model, what);
            }
        } finally {
            t.close();
        }
        try (EmbeddingTable ro = EmbeddingTable.openReadOnly(dir)) {
            check(ro, model, "read-only after close");
        }
    }

    @Test
    void compactionRemovesTheReplacedFilesAndKeepsTheCodec() throws Exception {
        Path dir = tmp.resolve("files");
        Random r = new Random(9);
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(DIM).encoding("lvq4").keys(KeyType.STRING).create()) {
            for (int b = 0; b < 3; b++) {
                long[] k = new long[50];
                float[][] v = new float[50][];
                for (int i = 0; i < 50; i++) {
                    k[i] = i + 10L * b;
                    v[i] = TableOracle.gaussian(r, DIM, 1f);
                }
                t.putAll(strings(k), v);
            }
            t.delete("k3", "k4");
            t.commit();
            assertEquals(150 - 68, t.compact()); // 150 rows, keys k0..k69 less two deleted
            assertEquals(68, t.size());
            assertEquals(68, t.storedRows());
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertTrue(names.stream().noneMatch(n -> n.equals("vectors.pvs") || n.equals("keys.log")), "old store and key log removed: " + names);
        assertEquals(1, names.stream().filter(n -> n.startsWith("vocab-")).count(), names.toString());
        assertEquals(1, names.stream().filter(n -> n.startsWith("deletes-")).count(), names.toString());
        assertEquals(1, names.stream().filter(n -> n.startsWith("vectors-")).count(), names.toString());
        try (EmbeddingTable t = EmbeddingTable.open(dir)) {
            assertEquals(68, t.size());
            assertTrue(!t.contains("k3") && t.contains("k5"));
        }
    }

    /**
     * The documented way to serve look-ups while the writer compacts (the writer's own look-ups wait for the whole
     * compaction): a read-only instance opened before it keeps reading the generation it opened, whole, after the
     * writer has switched generations and removed the old files; reopened, it reads the compacted one.
     */
    @Test
    void aReadOnlyInstanceServesItsGenerationThroughTheWritersCompaction() throws Exception {
        Path dir = tmp.resolve("serving");
        Random r = new Random(21);
        Map<Long, float[]> model = new HashMap<>();
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(DIM).rowsPerChunk(16).create()) {
            long[] k = new long[200];
            float[][] v = new float[200][];
            for (int i = 0; i < 200; i++) {
                k[i] = i;
                v[i] = TableOracle.gaussian(r, DIM, 1f);
                model.put(k[i], v[i]);
            }
            t.putAll(k, v);
            t.commit();
            try (EmbeddingTable ro = EmbeddingTable.openReadOnly(dir)) {
                t.delete(java.util.stream.LongStream.range(0, 100).toArray());
                assertEquals(100, t.compact());
                float[][] seen = ro.lookup(k);
                for (int i = 0; i < 200; i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(model.get(k[i]), seen[i], "read-only, key " + i);
                }
            }
            try (EmbeddingTable ro = EmbeddingTable.openReadOnly(dir)) {
                float[][] seen = ro.lookup(k);
                for (int i = 0; i < 200; i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(i < 100 ? new float[DIM] : model.get(k[i]), seen[i], "reopened, key " + i);
                }
            }
        }
    }

    @Test
    void aSecondWriterIsRefusedAReaderIsNot() throws Exception {
        Path dir = tmp.resolve("lock");
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(DIM).create()) {
            t.put(1L, new float[DIM]);
            assertThrows(io.panavec.store.StoreLockedException.class, () -> EmbeddingTable.open(dir));
            try (EmbeddingTable ro = EmbeddingTable.openReadOnly(dir)) {
                assertEquals(1, ro.size());
                assertThrows(IllegalStateException.class, () -> ro.put(2L, new float[DIM]));
                assertThrows(IllegalStateException.class, ro::compact);
                assertThrows(IllegalStateException.class, ro::commit);
            }
        }
    }

    @Test
    void aTableOfTheChronicleMapVocabularyIsConvertedOnItsFirstWritableOpen() throws Exception {
        Path dir = tmp.resolve("legacy");
        Random r = new Random(4);
        Map<Long, float[]> model = new HashMap<>();
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(DIM).keys(KeyType.STRING).create()) {
            for (int b = 0; b < 2; b++) {
                long[] k = new long[40];
                float[][] v = new float[40][];
                for (int i = 0; i < 40; i++) {
                    k[i] = r.nextInt(60);
                    v[i] = TableOracle.gaussian(r, DIM, 0f);
                    model.put(k[i], v[i]);
                }
                t.putAll(strings(k), v);
            }
        }
        // The manifest as the builds before the off-heap vocabulary wrote it (unsealed: no index identity then either).
        Path manifest = dir.resolve("manifest.properties");
        Files.writeString(manifest, Files.readString(manifest).replaceAll("(?m)^(manifest\\.crc32c|table\\.deletes\\.log|vocab\\.[a-z]+|table\\.vocab\\.rows)=.*\\R", "")
                .replace("table.store.file=", "store.file=") + "ids.file=ids-0.cmap\nids.rows=80\n");
        Files.writeString(dir.resolve("ids-0.cmap"), "a Chronicle Map file");
        try (EmbeddingTable ro = EmbeddingTable.openReadOnly(dir)) {
            check(ro, model, "legacy, read-only");
        }
        try (EmbeddingTable t = EmbeddingTable.open(dir)) {
            check(t, model, "legacy, converted");
            t.delete("k" + model.keySet().iterator().next());
        }
        model.remove(model.keySet().iterator().next());
        assertTrue(!Files.exists(dir.resolve("ids-0.cmap")), "the Chronicle Map file is removed");
        try (EmbeddingTable t = EmbeddingTable.open(dir)) {
            check(t, model, "converted, reopened");
        }
    }

    private static String[] strings(long[] k) {
        String[] s = new String[k.length];
        for (int i = 0; i < k.length; i++) s[i] = "k" + k[i];
        return s;
    }

    private static void check(EmbeddingTable t, Map<Long, float[]> model, String what) {
        assertEquals(model.size(), t.size(), what + ": size");
        long[] all = new long[KEYS + 20];
        for (int i = 0; i < all.length; i++) all[i] = i - 50L;
        float[][] got = t.keyType() == KeyType.LONG ? t.lookup(all) : t.lookup(strings(all));
        for (int i = 0; i < all.length; i++) {
            TableOracle.check(t.codec(), model.get(all[i]), got[i], what + ", key " + all[i]);
            boolean has = t.keyType() == KeyType.LONG ? t.contains(all[i]) : t.contains("k" + all[i]);
            assertEquals(model.containsKey(all[i]), has, what + ", contains " + all[i]);
        }
    }
}
