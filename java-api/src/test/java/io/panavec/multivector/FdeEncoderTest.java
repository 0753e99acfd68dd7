package io.panavec.multivector;

import io.panavec.bindings.Kernels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The native FDE encoder against the scalar double-precision {@link FdeReference}, property by property. */
class FdeEncoderTest {
    private static final int INITIAL_ISA = Kernels.isaActive();

    @AfterEach
    void restoreIsa() {
        Kernels.forceIsa(INITIAL_ISA);
    }

    /** Random unit tokens, redrawn while any lies within 1e-3 of a hyperplane (float vs double could split it). */
    private static float[][] tokens(FdeMatrices m, int n, Random r) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            do {
                out[i] = new float[m.dim()];
                for (int j = 0; j < m.dim(); j++) out[i][j] = (float) r.nextGaussian();
            } while (nearAHyperplane(m, out[i]));
        }
        return out;
    }

    private static boolean nearAHyperplane(FdeMatrices m, float[] x) {
        for (int h = 0; h < m.config().reps() * m.config().ksim(); h++) {
            if (Math.abs(FdeReference.dot(x, m.simhash(), h * m.dim())) < 1e-3) return true;
        }
        return false;
    }

    private static void assertClose(double[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": dimension");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), what + ": coordinate " + i);
        }
    }

    @ParameterizedTest(name = "isa {0}")
    @ValueSource(ints = {0, 1, 2})
    void matchesTheReferenceAtEveryIsaLevel(int isa) {
        assumeTrue(Kernels.isSupported(isa), "CPU lacks level " + isa);
        Kernels.forceIsa(isa);
        Random r = new Random(7 + isa);
        FdeConfig[] configs = {
            FdeConfig.of(3, 4, 8),
            FdeConfig.of(2, 0, 5),
            FdeConfig.of(4, 3, 7).withFillEmpty(false),
            FdeConfig.of(5, 2, 3).withFinalDimension(17),
            FdeConfig.of(2, 5, 6).withProjection(FdeConfig.Projection.AMS),
            FdeConfig.of(1, 3, 13).withProjection(FdeConfig.Projection.IDENTITY),
            FdeConfig.of(3, 4, 8).withNormalizedDocuments(true),
            FdeConfig.of(4, 2, 5).withNormalizedDocuments(true).withFinalDimension(11),
            FdeConfig.of(2, 3, 6).withNormalizedDocuments(true).withFillEmpty(false).withProjection(FdeConfig.Projection.AMS),
        };
        for (FdeConfig c : configs) {
            for (int dim : new int[] {13, 33}) {
                if (c.projection() == FdeConfig.Projection.IDENTITY && dim != c.dproj()) continue;
                FdeMatrices m = FdeMatrices.draw(c, dim);
                try (FdeEncoder e = new FdeEncoder(m)) {
                    for (int n : new int[] {1, 2, 7, 40}) {
                        float[][] t = tokens(m, n, r);
                        assertClose(FdeReference.encode(m, t, false), e.encodeQuery(t), c + " dim " + dim + " query of " + n);
                        assertClose(FdeReference.encode(m, t, true), e.encodeDocument(t), c + " dim " + dim + " document of " + n);
                    }
                }
            }
        }
    }

    /** One token: its query FDE is its projection in exactly the bucket of its sign pattern, zero elsewhere. */
    @Test
    void aTokenLandsInTheBucketOfItsSignPattern() {
        FdeMatrices m = FdeMatrices.draw(FdeConfig.of(6, 4, 5), 24);
        Random r = new Random(3);
        try (FdeEncoder e = new FdeEncoder(m)) {
            for (int trial = 0; trial < 50; trial++) {
                float[][] t = tokens(m, 1, r);
                float[] f = e.encodeQuery(t);
                for (int rep = 0; rep < 6; rep++) {
                    int g = FdeReference.bucketOf(FdeReference.pattern(m, rep, t[0]), 4);
                    for (int b = 0; b < 16; b++) {
                        double norm = 0;
                        for (int j = 0; j < 5; j++) norm += Math.abs(f[(rep * 16 + b) * 5 + j]);
                        if (b == g) assertTrue(norm > 0, "rep " + rep + ": bucket " + g + " of the token is empty");
                        else assertEquals(0.0, norm, "rep " + rep + ": bucket " + b + " is not the token's (" + g + ")");
                    }
                }
            }
        }
    }

    /** Identity projection, one bucket: the query FDE is the sum of the tokens, the document FDE their average. */
    @Test
    void queriesSumAndDocumentsAverage() {
        int dim = 9;
        FdeMatrices m = FdeMatrices.draw(FdeConfig.of(1, 0, dim).withProjection(FdeConfig.Projection.IDENTITY), dim);
        float[][] t = MultiVectorData.randomSets(1, 1, dim, 5)[0];
        t = new float[][] {t[0], MultiVectorData.randomSets(1, 1, dim, 6)[0][0], MultiVectorData.randomSets(1, 1, dim, 8)[0][0]};
        try (FdeEncoder e = new FdeEncoder(m)) {
            float[] q = e.encodeQuery(t), d = e.encodeDocument(t);
            for (int j = 0; j < dim; j++) {
                double sum = (double) t[0][j] + t[1][j] + t[2][j];
                assertEquals(sum, q[j], 1e-5, "sum at " + j);
                assertEquals(sum / 3, d[j], 1e-5, "average at " + j);
            }
        }
    }

    /** Identity projection, one bucket, normalized documents: the document FDE is the unit direction of the sum. */
    @Test
    void normalizedDocumentsHoldTheUnitDirectionOfTheAverage() {
        int dim = 9;
        FdeConfig c = FdeConfig.of(1, 0, dim).withProjection(FdeConfig.Projection.IDENTITY).withNormalizedDocuments(true);
        assertEquals(c, FdeConfig.parse(c.text()), "text round trip");
        assertTrue(c.text().contains("norm=true"), c.text());
        FdeMatrices m = FdeMatrices.draw(c, dim);
        float[][] t = {MultiVectorData.randomSets(1, 1, dim, 5)[0][0], MultiVectorData.randomSets(1, 1, dim, 6)[0][0]};
        try (FdeEncoder e = new FdeEncoder(m)) {
            float[] q = e.encodeQuery(t), d = e.encodeDocument(t);
            double norm = 0;
            for (int j = 0; j < dim; j++) norm += ((double) t[0][j] + t[1][j]) * ((double) t[0][j] + t[1][j]);
            norm = Math.sqrt(norm);
            for (int j = 0; j < dim; j++) {
                double sum = (double) t[0][j] + t[1][j];
                assertEquals(sum, q[j], 1e-5, "queries still sum, at " + j);
                assertEquals(sum / norm, d[j], 1e-5, "unit direction at " + j);
            }
        }
    }

    /** A one-token document fills every bucket with that token; without filling only its own bucket is set. */
    @Test
    void emptyBucketsAreFilledOnlyForDocumentsAndOnlyWhenAsked() {
        FdeConfig c = FdeConfig.of(3, 3, 4);
        FdeMatrices m = FdeMatrices.draw(c, 16);
        float[][] t = tokens(m, 1, new Random(11));
        try (FdeEncoder filled = new FdeEncoder(m); FdeEncoder unfilled = new FdeEncoder(FdeMatrices.draw(c.withFillEmpty(false), 16))) {
            float[] d = filled.encodeDocument(t), q = filled.encodeQuery(t), u = unfilled.encodeDocument(t);
            for (int rep = 0; rep < 3; rep++) {
                int own = FdeReference.bucketOf(FdeReference.pattern(m, rep, t[0]), 3);
                for (int b = 0; b < 8; b++) {
                    for (int j = 0; j < 4; j++) {
                        float mine = d[(rep * 8 + own) * 4 + j];
                        assertEquals(mine, d[(rep * 8 + b) * 4 + j], 1e-6, "filled bucket " + b + " of rep " + rep);
                        if (b != own) {
                            assertEquals(0f, q[(rep * 8 + b) * 4 + j], "queries are never filled");
                            assertEquals(0f, u[(rep * 8 + b) * 4 + j], "fill=false leaves buckets empty");
                        }
                    }
                }
            }
        }
    }

    /** The final projection is a Count-Sketch of the raw FDE: sum of sign * raw over the coordinates mapped together. */
    @Test
    void finalProjectionIsACountSketchOfTheRawEncoding() {
        FdeConfig raw = FdeConfig.of(4, 2, 6);
        FdeMatrices sketched = FdeMatrices.draw(raw.withFinalDimension(10), 20);
        FdeMatrices plain = FdeMatrices.draw(raw, 20);
        float[][] t = tokens(sketched, 5, new Random(2));
        try (FdeEncoder a = new FdeEncoder(sketched); FdeEncoder b = new FdeEncoder(plain)) {
            float[] s = a.encodeDocument(t), full = b.encodeDocument(t);
            double[] want = new double[10];
            for (int i = 0; i < full.length; i++) want[sketched.sketchIndex()[i]] += sketched.sketchSign()[i] * full[i];
            for (int j = 0; j < 10; j++) assertEquals(want[j], s[j], 1e-4, "sketch coordinate " + j);
        }
    }

    /** Same seed, same matrices; the written file reads back identical and its shape is checked. */
    @Test
    void matricesAreSeededAndPersisted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        FdeConfig c = FdeConfig.of(3, 2, 5).withFinalDimension(11).withSeed(99);
        FdeMatrices a = FdeMatrices.draw(c, 7), b = FdeMatrices.draw(c, 7);
        assertArrayEquals(a.simhash(), b.simhash());
        assertArrayEquals(a.proj(), b.proj());
        assertArrayEquals(a.sketchIndex(), b.sketchIndex());
        assertFalse(java.util.Arrays.equals(a.simhash(), FdeMatrices.draw(c.withSeed(100), 7).simhash()));
        a.write(tmp.resolve("m.pvs"));
        FdeMatrices back = FdeMatrices.read(tmp.resolve("m.pvs"), c, 7);
        assertArrayEquals(a.simhash(), back.simhash());
        assertArrayEquals(a.proj(), back.proj());
        assertArrayEquals(a.sketchIndex(), back.sketchIndex());
        assertArrayEquals(a.sketchSign(), back.sketchSign());
        assertThrows(java.io.IOException.class, () -> FdeMatrices.read(tmp.resolve("m.pvs"), FdeConfig.of(4, 2, 5).withFinalDimension(11).withSeed(99), 7));
    }

    @Test
    void badTokenSetsAreRejectedWithAClearMessage() {
        try (FdeEncoder e = FdeEncoder.create(FdeConfig.of(2, 2, 4), 8)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> e.encodeQuery(new float[0][])).getMessage().contains("empty"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> e.encodeDocument(new float[][] {new float[7]}))
                    .getMessage().contains("dimension 7, expected 8"));
            float[] nan = new float[8];
            nan[3] = Float.NaN;
            assertTrue(assertThrows(IllegalArgumentException.class, () -> e.encodeDocument(new float[][] {new float[8], nan}))
                    .getMessage().contains("token 1 has a non-finite value (NaN) at index 3"));
            assertThrows(IllegalArgumentException.class, () -> e.encodeQuery(null));
        }
        assertThrows(IllegalArgumentException.class, () -> FdeConfig.parse("fde:r=0"));
        assertThrows(IllegalArgumentException.class, () -> FdeConfig.parse("fde:k=21"));
        assertThrows(IllegalArgumentException.class, () -> FdeConfig.parse("fde:x=1"));
        assertEquals(FdeConfig.of(7, 3, 9).withFinalDimension(64), FdeConfig.parse(FdeConfig.of(7, 3, 9).withFinalDimension(64).text()));
    }

    /**
     * The point of FDEs: on the shipped real data the query-document FDE inner product tracks exact Chamfer.
     * Reports the mean per-query Pearson correlation (ranking happens within a query) for a few settings.
     */
    @Test
    void fdeInnerProductCorrelatesWithChamferOnRealData() {
        float[][][] docs = MultiVectorData.sets("docs");
        float[][][] queries = MultiVectorData.sets("queries");
        double[][] chamfer = new double[queries.length][docs.length];
        for (int q = 0; q < queries.length; q++) {
            for (int d = 0; d < docs.length; d++) chamfer[q][d] = MultiVectorData.chamfer(queries[q], docs[d]);
        }
        for (FdeConfig c : new FdeConfig[] {FdeConfig.of(20, 5, 16), FdeConfig.of(10, 4, 16), FdeConfig.of(20, 3, 32).withFinalDimension(1024),
                FdeConfig.of(20, 5, 16).withNormalizedDocuments(true), FdeConfig.of(20, 3, 32).withNormalizedDocuments(true).withFinalDimension(2048)}) {
            try (FdeEncoder e = FdeEncoder.create(c, 384)) {
                float[][] df = new float[docs.length][];
                for (int d = 0; d < docs.length; d++) df[d] = e.encodeDocument(docs[d]);
                double sum = 0;
                for (int q = 0; q < queries.length; q++) {
                    float[] qf = e.encodeQuery(queries[q]);
                    double[] ip = new double[docs.length];
                    for (int d = 0; d < docs.length; d++) {
                        double s = 0;
                        for (int j = 0; j < qf.length; j++) s += (double) qf[j] * df[d][j];
                        ip[d] = s;
                    }
                    sum += pearson(ip, chamfer[q]);
                }
                double mean = sum / queries.length;
                System.out.printf("FDE %s (dim %d): mean per-query Pearson correlation with exact Chamfer %.3f (50 gloss queries x 400 docs)%n",
                        c, c.dimension(), mean);
                assertTrue(mean > 0.5, c + ": correlation " + mean);
            }
        }
    }

    private static double pearson(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
