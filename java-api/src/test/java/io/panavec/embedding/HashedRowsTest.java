package io.panavec.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys merged by hash against a heap model: each bucket the mean of its keys' vectors, grouped independently here. */
class HashedRowsTest {
    private static final int DIM = 24;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"f32", "int8", "pq4"})
    void everyKeyReadsTheMeanOfItsBucket(String encoding) throws Exception {
        Random r = new Random(encoding.hashCode());
        int n = 3000;
        HashedRows hashing = new HashedRows(700, 42);
        long[] keys = new long[n];
        float[][] rows = new float[n][];
        Map<Long, double[]> sums = new HashMap<>();
        Map<Long, Integer> counts = new HashMap<>();
        HashedRows.Merger merger = hashing.merger(DIM);
        for (int i = 0; i < n; i++) {
            keys[i] = r.nextLong();
            rows[i] = TableOracle.gaussian(r, DIM, 0.1f);
            merger.add(keys[i], rows[i]);
            // the model hashes with its own copy of the rule: probe 0 of Hashing, reduced unsigned
            long b = Long.remainderUnsigned(Hashing.probe(keys[i], 42, 0), 700);
            double[] s = sums.computeIfAbsent(b, x -> new double[DIM]);
            for (int j = 0; j < DIM; j++) s[j] += rows[i][j];
            counts.merge(b, 1, Integer::sum);
        }
        Path dir = tmp.resolve(encoding);
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(DIM).encoding(encoding).create(); Arena a = Arena.ofConfined()) {
            float[][] means = new float[300][];
            for (int i = 0; i < means.length; i++) means[i] = merger.mean(i % 700);
            t.train(java.util.Arrays.stream(means).filter(java.util.Objects::nonNull).toArray(float[][]::new));
            merger.writeTo(t, 128);
            assertEquals(counts.size(), t.size(), "one row per non-empty bucket");
            MemorySegment out = a.allocate((long) n * DIM * 4);
            hashing.lookup(t, keys, out);
            for (int i = 0; i < n; i++) {
                long b = hashing.bucketOf(keys[i]);
                float[] mean = new float[DIM];
                for (int j = 0; j < DIM; j++) mean[j] = (float) (sums.get(b)[j] / counts.get(b));
                float[] got = out.asSlice((long) i * DIM * 4, DIM * 4L).toArray(ValueLayout.JAVA_FLOAT);
                TableOracle.check(t.codec(), mean, got, encoding + " key " + keys[i] + " in bucket " + b + " of " + counts.get(b));
                if (counts.get(b) == 1 && encoding.equals("f32")) {
                    for (int j = 0; j < DIM; j++) assertEquals(rows[i][j], got[j], 0f, "a key alone in its bucket reads its own vector");
                }
            }
        }
    }

    /** The mean is the merge of least squared error: moving any bucket row away from it raises its keys' error. */
    @Test
    void theMeanIsTheLeastSquaresMerge() {
        Random r = new Random(3);
        HashedRows hashing = new HashedRows(5, 1);
        HashedRows.Merger merger = hashing.merger(DIM);
        Map<Long, java.util.List<float[]>> members = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            long key = i * 31L;
            float[] v = TableOracle.gaussian(r, DIM, 0f);
            merger.add(key, v);
            members.computeIfAbsent(hashing.bucketOf(key), b -> new java.util.ArrayList<>()).add(v);
        }
        for (var e : members.entrySet()) {
            float[] mean = merger.mean(e.getKey());
            assertEquals(e.getValue().size(), merger.count(e.getKey()));
            double at = sse(e.getValue(), mean, null);
            for (int trial = 0; trial < 20; trial++) {
                float[] nudge = TableOracle.gaussian(r, DIM, 0f);
                for (int j = 0; j < DIM; j++) nudge[j] *= 0.01f;
                assertTrue(sse(e.getValue(), mean, nudge) > at);
            }
        }
        for (long b = 0; b < 5; b++) if (merger.count(b) == 0) assertNull(merger.mean(b));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HashedRows(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new HashedRows(4, 1).merger(0));
        assertThrows(IllegalArgumentException.class, () -> new HashedRows(4, 1).merger(3).add(1, new float[4]));
    }

    private static double sse(java.util.List<float[]> xs, float[] row, float[] nudge) {
        double s = 0;
        for (float[] x : xs) {
            for (int j = 0; j < DIM; j++) {
                double e = x[j] - row[j] - (nudge == null ? 0 : nudge[j]);
                s += e * e;
            }
        }
        return s;
    }
}
