package io.panavec.embedding;

import io.panavec.io.VectorFile;
import io.panavec.io.VectorFileWriter;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves tables in and out of the exchange formats: vectors in {@code .npy} / {@code .fvecs} (read by
 * {@link VectorFile}, written by {@link VectorFileWriter}) beside a vocabulary TSV whose line {@code i} holds the
 * key of vector {@code i} in its first column (further tab-separated columns are ignored). Stateless.
 */
public final class TableFiles {
    private static final int BATCH = 4096;
    private static final int TRAINING_ROWS = 10_000;

    private TableFiles() {}

    /**
     * Creates a table through {@code builder} (its dimension taken from the vector file) and loads every vector under
     * its vocabulary key, then commits. A key repeated in the vocabulary keeps its last vector. A codec that learns
     * (LVQ) learns from up to 10,000 rows spread over the file. Returns the open table.
     */
    public static EmbeddingTable importTable(Path vectors, Path vocabulary, EmbeddingTableBuilder builder, KeyType keys) throws IOException {
        return importTable(vectors, vocabulary, null, builder, keys);
    }

    /**
     * As {@link #importTable(Path, Path, EmbeddingTableBuilder, KeyType)}, with the keys in the column named
     * {@code column} of a TSV whose first line names its columns (null: the first column of a TSV without a header).
     */
    public static EmbeddingTable importTable(Path vectors, Path vocabulary, String column, EmbeddingTableBuilder builder, KeyType keys)
            throws IOException {
        try (VectorFile in = VectorFile.open(vectors)) {
            List<String> lines = readVocabulary(vocabulary, column);
            if (lines.size() != in.count()) {
                throw new IOException(vocabulary + ": " + lines.size() + " keys for the " + in.count() + " vectors of " + vectors);
            }
            long[] longKeys = keys == KeyType.LONG ? new long[lines.size()] : null;
            for (int i = 0; longKeys != null && i < lines.size(); i++) {
                try {
                    longKeys[i] = Long.parseLong(lines.get(i));
                } catch (NumberFormatException e) {
                    throw new IOException(vocabulary + " line " + (i + 1) + ": '" + lines.get(i) + "' is not a long key");
                }
            }
            EmbeddingTable table = builder.dimension(in.dimension()).keys(keys).create();
            try {
                if (!table.codec().isTrained() && in.count() > 0) {
                    int n = (int) Math.min(TRAINING_ROWS, in.count());
                    float[][] sample = new float[n][];
                    for (int i = 0; i < n; i++) sample[i] = in.read(i * in.count() / n);
                    table.train(sample);
                }
                for (long from = 0; from < in.count(); from += BATCH) {
                    int n = (int) Math.min(BATCH, in.count() - from);
                    float[][] vs = new float[n][];
                    for (int i = 0; i < n; i++) vs[i] = in.read(from + i);
                    if (longKeys != null) {
                        table.putAll(java.util.Arrays.copyOfRange(longKeys, (int) from, (int) from + n), vs);
                    } else {
                        table.putAll(lines.subList((int) from, (int) from + n).toArray(String[]::new), vs);
                    }
                }
                table.commit();
                return table;
            } catch (IOException | RuntimeException e) {
                table.close();
                throw e;
            }
        }
    }

    /** The key column of every line (the first, or the one {@code column} names in the header); a line without a key is refused. */
    private static List<String> readVocabulary(Path file, String column) throws IOException {
        List<String> keys = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int at = 0;
            int lineNo = 0;
            if (column != null) {
                String header = r.readLine();
                lineNo++;
                at = header == null ? -1 : List.of(header.split("\t", -1)).indexOf(column);
                if (at < 0) {
                    throw new IOException(file + ": no column '" + column + "' in its header line");
                }
            }
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String[] cells = line.split("\t", -1);
                String key = at < cells.length ? cells[at] : "";
                if (key.isEmpty()) {
                    throw new IOException(file + " line " + lineNo + ": no key");
                }
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * Writes every key's vector (decoded) to {@code vectors} ({@code .npy} or {@code .fvecs}) and its key to the
     * same line of {@code vocabulary}, in the order the keys' latest rows were put. Returns the number of keys.
     */
    public static long exportTable(EmbeddingTable table, Path vectors, Path vocabulary) throws IOException {
        long[] count = new long[1];
        try (BufferedWriter keys = Files.newBufferedWriter(vocabulary, StandardCharsets.UTF_8);
             VectorFileWriter out = VectorFileWriter.create(vectors, table.dimension(), table.size())) {
            table.forEachLatest(BATCH, (batchKeys, batchVectors) -> {
                for (int i = 0; i < batchKeys.length; i++) {
                    String k = batchKeys[i].toString();
                    if (k.indexOf('\n') >= 0 || k.indexOf('\t') >= 0 || k.indexOf('\r') >= 0) {
                        throw new IOException("key '" + k.replace("\n", "\\n") + "' holds a tab or line break: a TSV line cannot hold it");
                    }
                    keys.write(k);
                    keys.write('\n');
                    out.write(batchVectors, i * table.dimension());
                }
                count[0] += batchKeys.length;
            });
        }
        return count[0];
    }
}
