package io.panavec.faiss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.panavec.internal.NativeMetric;
import io.panavec.internal.Rows;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Standalone codes (sa_encode / sa_decode) against scalar oracles built from what the codec itself reveals. */
class FaissCodesTest {
    private static final int DIM = 16;

    /**
     * PQ4x8: decoding the code (c, c, c, c) reveals centroid c of every sub-quantizer; the oracle then encodes by
     * brute-force nearest centroid per subspace and decodes by concatenation.
     */
    @Test
    void pqCodesAreTheNearestCentroidPerSubspace() {
        int m = 4, sub = DIM / m, k = 256;
        float[][] train = BruteForce.gaussian(3000, DIM, 11), data = BruteForce.gaussian(300, DIM, 12);
        try (FaissIndex pq = FaissIndex.create(DIM, "PQ4np", NativeMetric.L2); Arena arena = Arena.ofConfined()) {
            pq.train(train);
            assertEquals(m, pq.codeSize());
            MemorySegment probe = arena.allocate((long) k * m), centroids = arena.allocate((long) k * DIM * 4);
            for (int c = 0; c < k; c++) for (int j = 0; j < m; j++) probe.set(ValueLayout.JAVA_BYTE, (long) c * m + j, (byte) c);
            pq.decode(probe, k, centroids);
            MemorySegment codes = arena.allocate((long) data.length * m), decoded = arena.allocate((long) data.length * DIM * 4);
            pq.encode(Rows.pack(arena, data, DIM), data.length, codes);
            pq.decode(codes, data.length, decoded);
            int mismatched = 0;
            for (int i = 0; i < data.length; i++) {
                for (int j = 0; j < m; j++) {
                    int got = Byte.toUnsignedInt(codes.get(ValueLayout.JAVA_BYTE, (long) i * m + j));
                    double best = Double.MAX_VALUE, gotDist = dist(data[i], j * sub, sub, centroids, got);
                    for (int c = 0; c < k; c++) best = Math.min(best, dist(data[i], j * sub, sub, centroids, c));
                    if (gotDist > best + 1e-5) mismatched++;
                    for (int t = 0; t < sub; t++) {
                        float want = centroids.get(ValueLayout.JAVA_FLOAT, ((long) got * DIM + j * sub + t) * 4);
                        assertEquals(want, decoded.get(ValueLayout.JAVA_FLOAT, ((long) i * DIM + j * sub + t) * 4), 0f);
                    }
                }
            }
            assertEquals(0, mismatched, "codes that are not the nearest centroid");
        }
    }

    /**
     * PCA4,Flat: the reconstruction is the orthogonal projection onto an affine 4-d subspace, so decoding is
     * idempotent on reconstructions and every residual is orthogonal to differences of reconstructions.
     */
    @Test
    void pcaReconstructionIsAnOrthogonalProjection() {
        float[][] train = BruteForce.gaussian(2000, DIM, 21), data = BruteForce.gaussian(50, DIM, 22);
        try (FaissIndex pca = FaissIndex.create(DIM, "PCA4,Flat", NativeMetric.L2); Arena arena = Arena.ofConfined()) {
            pca.train(train);
            assertEquals(4L * 4, pca.codeSize()); // four float32 coordinates
            float[][] rec = roundTrip(pca, arena, data);
            float[][] again = roundTrip(pca, arena, rec);
            for (int i = 0; i < data.length; i++) assertArrayEquals(rec[i], again[i], 1e-4f);
            for (int i = 1; i < data.length; i++) {
                double dot = 0;
                for (int t = 0; t < DIM; t++) dot += (data[i][t] - rec[i][t]) * (rec[0][t] - rec[i][t]);
                assertEquals(0, dot, 1e-3, "residual of row " + i + " is not orthogonal to the subspace");
            }
        }
        try (FaissIndex full = FaissIndex.create(DIM, "PCA16,Flat", NativeMetric.L2); Arena arena = Arena.ofConfined()) {
            full.train(train);
            float[][] rec = roundTrip(full, arena, data); // a full-rank rotation loses nothing
            for (int i = 0; i < data.length; i++) assertArrayEquals(data[i], rec[i], 1e-4f);
        }
    }

    @Test
    void badCallsAreRefusedInJava() {
        try (FaissIndex untrained = FaissIndex.create(DIM, "PQ4np", NativeMetric.L2); Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate(DIM * 4L * 2), codes = arena.allocate(8);
            assertThrows(IllegalStateException.class, () -> untrained.encode(x, 2, codes));
            untrained.train(BruteForce.gaussian(2000, DIM, 3));
            assertThrows(IllegalArgumentException.class, () -> untrained.encode(x, 3, codes)); // x too short
            assertThrows(IllegalArgumentException.class, () -> untrained.decode(arena.allocate(7), 2, x)); // codes too short
            assertThrows(IllegalArgumentException.class, () -> untrained.decode(codes, 2, arena.allocate(8))); // out too short
            MemorySegment nan = arena.allocate(DIM * 4L);
            nan.set(ValueLayout.JAVA_FLOAT, 8, Float.NaN);
            assertThrows(IllegalArgumentException.class, () -> untrained.encode(nan, 1, codes));
        }
        try (FaissIndex hnsw = FaissIndex.create(DIM, "HNSW16,Flat", NativeMetric.L2); Arena arena = Arena.ofConfined()) {
            assertEquals(-1, hnsw.codeSize());
            assertThrows(IllegalStateException.class, () -> hnsw.encode(arena.allocate(DIM * 4L), 1, arena.allocate(64)));
        }
    }

    private static float[][] roundTrip(FaissIndex index, Arena arena, float[][] rows) {
        long size = index.codeSize();
        MemorySegment codes = arena.allocate(rows.length * size), out = arena.allocate((long) rows.length * DIM * 4);
        index.encode(Rows.pack(arena, rows, DIM), rows.length, codes);
        index.decode(codes, rows.length, out);
        float[][] r = new float[rows.length][DIM];
        for (int i = 0; i < rows.length; i++) MemorySegment.copy(out, ValueLayout.JAVA_FLOAT, (long) i * DIM * 4, r[i], 0, DIM);
        return r;
    }

    private static double dist(float[] x, int from, int len, MemorySegment centroids, int c) {
        double d = 0;
        for (int t = 0; t < len; t++) {
            double e = x[from + t] - centroids.get(ValueLayout.JAVA_FLOAT, ((long) c * DIM + from + t) * 4);
            d += e * e;
        }
        return d;
    }
}
