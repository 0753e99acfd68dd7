package io.panavec.bench.ann;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        assertTrue(md.contains("| lucene-hnsw | 3.00x | 1.5x | yes |"), md);
        assertTrue(md.contains("| jvector | 1.07x | 1.2x | no |"), md);
        assertTrue(md.contains("| faiss HNSW32 | 2.50x | 2.0x | yes |"), md);
        assertTrue(md.contains("| faiss HNSW16 | n/a (faiss HNSW16 never reached 0.95)"), md);
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
        assertTrue(md.contains("| lucene-hnsw | 3.00x | 1.5x | yes |"), md);
        assertTrue(md.contains("| lucene-hnsw | 6.00x | 1.5x | yes |"), md);
        assertTrue(md.contains("| build time vs Lucene | 1.50x of Lucene's | ≤ 1.0x | no |"), md);
    }
}
