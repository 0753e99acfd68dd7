package io.panavec.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class MainTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path fvecs(Path p, int n, int dim, long seed) throws Exception {
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(n * (4 + dim * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putInt(dim);
            for (int j = 0; j < dim; j++) b.putFloat((float) r.nextGaussian());
        }
        Files.write(p, b.array());
        return p;
    }

    @Test
    void buildInfoSearchOnRealDataPrintsRecallQpsAndTexts() throws Exception {
        Path data = Path.of("..", "data", "wordnet-minilm-10k");
        Path idx = tmp.resolve("idx");
        Run b = run("build", "--input", data.resolve("base.fvecs").toString(), "--index", idx.toString(), "--metric", "ip");
        assertEquals(0, b.code(), b.err());
        Run i = run("info", "--index", idx.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("vectors:    10000"), i.out());
        Run s = run("search", "--index", idx.toString(), "--queries", data.resolve("queries.fvecs").toString(),
                "--groundtruth", data.resolve("queries-groundtruth.ivecs").toString(), "--texts", data.resolve("texts.tsv").toString(),
                "--query-texts", data.resolve("queries.tsv").toString(), "--show", "2");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("recall@10: 1.0000"), s.out());
        assertTrue(s.out().contains("QPS: "), s.out());
        assertTrue(s.out().contains("query 0: someone who rows a boat"), s.out());
    }

    @Test
    void quantizedBuildAndSearchWithRerank() throws Exception {
        Path base = fvecs(tmp.resolve("base.fvecs"), 1500, 24, 3);
        Path queries = fvecs(tmp.resolve("q.fvecs"), 30, 24, 4);
        Path idx = tmp.resolve("quant");
        Run b = run("build", "--input", base.toString(), "--index", idx.toString(), "--metric", "l2",
                "--spec", "hnsw:M=8,efc=40,quant=lvq8");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("hnsw:M=8,efc=40,quant=lvq8"), b.out());
        Run s = run("search", "--index", idx.toString(), "--queries", queries.toString(), "--k", "5", "--rerank", "40");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("strategies: {hnsw-codes:lvq8+rerank-float32=30}"), s.out());
        assertTrue(run("info", "--index", idx.toString()).out().contains("codes-"), "info lists the code file");
        Run ood = run("build", "--input", base.toString(), "--index", tmp.resolve("ood").toString(),
                "--spec", "flat:quant=leanvec-ood.8.lvq8");
        assertEquals(2, ood.code(), ood.out());
        assertTrue(ood.err().contains("--train-queries"), ood.err());
        Run oodOk = run("build", "--input", base.toString(), "--index", tmp.resolve("ood2").toString(),
                "--spec", "flat:quant=leanvec-ood.8.lvq8", "--train-queries", queries.toString());
        assertEquals(0, oodOk.code(), oodOk.err());
    }

    @Test
    void buildWithAttributesThenFilteredSearch() throws Exception {
        Path data = Path.of("..", "data", "wordnet-minilm-10k");
        Path idx = tmp.resolve("attrs");
        Run b = run("build", "--input", data.resolve("base.fvecs").toString(), "--index", idx.toString(), "--metric", "ip",
                "--spec", "hnsw:M=8,efc=40", "--attributes", data.resolve("attributes.tsv").toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("attributes: pos:keyword,lexname:keyword,synset_offset:int,lemma_count:int,gloss_chars:int,source_id:int"), b.out());
        Run s = run("search", "--index", idx.toString(), "--queries", data.resolve("queries.fvecs").toString(), "--k", "5",
                "--filter", "pos = 'n' AND gloss_chars < 40", "--texts", data.resolve("texts.tsv").toString(), "--show", "1");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("filter: (pos = 'n' AND gloss_chars < 40); strategies: {"), s.out());
        Run bad = run("search", "--index", idx.toString(), "--queries", data.resolve("queries.fvecs").toString(),
                "--filter", "pos = 'n' AND");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("position 13") && bad.err().contains("^"), bad.err());
        Run unknown = run("search", "--index", idx.toString(), "--queries", data.resolve("queries.fvecs").toString(),
                "--filter", "colour = 'red'");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown attribute 'colour'"), unknown.err());
    }

    @Test
    void hnswSpecBuildsAndSearches() throws Exception {
        Path in = fvecs(tmp.resolve("v.fvecs"), 500, 12, 1);
        Path idx = tmp.resolve("h");
        assertEquals(0, run("build", "--input", in.toString(), "--index", idx.toString(), "--spec", "hnsw:M=8,efc=50", "--metric", "l2").code());
        Run s = run("search", "--index", idx.toString(), "--queries", in.toString(), "--k", "1", "--ef", "50", "--threads", "2");
        assertEquals(0, s.code(), s.err());
    }

    @Test
    void errorsAreOneLineWithNonZeroExit() throws Exception {
        Run r = run("build", "--input", tmp.resolve("missing.fvecs").toString(), "--index", tmp.resolve("x").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("panavec: error: "), r.err());

        assertEquals(2, run("build", "--input", "a.fvecs").code(), "missing --index");
        assertEquals(2, run("frobnicate").code());
        Run typo = run("info", "--index", "x", "--indx", "y");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("--indx"), typo.err());
        assertEquals(2, run("search", "--index", "x", "--queries", "q", "--k", "0").code());

        Path in = fvecs(tmp.resolve("v.fvecs"), 10, 4, 2);
        byte[] bytes = Files.readAllBytes(in);
        Files.write(tmp.resolve("t.fvecs"), java.util.Arrays.copyOf(bytes, bytes.length - 1));
        Run t = run("build", "--input", tmp.resolve("t.fvecs").toString(), "--index", tmp.resolve("t").toString());
        assertEquals(1, t.code());
        assertTrue(t.err().contains("truncated"), t.err());

        Run sp = run("build", "--input", in.toString(), "--index", tmp.resolve("s").toString(), "--spec", "faiss:Bogus42");
        assertEquals(1, sp.code());
        assertEquals(1, sp.err().strip().lines().count(), sp.err());
    }
}
