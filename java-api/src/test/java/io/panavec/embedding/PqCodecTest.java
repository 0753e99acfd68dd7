package io.panavec.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panavec.internal.NativeMetric;
import io.panavec.faiss.FaissIndex;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PQ rows against a scalar oracle (brute-force nearest centroid over the codec's own centroids) and against FAISS. */
class PqCodecTest {
    private static final int DIM = 32, M = 8, SUB = DIM / M;

    @TempDir
    Path tmp;

    static float[][] gaussians(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) x[i] = TableOracle.gaussian(r, DIM, 0.25f);
        return x;
    }

    @Test
    void encodesToTheNearestCentroidAndDecodesToTheirConcatenation() {
        RowCodec pq = RowCodecs.create("pq8", DIM).train(gaussians(3000, 1));
        assertEquals(M, pq.rowBytes());
        float[][] centroids = pq.parameters();
        assertEquals(PqCodec.CENTROIDS, centroids.length);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment row = a.allocate(M);
            float[] out = new float[DIM];
            for (float[] x : gaussians(500, 2)) {
                pq.encode(x, row, 0);
                pq.decode(row, 0, out, 0);
                double err2 = 0;
                for (int s = 0; s < M; s++) {
                    int got = Byte.toUnsignedInt(row.get(ValueLayout.JAVA_BYTE, s));
                    double best = Double.MAX_VALUE;
                    for (float[] c : centroids) best = Math.min(best, dist2(x, c, s));
                    assertEquals(best, dist2(x, centroids[got], s), 1e-4 * (1 + best), "subspace " + s + " is not coded by its nearest centroid");
                    for (int t = s * SUB; t < (s + 1) * SUB; t++) assertEquals(centroids[got][t], out[t], 0f);
                    err2 += dist2(x, centroids[got], s);
                }
                assertTrue(Math.sqrt(err2) <= pq.errorBound(x), "error within the stated bound");
            }
        }
    }

    /** The centroids are FAISS's: decoding a code here equals FAISS's sa_decode of it by an index trained alike. */
    @Test
    void decodesAsFaissDoes() {
        float[][] sample = gaussians(3000, 3);
        RowCodec pq = RowCodecs.create("pq8", DIM).train(sample);
        try (FaissIndex faiss = FaissIndex.create(DIM, "PQ8np", NativeMetric.L2); Arena a = Arena.ofConfined()) {
            faiss.train(sample);
            Random r = new Random(4);
            int n = 200;
            MemorySegment codes = a.allocate((long) n * M), decoded = a.allocate((long) n * DIM * 4);
            for (long i = 0; i < n * M; i++) codes.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt(256));
            faiss.decode(codes, n, decoded);
            float[] out = new float[DIM];
            for (int i = 0; i < n; i++) {
                pq.decode(codes, (long) i * M, out, 0);
                assertArrayEquals(decoded.asSlice((long) i * DIM * 4, DIM * 4L).toArray(ValueLayout.JAVA_FLOAT), out, 1e-6f);
            }
        }
    }

    @Test
    void aTableServesPqRowsAndReopensWithItsCentroids() throws Exception {
        float[][] rows = gaussians(600, 5);
        long[] keys = new long[rows.length];
        TableOracle<Long> model = new TableOracle<>(null);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = 10_000L + 7L * i;
            model.put(keys[i], rows[i]);
        }
        Path dir = tmp.resolve("pq");
        RowCodec trained;
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(DIM).encoding("pq8").create()) {
            t.train(gaussians(2000, 6));
            t.putAll(keys, rows);
            trained = t.codec();
            check(t, model, keys);
        }
        try (EmbeddingTable t = EmbeddingTable.open(dir)) {
            assertArrayEquals(trained.parameters(), t.codec().parameters());
            check(t, model, keys);
        }
    }

    private static void check(EmbeddingTable t, TableOracle<Long> model, long[] keys) {
        float[][] got = t.lookup(keys);
        for (int i = 0; i < keys.length; i++) TableOracle.check(t.codec(), model.vectors.get(keys[i]), got[i], "pq key " + keys[i]);
    }

    @Test
    void badSpecsAndParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RowCodecs.create("pq7", DIM)); // 7 does not divide 32
        assertThrows(IllegalArgumentException.class, () -> RowCodecs.create("pq8", DIM).train(gaussians(100, 7))); // < 256 rows
        assertThrows(IllegalStateException.class, () -> RowCodecs.create("pq8", DIM).encode(new float[DIM], MemorySegment.ofArray(new byte[M]), 0));
        float[][] p = RowCodecs.create("pq8", DIM).train(gaussians(1000, 8)).parameters();
        assertThrows(IllegalArgumentException.class, () -> RowCodecs.restore("pq8", DIM, java.util.Arrays.copyOf(p, 255)));
        p[3][5] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> RowCodecs.restore("pq8", DIM, p));
    }

    private static double dist2(float[] x, float[] c, int s) {
        double d = 0;
        for (int t = s * SUB; t < (s + 1) * SUB; t++) {
            double e = x[t] - c[t];
            d += e * e;
        }
        return d;
    }
}
