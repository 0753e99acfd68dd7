package io.panavec.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gives a clear exception and changes nothing; import and export round-trip through .npy / .fvecs and a TSV. */
class EmbeddingTableInputTest {
    @TempDir
    Path tmp;

    private static void assertMessage(Throwable e, String part) {
        assertTrue(e.getMessage() != null && e.getMessage().contains(part), "message '" + e.getMessage() + "' should say '" + part + "'");
    }

    @Test
    void badVectorsKeysAndBuffersAreRefusedAndNothingIsWritten() throws Exception {
        try (EmbeddingTable t = EmbeddingTable.builder(tmp.resolve("t")).dimension(4).encoding(RowEncoding.F16).create()) {
            t.put(1, new float[] {1, 2, 3, 4});
            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.put(2, new float[3])), "dimension 3");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.put(2, new float[] {1, Float.NaN, 0, 0})), "NaN");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.put(2, new float[] {1, 1e6f, 0, 0})), "overflows f16");
            assertMessage(assertThrows(IllegalArgumentException.class,
                    () -> t.putAll(new long[] {2, 3}, new float[][] {{1, 2, 3, 4}, {1, 2, 3, Float.POSITIVE_INFINITY}})), "vector 1");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.putAll(new long[] {2, 3}, new float[][] {{1, 2, 3, 4}})), "2 keys and 1 vectors");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.put("a", new float[4])), "long keys");
            assertEquals(1, t.size());
            assertEquals(1, t.storedRows(), "a refused batch writes no row");

            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.lookup(new long[] {1, 2}, MemorySegment.ofArray(new float[7]))), "need 32");
            assertMessage(assertThrows(IllegalArgumentException.class,
                    () -> t.lookup(new long[] {1}, MemorySegment.ofArray(new float[4]).asReadOnly())), "read-only");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.lookup(new long[] {1}, MemorySegment.ofArray(new byte[16]))), "aligned");
            try (Arena a = Arena.ofConfined()) {
                MemorySegment odd = a.allocate(64, 8).asSlice(1, 16 + 3);
                assertMessage(assertThrows(IllegalArgumentException.class, () -> t.lookup(new long[] {1}, odd)), "aligned");
            }
            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.lookupBags(new long[] {1, 1}, new int[] {1}, Pooling.SUM)), "offsets");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.lookupBags(new long[] {1, 1}, new int[] {0, 3}, Pooling.SUM)), "offsets");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> t.lookupBags(new long[] {1, 1}, new int[] {0, 2, 1}, Pooling.SUM)), "offsets");
        }
        Path t = tmp.resolve("t");
        EmbeddingTable closed = EmbeddingTable.open(t);
        closed.close();
        assertMessage(assertThrows(IllegalStateException.class, () -> closed.lookup(1)), "closed");
    }

    @Test
    void badOptionsAndDirectoriesAreRefused() throws Exception {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> EmbeddingTable.builder(tmp.resolve("x")).dimension(4).encoding("int7").create()), "unknown row encoding 'int7'");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> EmbeddingTable.builder(tmp.resolve("x")).create()), "dimension");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> EmbeddingTable.builder(tmp.resolve("x")).dimension(4).oov(Oov.key("unk")).create()), "does not fit");
        Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(tmp.resolve("busy/mine.txt"), "keep me");
        assertMessage(assertThrows(IOException.class, () -> EmbeddingTable.builder(tmp.resolve("busy")).dimension(4).create()), "not empty");
        assertEquals("keep me", Files.readString(tmp.resolve("busy/mine.txt")));
        assertMessage(assertThrows(IOException.class, () -> EmbeddingTable.open(tmp.resolve("nothing"))), "no manifest.properties");

        Path lvq = tmp.resolve("lvq");
        try (EmbeddingTable t = EmbeddingTable.builder(lvq).dimension(8).encoding(RowEncoding.LVQ4).create()) {
            t.put(1, new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        }
        Path codec;
        try (var files = Files.list(lvq)) {
            codec = files.filter(p -> p.getFileName().toString().startsWith("codec-")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(codec);
        bytes[bytes.length - 1] ^= 1;
        Files.write(codec, bytes);
        assertMessage(assertThrows(IOException.class, () -> EmbeddingTable.open(lvq)), "checksum");
        Files.delete(codec);
        assertThrows(IOException.class, () -> EmbeddingTable.open(lvq));

        Path edited = tmp.resolve("edited");
        EmbeddingTable.builder(edited).dimension(4).create().close();
        Path manifest = edited.resolve("manifest.properties");
        // Hand-edited and unsealed (as a manifest from before manifests were sealed), so the encoding check is what refuses it.
        Files.writeString(manifest, Files.readString(manifest).replace("table.encoding=f32", "table.encoding=f64")
                .replaceAll("(?m)^manifest\\.crc32c=.*\\R", ""));
        assertMessage(assertThrows(IOException.class, () -> EmbeddingTable.open(edited)), "unknown row encoding 'f64'");
        Files.writeString(manifest, Files.readString(manifest).replace("table.encoding=f64", "table.encoding=f16"));
        assertMessage(assertThrows(IOException.class, () -> EmbeddingTable.open(edited)), "take 8");
    }

    @Test
    void importAndExportRoundTripThroughNpyFvecsAndTsv() throws Exception {
        Random r = new Random(2);
        String[] keys = {"cat", "dog", "cat", "émile", "z"};
        float[][] vs = new float[keys.length][];
        for (int i = 0; i < vs.length; i++) vs[i] = TableOracle.gaussian(r, 6, 0f);
        Path vocab = tmp.resolve("vocab.tsv");
        Files.write(vocab, List.of(keys[0] + "\tignored column", keys[1], keys[2], keys[3], keys[4]), StandardCharsets.UTF_8);
        Path fvecs = tmp.resolve("in.fvecs");
        try (var w = io.panavec.io.VectorFileWriter.create(fvecs, 6, vs.length)) {
            for (float[] v : vs) w.write(v, 0);
        }
        try (EmbeddingTable t = TableFiles.importTable(fvecs, vocab, EmbeddingTable.builder(tmp.resolve("imported")), KeyType.STRING)) {
            assertEquals(4, t.size(), "the repeated key keeps its last vector");
            assertArrayEquals(vs[2], t.lookup("cat"));
            assertArrayEquals(vs[3], t.lookup("émile"));
            for (String ext : new String[] {"npy", "fvecs"}) {
                Path out = tmp.resolve("out." + ext), outVocab = tmp.resolve("out-" + ext + ".tsv");
                assertEquals(4, TableFiles.exportTable(t, out, outVocab));
                assertEquals(List.of("dog", "cat", "émile", "z"), Files.readAllLines(outVocab, StandardCharsets.UTF_8));
                try (EmbeddingTable back = TableFiles.importTable(out, outVocab, EmbeddingTable.builder(tmp.resolve("back-" + ext)).encoding(RowEncoding.INT8),
                        KeyType.STRING)) {
                    for (String k : new String[] {"dog", "cat", "émile", "z"}) {
                        TableOracle.check(back.codec(), t.lookup(k), back.lookup(k), ext + " round trip of " + k);
                    }
                }
            }
        }

        Path shortVocab = tmp.resolve("short.tsv");
        Files.write(shortVocab, List.of("1", "2"));
        assertMessage(assertThrows(IOException.class,
                () -> TableFiles.importTable(fvecs, shortVocab, EmbeddingTable.builder(tmp.resolve("n1")), KeyType.LONG)), "2 keys for the 5 vectors");
        assertMessage(assertThrows(IOException.class,
                () -> TableFiles.importTable(fvecs, vocab, EmbeddingTable.builder(tmp.resolve("n2")), KeyType.LONG)), "'cat' is not a long key");
        Path bad = tmp.resolve("bad.npy");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        assertMessage(assertThrows(IOException.class,
                () -> TableFiles.importTable(bad, vocab, EmbeddingTable.builder(tmp.resolve("n3")), KeyType.STRING)), "not a NumPy");
        assertTrue(!Files.exists(tmp.resolve("n1")) && !Files.exists(tmp.resolve("n2")), "a refused import creates no table");
    }
}
