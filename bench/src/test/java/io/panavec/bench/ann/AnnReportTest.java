package io.panavec.bench.ann;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnnReportTest {
    /** An engine that only has a name: the report needs nothing else. */
    private record Named(String name) implements AnnEngine {
        public String effortName() { return "ef"; }
        public double build(float[][] base, int threads) { return 0; }
        public double bytesPerVector() { return 0; }
        public String bytesNote() { return "none"; }
        public int[] search(float[] query, int k, int effort) { return new int[0]; }
        public void close() {}
    }

    private static Curve curve(String name, CurvePoint... points) {
        Curve c = new Curve(name);
        for (CurvePoint p : points) c.add(p);
        return c;
    }

    @Test
    void ratiosUseEachEnginesFirstPointAtRecall095AndJudgeTheBars() {
        List<AnnReport.Built> built = List.of(
                new AnnReport.Built(new Named("panavec-hnsw"), 10, 1700),
                new AnnReport.Built(new Named("lucene-hnsw"), 20, 1700),
                new AnnReport.Built(new Named("jvector"), 30, 1700),
                new AnnReport.Built(new Named("faiss HNSW32"), 5, 1800),
                new AnnReport.Built(new Named("faiss HNSW16"), 5, 1700));
        Map<String, Curve> bySet = new LinkedHashMap<>();
        bySet.put("panavec-hnsw", curve("panavec-hnsw", new CurvePoint(32, 0.94, 9000), new CurvePoint(48, 0.96, 3000)));
        bySet.put("lucene-hnsw", curve("lucene-hnsw", new CurvePoint(48, 0.95, 1000), new CurvePoint(64, 0.97, 800)));
        bySet.put("jvector", curve("jvector", new CurvePoint(48, 0.955, 2800)));
        bySet.put("faiss HNSW32", curve("faiss HNSW32", new CurvePoint(64, 0.951, 1200)));
        bySet.put("faiss HNSW16", curve("faiss HNSW16", new CurvePoint(64, 0.90, 4000)));
        String md = AnnReport.ratios(built, bySet);
        assertTrue(md.contains("| lucene-hnsw | 3.00x | 2.0x | yes |"), md);
        assertTrue(md.contains("| jvector | 1.07x | 1.2x | no |"), md);
        assertTrue(md.contains("| faiss HNSW32 | 2.50x | 2.0x | yes |"), md);
        // a bar is met only when both engines reached the target
        assertTrue(md.contains("| faiss HNSW16 | n/a (faiss HNSW16 never reached 0.95) | 2.0x | no (not measured at 0.95) |"), md);
        assertTrue(md.contains("| lucene-hnsw | n/a (neither reached 0.99) | 2.0x | no (not measured at 0.99) |"), md);
        assertTrue(md.contains("| best FAISS config | 2.50x | 2.0x | yes |"), md);
        assertTrue(md.contains("| build time vs Lucene | 0.50x of Lucene's | ≤ 1.0x | yes |"), md);
    }

    @Test
    void everyPanavecEngineGetsItsOwnTable() {
        List<AnnReport.Built> built = List.of(
                new AnnReport.Built(new Named("panavec-hnsw"), 10, 1700),
                new AnnReport.Built(new Named("panavec-hnsw-lvq4x8"), 30, 700),
                new AnnReport.Built(new Named("lucene-hnsw"), 20, 1700));
        Map<String, Curve> bySet = new LinkedHashMap<>();
        bySet.put("panavec-hnsw", curve("panavec-hnsw", new CurvePoint(48, 0.96, 3000)));
        bySet.put("panavec-hnsw-lvq4x8", curve("panavec-hnsw-lvq4x8", new CurvePoint(48, 0.96, 6000)));
        bySet.put("lucene-hnsw", curve("lucene-hnsw", new CurvePoint(48, 0.95, 1000)));
        String md = AnnReport.ratios(built, bySet);
        assertTrue(md.contains("panavec-hnsw: QPS over"), md);
        assertTrue(md.contains("panavec-hnsw-lvq4x8: QPS over"), md);
        assertTrue(md.contains("| lucene-hnsw | 3.00x | 2.0x | yes |"), md);
        assertTrue(md.contains("| lucene-hnsw | 6.00x | 2.0x | yes |"), md);
        assertTrue(md.contains("panavec-hnsw-lvq4x8: QPS over each engine's at recall@10 ≥ 0.99"), md);
        assertTrue(md.contains("| build time vs Lucene | 1.50x of Lucene's | ≤ 1.0x | no |"), md);
    }

    @Test
    void aRunWithoutLuceneHasNoBuildTimeRowAndStillJudgesTheOthers() {
        List<AnnReport.Built> built = List.of(
                new AnnReport.Built(new Named("panavec-hnsw"), 10, 1700),
                new AnnReport.Built(new Named("faiss HNSW32"), 5, 1800));
        Map<String, Curve> bySet = new LinkedHashMap<>();
        bySet.put("panavec-hnsw", curve("panavec-hnsw", new CurvePoint(48, 0.96, 3000)));
        bySet.put("faiss HNSW32", curve("faiss HNSW32", new CurvePoint(48, 0.96, 1000)));
        String md = AnnReport.ratios(built, bySet);
        assertTrue(md.contains("| faiss HNSW32 | 3.00x | 2.0x | yes |"), md);
        assertFalse(md.contains("build time vs Lucene"), md);
    }

    @Test
    void anEngineLeavesTheSweepOnceItsRecallStopsRising() {
        assertFalse(AnnReport.stoppedRising(curve("e", new CurvePoint(10, 0.90, 1), new CurvePoint(16, 0.95, 1))));
        assertFalse(AnnReport.stoppedRising(curve("e", new CurvePoint(10, 0.90, 1), new CurvePoint(16, 0.9995, 1), new CurvePoint(24, 0.9999, 1))));
        assertTrue(AnnReport.stoppedRising(curve("e", new CurvePoint(10, 0.9990, 1), new CurvePoint(16, 0.9995, 1), new CurvePoint(24, 0.9999, 1))));
        assertFalse(AnnReport.stoppedRising(curve("e", new CurvePoint(10, 0.97, 1), new CurvePoint(16, 0.9705, 1), new CurvePoint(24, 0.98, 1))));
    }

    @Test
    void anEngineLeavesTheSweepOnceItReachedTheStopRecall() {
        assertFalse(AnnReport.leftTheSweep(curve("e", new CurvePoint(10, 0.90, 1), new CurvePoint(16, 0.95, 1)), 0.99));
        assertTrue(AnnReport.leftTheSweep(curve("e", new CurvePoint(10, 0.95, 1), new CurvePoint(16, 0.991, 1)), 0.99));
        assertFalse(AnnReport.leftTheSweep(curve("e", new CurvePoint(10, 0.95, 1), new CurvePoint(16, 0.991, 1)), 1.01));
        // a plateau below the stop recall ends the sweep too
        assertTrue(AnnReport.leftTheSweep(curve("e", new CurvePoint(10, 0.9700, 1), new CurvePoint(16, 0.9705, 1), new CurvePoint(24, 0.9709, 1)), 0.99));
    }

    @Test
    void querySetsAreEveryVectorFileWithAGroundTruthQueriesFirst(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        for (String f : List.of("base.fvecs", "queries.fvecs", "queries-groundtruth.ivecs", "a-words.fvecs", "a-words-groundtruth.ivecs",
                "lonely.fvecs", "orphan-groundtruth.ivecs")) {
            java.nio.file.Files.createFile(dir.resolve(f));
        }
        assertEquals(List.of("queries", "a-words"), AnnReport.querySetNames(dir));
        assertEquals(dir.getFileName().toString(), AnnReport.dataName(dir));
    }
}
