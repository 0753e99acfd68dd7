package io.panavec.cli;

import io.panavec.io.VectorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** table import / lookup / export on the shipped 10k cut, keyed by synset offset from attributes.tsv's column. */
class TableCommandTest {
    @TempDir
    Path tmp;

    @Test
    void importLookupAndExportTheShippedCut() throws Exception {
        Path data = Path.of("..", "data", "wordnet-minilm-10k");
        Path table = tmp.resolve("table");
        TestFiles.Run imp = TestFiles.run("table", "import", "--vectors", data.resolve("base.fvecs").toString(), "--vocab",
                data.resolve("attributes.tsv").toString(), "--column", "id", "--table", table.toString(), "--encoding", "int8");
        assertEquals(0, imp.code(), imp.err());
        assertTrue(imp.out().contains("10,000 keys (10,000 rows) of dimension 384 as int8, 400 bytes per row"), imp.out());

        TestFiles.Run look = TestFiles.run("table", "lookup", "--table", table.toString(), "42", "123456789");
        assertEquals(0, look.code(), look.err());
        List<String> lines = look.out().lines().toList();
        assertEquals(2, lines.size(), look.out());
        float[] want;
        try (VectorFile base = VectorFile.open(data.resolve("base.fvecs"))) {
            want = base.read(42);
        }
        String[] cells = lines.get(0).split("\t")[1].split(" ");
        assertEquals(384, cells.length);
        double dot = 0, gg = 0, ww = 0;
        for (int j = 0; j < 384; j++) {
            double g = Double.parseDouble(cells[j]);
            dot += g * want[j];
            gg += g * g;
            ww += want[j] * want[j];
        }
        assertTrue(dot / Math.sqrt(gg * ww) > 0.99, "int8 row of key 42 against base.fvecs row 42");
        assertTrue(lines.get(1).startsWith("123456789\t(unknown)\t0.0 0.0"), lines.get(1));

        Path out = tmp.resolve("out.npy"), vocab = tmp.resolve("out.tsv");
        TestFiles.Run exp = TestFiles.run("table", "export", "--table", table.toString(), "--vectors", out.toString(), "--vocab", vocab.toString());
        assertEquals(0, exp.code(), exp.err());
        assertEquals(10_000, Files.readAllLines(vocab).size());
        try (VectorFile f = VectorFile.open(out)) {
            assertEquals(10_000, f.count());
            assertEquals(384, f.dimension());
        }

        TestFiles.Run badKey = TestFiles.run("table", "lookup", "--table", table.toString(), "cat");
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().contains("'cat' is not one"), badKey.err());
        TestFiles.Run badEnc = TestFiles.run("table", "import", "--vectors", data.resolve("base.fvecs").toString(), "--vocab",
                data.resolve("attributes.tsv").toString(), "--table", tmp.resolve("t2").toString(), "--encoding", "int7");
        assertEquals(2, badEnc.code());
        assertTrue(badEnc.err().contains("unknown row encoding 'int7'"), badEnc.err());
        TestFiles.Run header = TestFiles.run("table", "import", "--vectors", data.resolve("base.fvecs").toString(), "--vocab",
                data.resolve("attributes.tsv").toString(), "--table", tmp.resolve("t3").toString());
        assertEquals(1, header.code());
        assertTrue(header.err().contains("10001 keys for the 10000 vectors"), header.err()); // the header line counted as a key
    }
}
