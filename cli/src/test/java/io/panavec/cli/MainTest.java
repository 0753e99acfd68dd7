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

    static TestFiles.Run run(String... args) {
        return TestFiles.run(args);
    }

    static Path fvecs(Path p, int n, int dim, long seed) throws Exception {
        return TestFiles.fvecs(p, TestFiles.gaussian(n, dim, seed));
    }

    @Test
    void buildInfoSearchOnRealDataPrintsRecallQpsAndTexts() throws Exception {
        Path data = Path.of("..", "data", "wordnet-minilm-10k");
        Path idx = tmp.resolve("idx");
        TestFiles.Run b = run("build", "--input", data.resolve("base.fvecs").toString(), "--index", idx.toString(), "--metric", "ip");
        assertEquals(0, b.code(), b.err());
        TestFiles.Run i = run("info", "--index", idx.toString());
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("vectors:    10000"), i.out());
        TestFiles.Run s = run("search", "--index", idx.toString(), "--queries", data.resolve("queries.fvecs").toString(),
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
        TestFiles.Run b = run("build", "--input", base.toString(), "--index", idx.toString(), "--metric", "l2",
                "--spec", "hnsw:M=8,efc=40,quant=lvq8");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("hnsw:M=8,efc=40,quant=lvq8"), b.out());
        TestFiles.Run s = run("search", "--index", idx.toString(), "--queries", queries.toString(), "--k", "5", "--rerank", "40");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("strategies: {hnsw-codes:lvq8+rerank-float32=30}"), s.out());
        assertTrue(run("info", "--index", idx.toString()).out().contains("codes-"), "info lists the code file");
        TestFiles.Run ood = run("build", "--input", base.toString(), "--index", tmp.resolve("ood").toString(),
                "--spec", "flat:quant=leanvec-ood.8.lvq8");
        assertEquals(2, ood.code(), ood.out());
        assertTrue(ood.err().contains("--train-queries"), ood.err());
        TestFiles.Run oodOk = run("build", "--input", base.toString(), "--index", tmp.resolve("ood2").toString(),
                "--spec", "flat:quant=leanvec-ood.8.lvq8", "--train-queries", queries.toString());
        assertEquals(0, oodOk.code(), oodOk.err());
    }

    @Test
    void buildWithAttributesThenFilteredSearch() throws Exception {
        Path data = Path.of("..", "data", "wordnet-minilm-10k");
        Path idx = tmp.resolve("attrs");
        TestFiles.Run b = run("build", "--input", data.resolve("base.fvecs").toString(), "--index", idx.toString(), "--metric", "ip",
                "--spec", "hnsw:M=8,efc=40", "--attributes", data.resolve("attributes.tsv").toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("attributes: pos:keyword,lexname:keyword,synset_offset:int,lemma_count:int,gloss_chars:int,source_id:int"), b.out());
        TestFiles.Run s = run("search", "--index", idx.toString(), "--queries", data.resolve("queries.fvecs").toString(), "--k", "5",
                "--filter", "pos = 'n' AND gloss_chars < 40", "--texts", data.resolve("texts.tsv").toString(), "--show", "1");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("filter: (pos = 'n' AND gloss_chars < 40); strategies: {"), s.out());
        TestFiles.Run bad = run("search", "--index", idx.toString(), "--queries", data.resolve("queries.fvecs").toString(),
                "--filter", "pos = 'n' AND");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("position 13") && bad.err().contains("^"), bad.err());
        TestFiles.Run unknown = run("search", "--index", idx.toString(), "--queries", data.resolve("queries.fvecs").toString(),
                "--filter", "colour = 'red'");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown attribute 'colour'"), unknown.err());
    }

    @Test
    void hnswSpecBuildsAndSearches() throws Exception {
        Path in = fvecs(tmp.resolve("v.fvecs"), 500, 12, 1);
        Path idx = tmp.resolve("h");
        assertEquals(0, run("build", "--input", in.toString(), "--index", idx.toString(), "--spec", "hnsw:M=8,efc=50", "--metric", "l2").code());
        TestFiles.Run s = run("search", "--index", idx.toString(), "--queries", in.toString(), "--k", "1", "--ef", "50", "--threads", "2");
        assertEquals(0, s.code(), s.err());
    }

    @Test
    void errorsAreOneLineWithNonZeroExit() throws Exception {
        TestFiles.Run r = run("build", "--input", tmp.resolve("missing.fvecs").toString(), "--index", tmp.resolve("x").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("panavec: error: "), r.err());

        assertEquals(2, run("frobnicate").code());
        TestFiles.Run typo = run("info", "--index", "x", "--indx", "y");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("--indx"), typo.err());

        Path in = fvecs(tmp.resolve("v.fvecs"), 10, 4, 2);
        byte[] bytes = Files.readAllBytes(in);
        Files.write(tmp.resolve("t.fvecs"), java.util.Arrays.copyOf(bytes, bytes.length - 1));
        TestFiles.Run t = run("build", "--input", tmp.resolve("t.fvecs").toString(), "--index", tmp.resolve("t").toString());
        assertEquals(1, t.code());
        assertTrue(t.err().contains("truncated"), t.err());

        TestFiles.Run sp = run("build", "--input", in.toString(), "--index", tmp.resolve("s").toString(), "--spec", "faiss:Bogus42");
        assertEquals(1, sp.code());
        assertEquals(1, sp.err().strip().lines().count(), sp.err());
    }
}
