package io.panavec.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** build --multi and search --multi on the shipped multi-vector cut, against its exact Chamfer ground truth. */
class MultiVectorCommandTest {
    @TempDir
    Path tmp;

    private static double recall(String out) {
        Matcher m = Pattern.compile("recall@10: ([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void buildAndSearchTokenSets() {
        Path data = Path.of("..", "data", "wordnet-minilm-multivector-400");
        Path idx = tmp.resolve("mv");
        TestFiles.Run b = TestFiles.run("build", "--multi", "--input", data.resolve("docs.tokens.npy").toString(), "--offsets",
                data.resolve("docs.offsets.ivecs").toString(), "--index", idx.toString(), "--type", "f16", "--spec", "hnsw:M=16,efc=100",
                "--fde", "fde:r=20,k=5,d=16", "--threads", "2");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("400 documents, 7,253 token vectors of dimension 384"), b.out());
        String[] search = {"search", "--multi", "--index", idx.toString(), "--queries", data.resolve("queries.tokens.npy").toString(),
                "--query-offsets", data.resolve("queries.offsets.ivecs").toString(), "--groundtruth",
                data.resolve("queries-chamfer-groundtruth.ivecs").toString(), "--passes", "1"};
        TestFiles.Run exact = TestFiles.run(TestFiles.concat(search, "--exact"));
        assertEquals(0, exact.code(), exact.err());
        assertEquals(1.0, recall(exact.out()), 1e-9, exact.out());
        assertTrue(exact.out().contains("documents re-ranked per query: 400.0"), exact.out());
        TestFiles.Run muvera = TestFiles.run(TestFiles.concat(search, "--candidates", "100"));
        assertEquals(0, muvera.code(), muvera.err());
        assertTrue(recall(muvera.out()) >= 0.85, muvera.out()); // the flat FDE scan reaches 0.928 at 100 candidates (MultiVectorIndexTest)
        assertTrue(muvera.out().contains("documents re-ranked per query: 100.0"), muvera.out());

        TestFiles.Run noOffsets = TestFiles.run("build", "--multi", "--input", data.resolve("docs.tokens.npy").toString(), "--index",
                tmp.resolve("x").toString());
        assertEquals(2, noOffsets.code());
        assertTrue(noOffsets.err().contains("--multi needs --offsets"), noOffsets.err());
        TestFiles.Run mismatch = TestFiles.run("build", "--multi", "--input", data.resolve("queries.tokens.npy").toString(), "--offsets",
                data.resolve("docs.offsets.ivecs").toString(), "--index", tmp.resolve("y").toString());
        assertEquals(1, mismatch.code());
        assertTrue(mismatch.err().contains("do not match the tokens file"), mismatch.err());
    }
}
