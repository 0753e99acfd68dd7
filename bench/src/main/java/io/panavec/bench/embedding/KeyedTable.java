package io.panavec.bench.embedding;

import io.panavec.io.VectorFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real embedding table for the benchmarks: the rows of a vector file (read where they lie, memory-mapped by
 * {@link VectorFile}) and one long key per row.
 * <ul>
 * <li>{@code wordnet}: a wordnet-minilm directory's {@code base.fvecs}, keyed by WordNet synset: {@code synset_offset}
 * of {@code attributes.tsv} plus the part of speech as WordNet's 9-digit synset number
 * ({@code pos digit * 10^8 + offset}, n 1, v 2, a 3, r 4, s 5), since offsets alone repeat across parts of speech
 * (281 of them do).</li>
 * <li>{@code tokens}: the multi-vector tool's {@code docs.tokens.fvecs} (one 384-d unit vector per token), keyed by
 * {@code document * 1000 + position} from {@code docs.offsets.ivecs} (no text has more than 128 tokens).</li>
 * </ul>
 * Not thread-safe for reading rows (share the keys, open one per thread).
 */
record KeyedTable(String name, VectorFile file, long[] keys) implements AutoCloseable {
    static KeyedTable open(String kind, Path path) throws IOException {
        return switch (kind) {
            case "wordnet" -> wordnet(path);
            case "tokens" -> tokens(path);
            default -> throw new IllegalArgumentException("table kind must be wordnet or tokens, got " + kind);
        };
    }

    /** {@code dir}: a wordnet-minilm directory. */
    static KeyedTable wordnet(Path dir) throws IOException {
        VectorFile f = VectorFile.open(dir.resolve("base.fvecs"));
        List<String> lines = Files.readAllLines(dir.resolve("attributes.tsv"));
        String[] header = lines.get(0).split("\t");
        int pos = List.of(header).indexOf("pos"), offset = List.of(header).indexOf("synset_offset");
        if (pos < 0 || offset < 0 || lines.size() - 1 != f.count()) {
            f.close();
            throw new IOException(dir + ": attributes.tsv needs pos and synset_offset for each of the " + f.count() + " rows");
        }
        long[] keys = new long[(int) f.count()];
        for (int i = 0; i < keys.length; i++) {
            String[] c = lines.get(i + 1).split("\t");
            int digit = "nvars".indexOf(c[pos].charAt(0)) + 1;
            if (digit == 0) throw new IOException(dir + ": row " + i + " has part of speech " + c[pos]);
            keys[i] = digit * 100_000_000L + Long.parseLong(c[offset]);
        }
        return checkedUnique(new KeyedTable("wordnet-minilm (" + f.count() + " synsets)", f, keys));
    }

    /** {@code docsPrefix}: the path prefix of {@code .tokens.fvecs} and {@code .offsets.ivecs} ("…/docs"). */
    static KeyedTable tokens(Path docsPrefix) throws IOException {
        VectorFile f = VectorFile.open(Path.of(docsPrefix + ".tokens.fvecs"));
        int[][] off = VectorFile.readIvecs(Path.of(docsPrefix + ".offsets.ivecs"));
        if (off[off.length - 1][0] != f.count()) {
            f.close();
            throw new IOException(docsPrefix + ": the offsets end at " + off[off.length - 1][0] + ", the tokens file holds " + f.count());
        }
        long[] keys = new long[(int) f.count()];
        for (int d = 0; d + 1 < off.length; d++) {
            for (int t = off[d][0]; t < off[d + 1][0]; t++) keys[t] = d * 1000L + (t - off[d][0]);
        }
        return checkedUnique(new KeyedTable("multi-vector tokens (" + f.count() + " tokens of " + (off.length - 1) + " texts)", f, keys));
    }

    private static KeyedTable checkedUnique(KeyedTable t) throws IOException {
        long[] sorted = t.keys.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                t.close();
                throw new IOException(t.name + ": key " + sorted[i] + " repeats");
            }
        }
        return t;
    }

    int size() {
        return keys.length;
    }

    int dimension() {
        return file.dimension();
    }

    void read(int row, float[] dst) {
        file.read(row, dst);
    }

    @Override
    public void close() {
        file.close();
    }
}
