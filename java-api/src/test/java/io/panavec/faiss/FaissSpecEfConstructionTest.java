package io.panavec.faiss;

import io.panavec.IndexSpec;
import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The index spec {@code faiss:HNSW16,Flat,efc=N} reaches FAISS's build beam: the narrow beam gives the
 * worse graph (recall at the same search beam, against brute force), the spec survives reopen, and
 * efc on a factory without an HNSW layer, or an unknown or bad parameter, is refused before any file is written.
 */
class FaissSpecEfConstructionTest {
    private static final int N = 3000, DIM = 16, NQ = 100, K = 10, EF_SEARCH = 16;

    @Test
    void theSpecsBuildBeamShapesTheGraphAndSurvivesReopen(@TempDir Path tmp) throws Exception {
        float[][] base = BruteForce.clustered(N, DIM, 30, 3);
        float[][] queries = BruteForce.clustered(NQ, DIM, 30, 4);
        double narrow = buildAndRecall(tmp.resolve("efc1"), "faiss:HNSW16,Flat,efc=1", base, queries);
        double wide = buildAndRecall(tmp.resolve("efc200"), "faiss:HNSW16,Flat,efc=200", base, queries);
        System.out.printf("faiss:HNSW16,Flat recall@%d at efSearch %d: efc=1 %.3f, efc=200 %.3f%n", K, EF_SEARCH, narrow, wide);
        assertTrue(wide > narrow + 0.05, "recall with efc=200: " + wide + ", with efc=1: " + narrow);
        try (PanavecIndex index = PanavecIndex.open(tmp.resolve("efc200"))) {
            assertEquals(new IndexSpec.Faiss("HNSW16,Flat", 200), index.spec());
            assertEquals("faiss:HNSW16,Flat,efc=200", index.spec().text());
        }
    }

    private static double buildAndRecall(Path dir, String spec, float[][] base, float[][] queries) throws Exception {
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec(spec).threads(1).create()) {
            index.add(LongStream.range(0, N).toArray(), base);
            index.commit();
            double sum = 0;
            for (float[] q : queries) {
                Set<Long> truth = new HashSet<>();
                for (BruteForce.Hit h : BruteForce.topK(io.panavec.internal.NativeMetric.L2, base, q, K)) truth.add(h.id());
                List<SearchHit> hits = index.search(SearchRequest.of(q, K).withEfSearch(EF_SEARCH)).hits();
                sum += hits.stream().filter(h -> truth.contains(h.id())).count() / (double) K;
            }
            return sum / queries.length;
        }
    }

    @Test
    void badEfcIsRefusedBeforeAnyFile(@TempDir Path tmp) {
        assertEquals(new IndexSpec.Faiss("HNSW32,Flat", 0), IndexSpec.parse("faiss:HNSW32,Flat"));
        assertEquals(new IndexSpec.Faiss("HNSW32,SQ8", 64), IndexSpec.parse("faiss:HNSW32,SQ8,efc=64"));
        assertEquals("faiss:IVF16,Flat", IndexSpec.parse("faiss:IVF16,Flat").text());
        for (String bad : List.of("faiss:HNSW16,Flat,efc=0", "faiss:HNSW16,Flat,efc=x", "faiss:HNSW16,Flat,efs=10", "faiss:efc=10")) {
            assertThrows(IllegalArgumentException.class, () -> IndexSpec.parse(bad), bad);
        }
        Path dir = tmp.resolve("ivf");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("faiss:IVF16,Flat,efc=100").create());
        assertTrue(e.getMessage().contains("HNSW"), e.getMessage());
        assertFalse(Files.exists(dir), "a refused spec wrote " + dir);
    }
}
