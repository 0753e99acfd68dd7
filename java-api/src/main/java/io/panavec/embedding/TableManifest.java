package io.panavec.embedding;

import io.panavec.persist.Commit;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The typed manifest entries of an embedding table directory and its files: the store ({@link #STORE}; tables
 * before compaction existed name it under {@link ManifestKey#STORE_FILE}), the vocabulary file ({@link #VOCAB},
 * covering the store's first {@link #VOCAB_ROWS} rows), the delete log of the current commit ({@link #DELETES_LOG}),
 * string tables' key log ({@link #KEYS_LOG}), and the codec's learned parameters ({@link #CODEC}: count,
 * dimension, floats). Files of a compaction carry its generation in their names. Stateless.
 */
final class TableManifest {
    static final ManifestKey<String> KIND = ManifestKey.text("kind");
    static final String KIND_TABLE = "embedding-table";
    static final ManifestKey<String> ENCODING = ManifestKey.text("table.encoding");
    static final ManifestKey<String> KEYS = ManifestKey.text("table.keys");
    static final ManifestKey<String> OOV = ManifestKey.text("table.oov");
    /** The row store: {@code vectors.pvs} as created, {@code vectors-<generation>.pvs} after a compaction. */
    static final ManifestKey<String> STORE = ManifestKey.fileName("table.store.file", "vectors(-[0-9]{6,})?\\.pvs");
    /** String tables: the log of each row's key (frames of length-prefixed UTF-8 keys), appended before the rows. */
    static final ManifestKey<String> KEYS_LOG = ManifestKey.fileName("table.keys.log", "keys(-[0-9]{6,})?\\.log");
    /** The rows deleted since this commit (logged before a delete returns). */
    static final ManifestKey<String> DELETES_LOG = ManifestKey.fileName("table.deletes.log", "deletes-[0-9]{6,}\\.log");
    /** The key &rarr; row table as of the commit ({@link KeyRowTable}'s file). */
    static final ManifestKey.FileKeys VOCAB = new ManifestKey.FileKeys("vocab", "pvk");
    /** Store rows the vocabulary file covers. */
    static final ManifestKey<Long> VOCAB_ROWS = ManifestKey.number("table.vocab.rows");
    static final ManifestKey.FileKeys CODEC = new ManifestKey.FileKeys("codec", "params");
    static final String STORE_NAME = "vectors.pvs";
    static final String KEYS_LOG_NAME = "keys.log";

    private TableManifest() {}

    /** Reads the manifest of {@code dir}, refusing a directory that holds something other than an embedding table. */
    static Manifest read(Path dir) throws IOException {
        Manifest m = Manifest.read(dir);
        String kind = m.get(KIND).orElse("index");
        if (!kind.equals(KIND_TABLE)) {
            throw new IOException(dir + " holds a panavec " + kind + ", not an embedding table");
        }
        return m;
    }

    /** The store file the manifest names. */
    static java.nio.file.Path store(java.nio.file.Path dir, Manifest m) throws IOException {
        return m.has(STORE) ? m.path(dir, STORE) : m.path(dir, ManifestKey.STORE_FILE);
    }

    /** After a commit: removes the file {@code previous} named under {@code key} if {@code next} names another. */
    static void deleteReplaced(java.nio.file.Path dir, Manifest previous, Manifest next, ManifestKey<String> key) throws IOException {
        java.util.Optional<String> old = previous.get(key), now = next.get(key);
        if (old.isPresent() && !old.equals(now)) Files.deleteIfExists(previous.path(dir, key));
    }

    /** Tables of builds before the off-heap vocabulary kept it in a Chronicle Map file: the next manifest drops it. */
    static void dropLegacyVocabulary(Commit c) {
        c.remove(ManifestKey.IDS_FILE);
        c.remove(ManifestKey.IDS_ROWS);
    }

    /** Removes the Chronicle Map vocabulary file {@code previous} named, once a manifest without it is in. */
    static void deleteLegacyVocabulary(java.nio.file.Path dir, Manifest previous) throws IOException {
        if (previous.has(ManifestKey.IDS_FILE)) Files.deleteIfExists(previous.path(dir, ManifestKey.IDS_FILE));
    }

    /** Writes the codec's parameters as this commit's codec file. */
    static void writeCodec(Commit c, RowCodec codec) throws IOException {
        float[][] p = codec.parameters();
        c.write(CODEC, "codec", "params", file -> {
            try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os))) {
                out.writeInt(p.length);
                out.writeInt(codec.dimension());
                for (float[] row : p) {
                    for (float v : row) out.writeFloat(v);
                }
            }
        });
    }

    /** The codec's parameters as the manifest names them (checked against its length and checksum), or none. */
    static float[][] readCodec(Path dir, Manifest m, int dim) throws IOException {
        if (!m.has(CODEC)) {
            return new float[0][];
        }
        Path file = m.verifiedFile(dir, CODEC);
        try (InputStream is = Files.newInputStream(file); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(is))) {
            int rows = in.readInt(), d = in.readInt();
            // No fixed row limit (a PCA basis has d' rows, PQ 256, any dimension): the count must match the file's
            // length, which the manifest's checksum vouches for, and fit one array.
            if (rows < 0 || d != dim || (long) rows * d > Integer.MAX_VALUE - 8 || Files.size(file) != 8 + 4L * rows * d) {
                throw new IOException(file + ": codec parameters of " + rows + " x " + d + " do not fit a table of dimension " + dim);
            }
            float[][] p = new float[rows][d];
            for (float[] row : p) {
                for (int i = 0; i < d; i++) row[i] = in.readFloat();
            }
            return p;
        }
    }
}
