package io.panavec.faiss;

import io.panavec.internal.NativeMetric;
import io.panavec.bindings.PanavecNativeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * efConstruction reaches FAISS's graph: two builds of the same rows that differ only in it give different
 * graphs (file bytes), and the narrow build beam gives the worse graph (recall at the same search beam,
 * against brute force); the same setting twice gives the same graph.
 */
class FaissEfConstructionTest {
    private static final int N = 3000, DIM = 16, NQ = 100, K = 10, EF_SEARCH = 16;

    @Test
    void theBuildBeamShapesTheGraph(@TempDir Path dir) throws Exception {
        float[][] base = BruteForce.clustered(N, DIM, 30, 3);
        float[][] queries = BruteForce.clustered(NQ, DIM, 30, 4);
        byte[] narrow = build(base, 1, dir.resolve("efc1.index"));
        byte[] narrowAgain = build(base, 1, dir.resolve("efc1-again.index"));
        byte[] wide = build(base, 200, dir.resolve("efc200.index"));
        assertArrayEquals(narrow, narrowAgain, "one setting, one graph (FAISS HNSW adds deterministically on one thread)");
        assertFalse(Arrays.equals(narrow, wide), "efConstruction 1 and 200 built the same graph: the setting did not reach FAISS");
        double rNarrow = recall(dir.resolve("efc1.index"), base, queries), rWide = recall(dir.resolve("efc200.index"), base, queries);
        System.out.printf("FAISS HNSW16 recall@%d at efSearch %d: efConstruction 1 %.3f, 200 %.3f%n", K, EF_SEARCH, rNarrow, rWide);
        assertTrue(rWide > rNarrow + 0.05, "recall with efConstruction 200: " + rWide + ", with 1: " + rNarrow);
    }

    private static byte[] build(float[][] base, int efConstruction, Path file) throws Exception {
        FaissIndex.setThreads(1);
        try (FaissIndex hnsw = FaissIndex.create(DIM, "HNSW16,Flat", NativeMetric.L2)) {
            hnsw.setEfConstruction(efConstruction);
            hnsw.add(base);
            hnsw.save(file);
        } finally {
            FaissIndex.setThreads(0);
        }
        return Files.readAllBytes(file);
    }

    private static double recall(Path file, float[][] base, float[][] queries) {
        try (FaissIndex index = FaissIndex.load(file, NativeMetric.L2)) {
            double sum = 0;
            for (float[] q : queries) {
                List<BruteForce.Hit> truth = BruteForce.topK(NativeMetric.L2, base, q, K);
                sum += BruteForce.recall(truth, index.search(q, K, SearchParams.defaults().withEfSearch(EF_SEARCH)));
            }
            return sum / queries.length;
        }
    }

    @Test
    void otherIndexesAndBadValuesAreRefused() {
        try (FaissIndex hnsw = FaissIndex.create(8, "HNSW16,Flat", NativeMetric.L2); FaissIndex flat = FaissIndex.create(8, "Flat", NativeMetric.L2)) {
            PanavecNativeException e = assertThrows(PanavecNativeException.class, () -> flat.setEfConstruction(100));
            assertEquals(2, e.status());
            assertTrue(e.getMessage().contains("no HNSW layer"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> hnsw.setEfConstruction(0));
        }
    }
}
