package io.panavec.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row encoding, with long and string keys, against the heap model: random batches of upserts (keys repeated
 * across and within batches, rows spread over many chunks), then batch look-ups of known and unknown keys through
 * the native gather kernels, into native memory and into arrays, before and after reopening. Each vector must equal
 * the codec's scalar decode and lie within the codec's stated error bound of what was put.
 */
class EmbeddingTableOracleTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(RowEncoding.class)
    void longKeysReadBackAsTheModelWithinTheStatedBound(RowEncoding encoding) throws Exception {
        for (int dim : new int[] {37, 64}) {
            Random r = new Random(dim * 31L + encoding.ordinal());
            Path dir = tmp.resolve(encoding.spec() + "-long-" + dim);
            TableOracle<Long> model = new TableOracle<>(null);
            try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(dim).encoding(encoding).rowsPerChunk(8).create()) {
                for (int batch = 0; batch < 6; batch++) {
                    int n = 1 + r.nextInt(40);
                    long[] keys = new long[n];
                    float[][] vs = new float[n][];
                    for (int i = 0; i < n; i++) {
                        keys[i] = r.nextInt(120) - 20L; // repeats across and within batches, negative keys too
                        vs[i] = TableOracle.gaussian(r, dim, 0.5f);
                        model.put(keys[i], vs[i]);
                    }
                    t.putAll(keys, vs);
                    if (batch == 3) t.commit();
                    checkAll(t, model, r, "batch " + batch);
                }
                assertEquals(model.vectors.size(), t.size());
            }
            try (EmbeddingTable t = EmbeddingTable.open(dir)) {
                checkAll(t, model, r, "reopened");
            }
        }
    }

    private static void checkAll(EmbeddingTable t, TableOracle<Long> model, Random r, String when) {
        List<Long> keys = new ArrayList<>(model.vectors.keySet());
        for (int i = 0; i < 10; i++) keys.add(1000L + r.nextInt(1000)); // unknown
        java.util.Collections.shuffle(keys, r);
        long[] k = keys.stream().mapToLong(Long::longValue).toArray();
        int d = t.dimension();
        float[][] viaArrays = t.lookup(k);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate((long) k.length * d * Float.BYTES, 64);
            t.lookup(k, out);
            for (int i = 0; i < k.length; i++) {
                float[] got = out.asSlice((long) i * d * Float.BYTES, (long) d * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
                TableOracle.check(t.codec(), model.vectors.get(k[i]), got, t.codec().spec() + " " + when + " key " + k[i]);
                assertArrayEquals(got, viaArrays[i], "float[][] and MemorySegment look-ups agree");
                assertEquals(model.vectors.containsKey(k[i]), t.contains(k[i]));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RowEncoding.class)
    void stringKeysReadBackAsTheModelWithinTheStatedBound(RowEncoding encoding) throws Exception {
        int dim = 40;
        Random r = new Random(7 + encoding.ordinal());
        Path dir = tmp.resolve(encoding.spec() + "-string");
        TableOracle<String> model = new TableOracle<>(null);
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(dim).encoding(encoding).keys(KeyType.STRING).rowsPerChunk(16).create()) {
            for (int batch = 0; batch < 4; batch++) {
                int n = 1 + r.nextInt(50);
                String[] keys = new String[n];
                float[][] vs = new float[n][];
                for (int i = 0; i < n; i++) {
                    keys[i] = "w" + r.nextInt(90) + (r.nextInt(10) == 0 ? "é" : "");
                    vs[i] = TableOracle.gaussian(r, dim, -1f);
                    model.put(keys[i], vs[i]);
                }
                t.putAll(keys, vs);
            }
            checkStrings(t, model, "open");
        }
        try (EmbeddingTable t = EmbeddingTable.open(dir)) {
            checkStrings(t, model, "reopened");
            assertEquals(model.vectors.size(), t.size());
        }
    }

    private static void checkStrings(EmbeddingTable t, TableOracle<String> model, String when) {
        List<String> keys = new ArrayList<>(model.vectors.keySet());
        keys.add("never-put");
        keys.add("");
        String[] k = keys.toArray(String[]::new);
        float[][] got = t.lookup(k);
        for (int i = 0; i < k.length; i++) {
            TableOracle.check(t.codec(), model.vectors.get(k[i]), got[i], t.codec().spec() + " " + when + " key '" + k[i] + "'");
        }
    }

    @Test
    void int8KeepsMeanCosineAboveTheBarAtAQuarterOfTheBytes() throws Exception {
        int dim = 384;
        Random r = new Random(5);
        try (EmbeddingTable t = EmbeddingTable.builder(tmp.resolve("int8")).dimension(dim).encoding(RowEncoding.INT8).create()) {
            int n = 200;
            long[] keys = new long[n];
            float[][] vs = new float[n][];
            for (int i = 0; i < n; i++) {
                keys[i] = i;
                vs[i] = TableOracle.gaussian(r, dim, 0f);
            }
            t.putAll(keys, vs);
            float[][] got = t.lookup(keys);
            double cos = 0;
            for (int i = 0; i < n; i++) cos += cosine(vs[i], got[i]);
            assertTrue(cos / n >= 0.99, "mean cosine " + cos / n);
            assertTrue(t.codec().rowBytes() <= 0.27 * 4 * dim, t.codec().rowBytes() + " bytes per row");
            // the bound is tight enough to mean something: under 2% of the norm for gaussian rows
            assertTrue(t.codec().errorBound(vs[0]) < 0.02 * Math.sqrt(dim), "bound " + t.codec().errorBound(vs[0]));
        }
    }

    @Test
    void lvqLearnsTheMeanOfItsFirstBatchAndCentresOnIt() throws Exception {
        int dim = 64;
        Random r = new Random(9);
        Path dir = tmp.resolve("lvq");
        float[][] vs = new float[50][];
        long[] keys = new long[50];
        for (int i = 0; i < 50; i++) {
            keys[i] = i;
            vs[i] = TableOracle.gaussian(r, dim, 0f);
            vs[i][0] += 40; // a common offset LVQ removes and int8 must span
        }
        try (EmbeddingTable lvq = EmbeddingTable.builder(dir).dimension(dim).encoding(RowEncoding.LVQ8).create();
             EmbeddingTable int8 = EmbeddingTable.builder(tmp.resolve("int8b")).dimension(dim).encoding(RowEncoding.INT8).create()) {
            assertFalse(lvq.codec().isTrained());
            lvq.putAll(keys, vs);
            int8.putAll(keys, vs);
            assertTrue(lvq.codec().isTrained());
            float[] mean = lvq.codec().nativeMean();
            assertEquals(40, mean[0], 0.5);
            assertTrue(lvq.codec().errorBound(vs[3]) < 0.5 * int8.codec().errorBound(vs[3]),
                    "centred rows quantize finer: " + lvq.codec().errorBound(vs[3]) + " vs " + int8.codec().errorBound(vs[3]));
        }
        try (EmbeddingTable lvq = EmbeddingTable.open(dir)) {
            assertTrue(lvq.codec().isTrained(), "the mean was committed with the table");
            float[][] got = lvq.lookup(keys);
            for (int i = 0; i < 50; i++) TableOracle.check(lvq.codec(), vs[i], got[i], "lvq8 reopened key " + i);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
