package io.panavec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static io.panavec.cli.TestFiles.run;
import static org.junit.jupiter.api.Assertions.*;

/** JSON lines input with attributes, .npy ground truth, search --json, and refusals that name the problem. */
class InputFormatsTest {
    @TempDir
    Path tmp;

    /** JSON lines with ids 1000+i, a keyword, an int and a keywords attribute; returns the vectors. */
    float[][] jsonLines(Path p, int n, int dim) throws Exception {
        float[][] v = TestFiles.gaussian(n, dim, 5);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            StringBuilder vec = new StringBuilder();
            for (int j = 0; j < dim; j++) vec.append(j == 0 ? "" : ",").append(v[i][j]);
            b.append(String.format(Locale.ROOT, "{\"id\": %d, \"vector\": [%s], \"attributes\": {\"colour\": \"%s\", \"size\": %d, \"tags\": [\"t%d\"]}}%n",
                    1000 + i, vec, i % 3 == 0 ? "red" : "blue", i % 10, i % 2));
            if (i == 5) b.append("\n"); // blank lines are skipped
        }
        Files.writeString(p, b.toString());
        return v;
    }

    @Test
    void jsonLinesWithIdsAndAttributesBuildAFilterableIndex() throws Exception {
        Path in = tmp.resolve("v.jsonl");
        float[][] v = jsonLines(in, 300, 8);
        Path idx = tmp.resolve("idx");
        TestFiles.Run b = run("build", "--input", in.toString(), "--index", idx.toString(), "--metric", "l2");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("attributes: colour:keyword,size:int,tags:keywords"), b.out());

        float[][] queries = java.util.Arrays.copyOf(v, 20);
        Path q = TestFiles.fvecs(tmp.resolve("q.fvecs"), queries);
        TestFiles.Run s = run("search", "--index", idx.toString(), "--queries", q.toString(), "--k", "5", "--json",
                "--filter", "colour = 'red' AND size < 5", "--passes", "1");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.err().contains("filter: "), "the summary goes to standard error with --json: " + s.err());
        List<String> lines = s.out().lines().toList();
        assertEquals(20, lines.size(), s.out());
        ObjectMapper json = new ObjectMapper();
        for (int qi = 0; qi < lines.size(); qi++) {
            JsonNode line = json.readTree(lines.get(qi));
            assertEquals(qi, line.get("query").asInt());
            assertEquals(5, line.get("hits").size(), "k hits: 30 rows match");
            // Oracle: the filter over the attributes written above, by id.
            for (JsonNode h : line.get("hits")) {
                int row = h.get("id").asInt() - 1000;
                assertTrue(row >= 0 && row < 300, "ids come from the file: " + h);
                assertTrue(row % 3 == 0 && row % 10 < 5, "hit " + row + " fails the filter");
            }
            // Query qi is row qi: when it matches the filter it is its own nearest hit, at distance 0.
            if (qi % 3 == 0 && qi % 10 < 5) {
                assertEquals(1000 + qi, line.get("hits").get(0).get("id").asInt(), lines.get(qi));
                assertEquals(0.0, line.get("hits").get(0).get("score").asDouble(), 1e-9);
            }
        }
    }

    @Test
    void jsonLinesErrorsNameTheLine() throws Exception {
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"id\": 1, \"vector\": [1, 2]}\n{\"id\": 2, \"vector\": [1, 2, 3]}\n");
        TestFiles.Run r = run("build", "--input", bad.toString(), "--index", tmp.resolve("x").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.jsonl line 2: vector has 3 values, the first has 2"), r.err());
        Files.writeString(bad, "{\"id\": 1, \"vector\": [1, 2], \"colour\": \"red\"}\n");
        r = run("build", "--input", bad.toString(), "--index", tmp.resolve("y").toString());
        assertTrue(r.err().contains("line 1: unknown field \"colour\""), r.err());
        Files.writeString(bad, "{\"vector\": [1, 2], \"attributes\": {\"a\": 1}}\n{\"vector\": [1, 2], \"attributes\": {\"a\": \"x\"}}\n");
        r = run("build", "--input", bad.toString(), "--index", tmp.resolve("z").toString());
        assertTrue(r.err().contains("attribute 'a' is a keyword here and a int before"), r.err());
        Files.writeString(bad, "{\"vector\": [1, 2,\n");
        r = run("build", "--input", bad.toString(), "--index", tmp.resolve("w").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.jsonl line 1"), r.err());
    }

    static Path npyInts(Path p, String descr, int[][] rows) throws Exception {
        int k = rows[0].length, width = descr.endsWith("8") ? 8 : 4;
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows.length + ", " + k + "), }";
        header += " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + rows.length * k * width).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int[] r : rows) for (int x : r) {
            if (width == 8) b.putLong(x); else b.putInt(x);
        }
        return Files.write(p, b.array());
    }

    @Test
    void npyGroundTruthGivesTheSameRecallAsIvecs() throws Exception {
        float[][] base = TestFiles.gaussian(400, 8, 7), queries = TestFiles.gaussian(15, 8, 8);
        int[][] truth = TestFiles.bruteForceL2(base, queries, 10, null);
        Path idx = tmp.resolve("idx");
        assertEquals(0, run("build", "--input", TestFiles.fvecs(tmp.resolve("b.fvecs"), base).toString(), "--index", idx.toString(),
                "--metric", "l2").code());
        String q = TestFiles.fvecs(tmp.resolve("q.fvecs"), queries).toString();
        for (Path gt : List.of(TestFiles.ivecs(tmp.resolve("gt.ivecs"), truth), npyInts(tmp.resolve("gt4.npy"), "<i4", truth),
                npyInts(tmp.resolve("gt8.npy"), "<i8", truth))) {
            TestFiles.Run s = run("search", "--index", idx.toString(), "--queries", q, "--groundtruth", gt.toString(), "--passes", "1");
            assertEquals(0, s.code(), s.err());
            assertTrue(s.out().contains("recall@10: 1.0000"), gt + ": " + s.out());
        }
        // A wrong ground truth must show as a wrong recall, not pass: shift every id by one.
        int[][] wrong = new int[truth.length][];
        for (int i = 0; i < truth.length; i++) wrong[i] = java.util.Arrays.stream(truth[i]).map(x -> (x + 1) % 400).toArray();
        TestFiles.Run w = run("search", "--index", idx.toString(), "--queries", q, "--groundtruth",
                npyInts(tmp.resolve("wrong.npy"), "<i4", wrong).toString(), "--passes", "1");
        assertFalse(w.out().contains("recall@10: 1.0000"), w.out());
    }

    @Test
    void aGroundTruthOfAnotherKindIsRefusedByName() throws Exception {
        float[][] base = TestFiles.gaussian(50, 4, 1);
        Path b = TestFiles.fvecs(tmp.resolve("b.fvecs"), base);
        Path idx = tmp.resolve("idx");
        assertEquals(0, run("build", "--input", b.toString(), "--index", idx.toString()).code());
        TestFiles.Run r = run("search", "--index", idx.toString(), "--queries", b.toString(), "--groundtruth", b.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("expected .ivecs, .npy or .hdf5 (ann-benchmarks neighbors) ground truth, got .fvecs"), r.err());
        TestFiles.Run f = run("search", "--index", idx.toString(), "--queries", b.toString(), "--groundtruth", tmp.resolve("gt.ivecs").toString());
        assertEquals(1, f.code());
        assertTrue(f.err().contains("no such file: " + tmp.resolve("gt.ivecs")), f.err());
    }

    @Test
    void missingFilesSayNoSuchFile() {
        String missing = tmp.resolve("missing.fvecs").toString();
        TestFiles.Run r = run("build", "--input", missing, "--index", tmp.resolve("x").toString());
        assertEquals(1, r.code());
        assertEquals("panavec: error: no such file: " + missing, r.err().strip());
        TestFiles.Run i = run("info", "--index", tmp.resolve("nothing").toString());
        assertEquals(1, i.code());
        assertTrue(i.err().contains("no such directory: "), i.err());
        TestFiles.Run t = run("build", "--input", tmp.toString(), "--index", tmp.resolve("y").toString());
        assertTrue(t.err().contains("is a directory, expected a file"), t.err());
    }

    @Test
    void progressInALogHasNoCarriageReturns() throws Exception {
        Path in = TestFiles.fvecs(tmp.resolve("v.fvecs"), TestFiles.gaussian(9000, 4, 3));
        TestFiles.Run r = run("build", "--input", in.toString(), "--index", tmp.resolve("idx").toString(), "--spec", "hnsw:M=4,efc=8");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("\r"), "no carriage returns when standard error is not a terminal");
        assertFalse(r.err().contains("\u001b["), "no escape codes either");
        assertTrue(r.err().contains("add 100% [") && r.err().contains("9000/9000 vectors"), r.err());
        assertTrue(r.err().contains("vectors/s"), "a rate: " + r.err());
        assertTrue(r.err().contains("commit: done in "), r.err());
        assertTrue(r.out().contains("index size: "), r.out());
    }

    @Test
    void sizesReadAsPeopleWriteThem() throws Exception {
        assertEquals("812 B", Sizes.human(812));
        assertEquals("1.00 KiB", Sizes.human(1024));
        assertEquals("15.0 MiB", Sizes.human(15L << 20));
        assertEquals("193 MiB", Sizes.human(193L << 20));
        assertEquals("1.00 MiB", Sizes.human((1L << 20) - 1), "rounds up into the next unit, not to 1024 KiB");
        assertEquals("1.21 GiB", Sizes.human((long) (1.21 * (1L << 30))));
        // A sparse file: 64 MiB long, one 4 KiB block written.
        Path sparse = tmp.resolve("sparse.bin");
        try (var ch = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.wrap(new byte[4096]).put(0, (byte) 1), (64L << 20) - 4096);
        }
        String d = Sizes.describe(sparse);
        assertTrue(Sizes.onDisk(sparse).isPresent(), "disk use known on Linux");
        assertTrue(d.endsWith("on disk, 64.0 MiB apparent"), d);
        Path dense = Files.write(tmp.resolve("dense.bin"), new byte[3 << 20]);
        assertEquals("3.00 MiB", Sizes.describe(dense));
    }
}
