package io.panavec.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Low-rank rows against a scalar oracle: the projection and its inverse recomputed in double from the codec's parameters. */
class LowRankCodecTest {
    private static final int DIM = 48;

    @TempDir
    Path tmp;

    /** Rank-6 data (a random 6-d subspace plus a mean) with a little isotropic noise. */
    static float[][] lowRank(int n, long seed) {
        Random basis = new Random(99), r = new Random(seed);
        double[][] u = new double[6][DIM];
        for (double[] row : u) for (int j = 0; j < DIM; j++) row[j] = basis.nextGaussian();
        float[][] x = new float[n][DIM];
        for (float[] v : x) {
            for (int k = 0; k < 6; k++) {
                double c = r.nextGaussian() * (6 - k);
                for (int j = 0; j < DIM; j++) v[j] += (float) (c * u[k][j]);
            }
            for (int j = 0; j < DIM; j++) v[j] += 0.3f + 0.01f * (float) r.nextGaussian();
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pca6.f32", "pca6.f16", "pca6.int8", "pca12.lvq4", "pca47.f32"})
    void decodesAsTheScalarOracleWithinTheStatedBound(String spec) {
        RowCodec c = RowCodecs.create(spec, DIM).train(lowRank(1500, 1));
        int reduced = Integer.parseInt(spec.substring(3, spec.indexOf('.')));
        float[][] p = c.parameters();
        float[] mu = p[0];
        for (int i = 0; i < reduced; i++) {
            for (int k = 0; k <= i; k++) {
                double dot = 0;
                for (int j = 0; j < DIM; j++) dot += (double) p[1 + i][j] * p[1 + k][j];
                assertEquals(i == k ? 1 : 0, dot, 1e-4, "basis rows " + i + ", " + k + " are orthonormal");
            }
        }
        RowCodec inner = ((LowRankCodec) c).inner();
        for (float[] x : lowRank(300, 2)) {
            float[] got = TableOracle.scalarRoundTrip(c, x);
            // oracle: y = B (x - mu) in double, the inner codec's round trip of y, then mu + B'y^ in double
            float[] y = new float[reduced];
            for (int i = 0; i < reduced; i++) {
                double s = 0;
                for (int j = 0; j < DIM; j++) s += (double) p[1 + i][j] * (x[j] - mu[j]);
                y[i] = (float) s;
            }
            float[] yHat = TableOracle.scalarRoundTrip(inner, y);
            double err2 = 0;
            for (int j = 0; j < DIM; j++) {
                double want = mu[j];
                for (int i = 0; i < reduced; i++) want += (double) yHat[i] * p[1 + i][j];
                assertEquals(want, got[j], 1e-3 * (1 + Math.abs(want)), spec + " element " + j);
                err2 += (got[j] - x[j]) * (double) (got[j] - x[j]);
            }
            assertTrue(Math.sqrt(err2) <= c.errorBound(x), spec + ": error " + Math.sqrt(err2) + " above the bound " + c.errorBound(x));
        }
    }

    @Test
    void recoversDataOfTheRankItKeeps() {
        RowCodec c = RowCodecs.create("pca6.f32", DIM).train(lowRank(1500, 3));
        double worst = 0;
        for (float[] x : lowRank(200, 4)) {
            float[] got = TableOracle.scalarRoundTrip(c, x);
            double e = 0;
            for (int j = 0; j < DIM; j++) e += (got[j] - x[j]) * (double) (got[j] - x[j]);
            worst = Math.max(worst, Math.sqrt(e));
        }
        // what is lost is the noise off the subspace: 0.01 per element over 42 directions, about 0.065
        assertTrue(worst < 0.15, "rank-6 data through pca6 is off by " + worst);
    }

    @Test
    void aTableServesLowRankRowsAndReopensWithItsBasis() throws Exception {
        float[][] rows = lowRank(400, 5);
        long[] keys = new long[rows.length];
        TableOracle<Long> model = new TableOracle<>(null);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = -5000L + 13L * i;
            model.put(keys[i], rows[i]);
        }
        Path dir = tmp.resolve("pca");
        float[][] params;
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(DIM).encoding("pca8.lvq8").create()) {
            t.putAll(keys, rows); // learns from the first batch
            params = t.codec().parameters();
            assertEquals(1 + 8 + 1, params.length, "mean, 8 basis rows, the inner LVQ's mean");
            float[][] got = t.lookup(keys);
            for (int i = 0; i < keys.length; i++) TableOracle.check(t.codec(), rows[i], got[i], "key " + keys[i]);
        }
        try (EmbeddingTable t = EmbeddingTable.open(dir)) {
            assertEquals("pca8.lvq8", t.codec().spec());
            assertArrayEquals(params, t.codec().parameters());
            float[][] got = t.lookup(keys);
            for (int i = 0; i < keys.length; i++) TableOracle.check(t.codec(), model.vectors.get(keys[i]), got[i], "reopened key " + keys[i]);
        }
    }

    @Test
    void badSpecsAndParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RowCodecs.create("pca0.f32", DIM));
        assertThrows(IllegalArgumentException.class, () -> RowCodecs.create("pca48.f32", DIM));
        assertThrows(IllegalArgumentException.class, () -> RowCodecs.create("pca8.nope", DIM));
        assertThrows(IllegalStateException.class, () -> TableOracle.scalarRoundTrip(RowCodecs.create("pca8.f32", DIM), new float[DIM]));
        float[][] p = RowCodecs.create("pca8.f32", DIM).train(lowRank(200, 6)).parameters();
        assertThrows(IllegalArgumentException.class, () -> RowCodecs.restore("pca8.f32", DIM, java.util.Arrays.copyOf(p, 5)));
        p[2][1] = Float.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> RowCodecs.restore("pca8.f32", DIM, p));
    }
}
