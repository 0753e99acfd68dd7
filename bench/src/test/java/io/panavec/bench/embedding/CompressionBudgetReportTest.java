package io.panavec.bench.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's measurements on the shipped 10k cut: float32 must come out exact, a lossy method below it. */
class CompressionBudgetReportTest {
    @TempDir
    Path tmp;

    @Test
    void float32IsExactAndHashingLosesNeighbours() throws Exception {
        try (KeyedTable source = KeyedTable.wordnet(Path.of("..", "data", "wordnet-minilm-10k"))) {
            assertEquals(10_000, source.size());
            assertTrue(source.keys()[0] >= 100_000_000L && source.keys()[0] < 600_000_000L, "synset numbers: pos digit * 10^8 + offset");
            int nq = 20;
            int[] rows = new Random(1).ints(0, source.size()).distinct().limit(nq).toArray();
            float[][] queries = new float[nq][];
            for (int i = 0; i < nq; i++) queries[i] = source.file().read(rows[i]);
            CompressionBudgetReport.Truth truth = CompressionBudgetReport.truth(source, queries, rows);
            for (int q = 0; q < nq; q++) {
                assertEquals(CompressionBudgetReport.K, truth.rows()[q].length);
                for (long r : truth.rows()[q]) assertTrue(r != rows[q], "the query's own key is left out");
            }
            CompressionBudgetReport.Result f32, hashed;
            try (CompressedTable t = CompressedTable.build("f32", source, tmp.resolve("f32"), 1000, 7)) {
                f32 = CompressionBudgetReport.measure(t, source, queries, rows, truth);
            }
            try (CompressedTable t = CompressedTable.build("hash8:int8", source, tmp.resolve("hash"), 1000, 7)) {
                hashed = CompressionBudgetReport.measure(t, source, queries, rows, truth);
            }
            assertEquals(1.0, f32.recall(), 0.0);
            assertEquals(1.0, f32.meanCosine(), 1e-6);
            assertEquals(0.0, f32.relL2(), 1e-6);
            assertEquals(4.0 * 384, f32.bytesPerKey(), 0.0);
            assertTrue(hashed.recall() < 0.5 && hashed.meanCosine() < 0.9, "8 keys a row: " + hashed);
            assertTrue(hashed.bytesPerKey() < 60, "1/8 of the int8 rows: " + hashed.bytesPerKey());
            assertEquals("hash8:int8", CompressionBudgetReport.recommended(List.of(f32, hashed), 100).method());
            assertEquals("f32", CompressionBudgetReport.recommended(List.of(f32, hashed), 1536).method());
            assertNull(CompressionBudgetReport.recommended(List.of(f32, hashed), 8));
        }
    }
}
