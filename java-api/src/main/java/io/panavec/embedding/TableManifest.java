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
 * The typed manifest entries of an embedding table directory and its one file of its own, the codec's learned
 * parameters (a checksummed component file: count, dimension, floats). The rest is shared with indexes: the
 * store ({@link ManifestKey#STORE_FILE}), the Chronicle Map vocabulary ({@link ManifestKey#IDS_FILE},
 * {@link ManifestKey#IDS_ROWS}), the generation. Stateless.
 */
final class TableManifest {
    static final ManifestKey<String> KIND = ManifestKey.text("kind");
    static final String KIND_TABLE = "embedding-table";
    static final ManifestKey<String> ENCODING = ManifestKey.text("table.encoding");
    static final ManifestKey<String> KEYS = ManifestKey.text("table.keys");
    static final ManifestKey<String> OOV = ManifestKey.text("table.oov");
    /** String tables: the log of each row's key (frames of length-prefixed UTF-8 keys), appended before the rows. */
    static final ManifestKey<String> KEYS_LOG = ManifestKey.fileName("table.keys.log", "keys\\.log");
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
            if (rows < 0 || rows > 1024 || d != dim || Files.size(file) != 8 + 4L * rows * d) {
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
