package io.panavec.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Residency#HUGE_PAGES}: a read-only table serving its rows from its own copy reads back what the heap model
 * holds (through the codec's scalar decoder, within its bound) and exactly what the same table read from its mapping
 * gives, for plain and pooled look-ups of every row encoding over many chunks; it stays a snapshot while the writer
 * upserts; its memory is released at close (no growth over many open/close rounds); concurrent readers agree.
 */
class EmbeddingResidencyTest {
    @TempDir
    Path tmp;

    /** A table of {@code keys} keys 0..keys-1 (each put twice: the first rows are dead), rows over chunks of 8. */
    private static TableOracle<Long> build(Path dir, RowEncoding encoding, int dim, int keys, Random r) throws Exception {
        TableOracle<Long> model = new TableOracle<>(null);
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(dim).encoding(encoding).rowsPerChunk(8).create()) {
            for (int round = 0; round < 2; round++) {
                long[] k = new long[keys];
                float[][] vs = new float[keys][];
                for (int i = 0; i < keys; i++) {
                    k[i] = i;
                    vs[i] = TableOracle.gaussian(r, dim, 0.25f);
                    model.put(k[i], vs[i]);
                }
                t.putAll(k, vs);
            }
            t.commit();
        }
        return model;
    }

    @ParameterizedTest
    @EnumSource(RowEncoding.class)
    void residentRowsReadAsTheModelAndAsTheMapping(RowEncoding encoding) throws Exception {
        int dim = 37 + encoding.ordinal() * 9;
        Random r = new Random(41 + encoding.ordinal());
        Path dir = tmp.resolve(encoding.spec());
        TableOracle<Long> model = build(dir, encoding, dim, 61, r);
        try (EmbeddingTable mapped = EmbeddingTable.openReadOnly(dir);
             EmbeddingTable resident = EmbeddingTable.openReadOnly(dir, Residency.HUGE_PAGES);
             Arena a = Arena.ofConfined()) {
            assertEquals(Residency.MAPPED, mapped.residency());
            assertEquals(0, mapped.residentBytes());
            assertEquals(Residency.HUGE_PAGES, resident.residency());
            assertTrue(resident.residentBytes() > resident.storedRows() * resident.codec().rowBytes(), "a copy of every stored row and of the vocabulary");
            List<Long> keys = new ArrayList<>(model.vectors.keySet());
            for (int i = 0; i < 7; i++) keys.add(500L + i); // unknown: zeros
            java.util.Collections.shuffle(keys, r);
            long[] k = keys.stream().mapToLong(Long::longValue).toArray();
            MemorySegment got = a.allocate((long) k.length * dim * Float.BYTES, 64);
            MemorySegment want = a.allocate((long) k.length * dim * Float.BYTES, 64);
            resident.lookup(k, got);
            mapped.lookup(k, want);
            for (int i = 0; i < k.length; i++) {
                float[] v = got.asSlice((long) i * dim * Float.BYTES, (long) dim * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
                TableOracle.check(resident.codec(), model.vectors.get(k[i]), v, encoding + " key " + k[i]);
            }
            assertArrayEquals(want.toArray(ValueLayout.JAVA_FLOAT), got.toArray(ValueLayout.JAVA_FLOAT), "resident and mapped agree bit for bit");
            int[] offsets = {0, 0, 3, 10, 11, k.length - 5}; // an empty bag first
            for (Pooling pool : Pooling.values()) {
                float[][] bagsResident = resident.lookupBags(k, offsets, pool);
                float[][] bagsMapped = mapped.lookupBags(k, offsets, pool);
                for (int b = 0; b < offsets.length; b++) assertArrayEquals(bagsMapped[b], bagsResident[b], pool + " bag " + b);
            }
        }
    }

    @Test
    void stringKeysResolveThroughTheResidentVocabulary() throws Exception {
        Path dir = tmp.resolve("strings");
        Random r = new Random(23);
        TableOracle<String> model = new TableOracle<>(null);
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(20).encoding(RowEncoding.F16).keys(KeyType.STRING).rowsPerChunk(16).create()) {
            for (int i = 0; i < 90; i++) {
                String key = "w" + r.nextInt(60);
                float[] v = TableOracle.gaussian(r, 20, 0f);
                model.put(key, v);
                t.put(key, v);
            }
            t.commit();
        }
        try (EmbeddingTable resident = EmbeddingTable.openReadOnly(dir, Residency.HUGE_PAGES)) {
            List<String> keys = new ArrayList<>(model.vectors.keySet());
            keys.add("never-put");
            String[] k = keys.toArray(String[]::new);
            float[][] got = resident.lookup(k);
            for (int i = 0; i < k.length; i++) TableOracle.check(resident.codec(), model.vectors.get(k[i]), got[i], "key " + k[i]);
            assertEquals(model.vectors.size(), resident.size());
        }
    }

    @Test
    void anEmptyTableHasNothingResident() throws Exception {
        Path dir = tmp.resolve("empty");
        EmbeddingTable.builder(dir).dimension(8).create().close();
        try (EmbeddingTable t = EmbeddingTable.openReadOnly(dir, Residency.HUGE_PAGES)) {
            assertEquals(0, t.residentBytes());
            assertArrayEquals(new float[8], t.lookup(3L));
        }
    }

    @Test
    void aResidentTableIsASnapshotUntilReopened() throws Exception {
        Path dir = tmp.resolve("snapshot");
        Random r = new Random(3);
        TableOracle<Long> before = build(dir, RowEncoding.F32, 16, 20, r);
        try (EmbeddingTable writer = EmbeddingTable.open(dir);
             EmbeddingTable resident = EmbeddingTable.openReadOnly(dir, Residency.HUGE_PAGES)) {
            float[] replaced = TableOracle.gaussian(r, 16, 9f), added = TableOracle.gaussian(r, 16, -9f);
            writer.put(5L, replaced);
            writer.put(99L, added);
            assertArrayEquals(before.vectors.get(5L), resident.lookup(5L), "the resident copy keeps the rows as of its open");
            assertArrayEquals(new float[16], resident.lookup(99L), "a key put after the open is unknown to it");
            try (EmbeddingTable reopened = EmbeddingTable.openReadOnly(dir, Residency.HUGE_PAGES)) {
                assertArrayEquals(replaced, reopened.lookup(5L), "a reopen copies the upserted row");
                assertArrayEquals(added, reopened.lookup(99L));
                assertTrue(reopened.residentBytes() > reopened.storedRows() * 64);
            }
        }
    }

    @Test
    void closingReleasesTheCopy() throws Exception {
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "needs /proc/self/status (Linux)");
        Path dir = tmp.resolve("leak");
        int dim = 256, keys = 4096; // 8 MB of rows (each put twice): 40 copies would be 320 MB
        build(dir, RowEncoding.F32, dim, keys, new Random(9));
        for (int i = 0; i < 3; i++) EmbeddingTable.openReadOnly(dir, Residency.HUGE_PAGES).close(); // settle
        long before = vmKb(status, "VmSize:");
        for (int i = 0; i < 40; i++) {
            EmbeddingTable t = EmbeddingTable.openReadOnly(dir, Residency.HUGE_PAGES);
            assertEquals(dim, t.lookup(keys - 1L).length);
            t.close();
            assertThrows(IllegalStateException.class, () -> t.lookup(1L), "a closed table refuses look-ups");
        }
        long grown = vmKb(status, "VmSize:") - before;
        assertTrue(grown < 64 * 1024, "address space grew by " + grown + " kB over 40 opens of an 8 MB copy");
    }

    @Test
    void concurrentReadersAgreeWithTheMapping() throws Exception {
        Path dir = tmp.resolve("concurrent");
        Random r = new Random(17);
        int dim = 24, keys = 300;
        build(dir, RowEncoding.INT8, dim, keys, r);
        try (EmbeddingTable mapped = EmbeddingTable.openReadOnly(dir);
             EmbeddingTable resident = EmbeddingTable.openReadOnly(dir, Residency.HUGE_PAGES)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int th = 0; th < 4; th++) {
                    long seed = th;
                    runs.add(pool.submit(() -> {
                        Random tr = new Random(seed);
                        for (int it = 0; it < 200; it++) {
                            long[] k = tr.longs(1 + tr.nextInt(64), 0, keys + 10).toArray();
                            float[][] got = resident.lookup(k), want = mapped.lookup(k);
                            for (int i = 0; i < k.length; i++) assertArrayEquals(want[i], got[i], "key " + k[i]);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : runs) f.get();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static long vmKb(Path status, String field) throws java.io.IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
        throw new AssertionError(field + " not in " + status);
    }
}
