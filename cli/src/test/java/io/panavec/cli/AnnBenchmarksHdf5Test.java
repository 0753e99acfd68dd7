package io.panavec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static io.panavec.cli.TestFiles.run;
import static org.junit.jupiter.api.Assertions.*;

/** build, search and bench on an ann-benchmarks style HDF5 file written here, with a brute-force ground truth inside. */
class AnnBenchmarksHdf5Test {
    @TempDir
    Path tmp;

    Path hdf5() {
        return TestFiles.annBenchmarksHdf5(tmp.resolve("gauss-16-euclidean.hdf5"), TestFiles.gaussian(1500, 16, 1),
                TestFiles.gaussian(40, 16, 2), 10, "euclidean");
    }

    @Test
    void exactIndexFromHdf5FindsTheFilesNeighbours() {
        Path h = hdf5();
        Path idx = tmp.resolve("flat");
        TestFiles.Run b = run("build", "--input", h.toString(), "--index", idx.toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("(flat, L2, 1,500 vectors of dimension 16)"), "metric from the file's distance attribute: " + b.out());
        // Queries and ground truth both come from the file (test, neighbors): an exact search must agree exactly.
        TestFiles.Run s = run("search", "--index", idx.toString(), "--queries", h.toString(), "--passes", "1");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("queries: 40 from"), s.out());
        assertTrue(s.out().contains("recall@10: 1.0000 (against gauss-16-euclidean.hdf5)"), s.out());
        assertTrue(s.out().matches("(?s).*latency: p50 [0-9.]+ ms, p95 [0-9.]+ ms, p99 [0-9.]+ ms.*"), s.out());
    }

    @Test
    void benchSweepsEfAndWritesTableJsonAndPlot() throws Exception {
        Path h = hdf5();
        Path idx = tmp.resolve("hnsw");
        assertEquals(0, run("build", "--input", h.toString(), "--index", idx.toString(), "--spec", "hnsw:M=4,efc=16").code());
        Path out = tmp.resolve("results/run");
        TestFiles.Run r = run("bench", "--index", idx.toString(), "--queries", h.toString(), "--ef", "10,40,200",
                "--passes", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\|\\s+ef \\| recall@10\\s+\\|\\s+QPS \\|\\s+p50 ms \\|\\s+p95 ms \\|\\s+p99 ms \\|.*"), r.out());
        assertTrue(r.out().contains("load average before"), r.out());

        JsonNode json = new ObjectMapper().readTree(Files.readString(tmp.resolve("results/run.json")));
        assertEquals("ef", json.get("parameter").asText());
        assertEquals(10, json.get("k").asInt());
        assertEquals(3, json.get("points").size());
        double previousRecall = -1;
        for (JsonNode p : json.get("points")) {
            int ef = p.get("ef").asInt();
            double recall = p.get("recall").asDouble();
            assertTrue(recall >= 0 && recall <= 1);
            assertTrue(p.get("qps").asDouble() > 0);
            assertTrue(p.get("p50Millis").asDouble() <= p.get("p95Millis").asDouble()
                    && p.get("p95Millis").asDouble() <= p.get("p99Millis").asDouble(), p.toString());
            // The same search through `search` gives the same recall: the bench's recall is the search's.
            TestFiles.Run s = run("search", "--index", idx.toString(), "--queries", h.toString(), "--ef", Integer.toString(ef), "--passes", "1");
            assertTrue(s.out().contains(String.format(Locale.ROOT, "recall@10: %.4f", recall)), ef + ": " + recall + " vs\n" + s.out());
            assertTrue(r.out().contains(String.format(Locale.ROOT, "| %6d | %10.4f |", ef, recall)), r.out());
            previousRecall = Math.max(previousRecall, recall);
        }
        assertTrue(json.get("points").get(2).get("recall").asDouble() >= 0.95,
                "ef 200 over 1,500 rows is nearly exhaustive: " + json.get("points").get(2));

        BufferedImage png = ImageIO.read(tmp.resolve("results/run.png").toFile());
        assertNotNull(png, "a PNG");
        assertEquals(1100, png.getWidth());
        assertEquals(700, png.getHeight());

        // A second run drawn beside the first: --compare reads the first run's JSON.
        TestFiles.Run again = run("bench", "--index", idx.toString(), "--queries", h.toString(), "--ef", "20,80", "--passes", "1",
                "--out", tmp.resolve("second").toString(), "--compare", tmp.resolve("results/run.json").toString());
        assertEquals(0, again.code(), again.err());
        assertNotNull(ImageIO.read(tmp.resolve("second.png").toFile()));
    }

    @Test
    void benchNeedsGroundTruth() throws Exception {
        Path q = TestFiles.fvecs(tmp.resolve("q.fvecs"), TestFiles.gaussian(5, 16, 3));
        Path idx = tmp.resolve("flat");
        assertEquals(0, run("build", "--input", hdf5().toString(), "--index", idx.toString()).code());
        TestFiles.Run r = run("bench", "--index", idx.toString(), "--queries", q.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give --groundtruth"), r.err());
    }

    @Test
    void aFileWithoutTheDatasetSaysWhatItHas() throws Exception {
        Path h = tmp.resolve("other.hdf5");
        try (var f = io.jhdf.HdfFile.write(h)) {
            f.putDataset("vectors", TestFiles.gaussian(3, 4, 1));
        }
        TestFiles.Run r = run("build", "--input", h.toString(), "--index", tmp.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("has no 'train' dataset (it has [vectors]"), r.err());
    }
}
