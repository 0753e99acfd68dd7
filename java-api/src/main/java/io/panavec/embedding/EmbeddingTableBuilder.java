package io.panavec.embedding;

import io.panavec.persist.Commit;
import io.panavec.persist.IndexDirectory;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;
import io.panavec.store.VectorStoreBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of a new {@link EmbeddingTable}: {@code EmbeddingTable.builder(dir).dimension(64).encoding(RowEncoding.INT8)
 * .keys(KeyType.STRING).oov(Oov.key("<unk>")).create()}. Not thread-safe.
 */
public final class EmbeddingTableBuilder {
    private final Path dir;
    private int dimension = -1;
    private String encoding = RowEncoding.F32.spec();
    private KeyType keys = KeyType.LONG;
    private Oov oov = Oov.zeros();
    private long chunkBytes = VectorStoreBuilder.DEFAULT_CHUNK_BYTES;
    private long rowsPerChunk = -1;

    EmbeddingTableBuilder(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** Vector dimension (required), 1 and up. */
    public EmbeddingTableBuilder dimension(int dimension) {
        this.dimension = dimension;
        return this;
    }

    /** Row encoding; default {@link RowEncoding#F32}. */
    public EmbeddingTableBuilder encoding(RowEncoding encoding) {
        this.encoding = Objects.requireNonNull(encoding, "encoding").spec();
        return this;
    }

    /** Row encoding by name ({@link RowCodecs#create}); an unknown name fails at {@link #create()}. */
    public EmbeddingTableBuilder encoding(String spec) {
        this.encoding = Objects.requireNonNull(spec, "encoding");
        return this;
    }

    /** Key type; default {@link KeyType#LONG}. */
    public EmbeddingTableBuilder keys(KeyType keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
        return this;
    }

    /** What unknown keys read as; default {@link Oov#zeros()}. */
    public EmbeddingTableBuilder oov(Oov oov) {
        this.oov = Objects.requireNonNull(oov, "oov");
        return this;
    }

    /** Upper bound of one mapped chunk of rows (default 256 MiB). */
    public EmbeddingTableBuilder chunkBytes(long chunkBytes) {
        this.chunkBytes = chunkBytes;
        this.rowsPerChunk = -1;
        return this;
    }

    /** Exact rows per chunk, a power of two (tests: rows spread over many chunks). */
    EmbeddingTableBuilder rowsPerChunk(long rowsPerChunk) {
        this.rowsPerChunk = rowsPerChunk;
        return this;
    }

    /** Creates the table in a new or empty directory (atomically: a crash leaves no half-created table) and opens it. */
    public EmbeddingTable create() throws IOException {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension is required and must be >= 1, got " + dimension);
        }
        RowCodec codec = RowCodecs.create(encoding, dimension);
        if (keys == KeyType.LONG && oov.stringKey() != null || keys == KeyType.STRING && oov.longKey() != null) {
            throw new IllegalArgumentException("out-of-vocabulary key " + oov + " does not fit a table of " + keys + " keys");
        }
        IndexDirectory.create(dir, tmp -> {
            VectorStoreBuilder b = VectorStore.builder(tmp.resolve(TableManifest.STORE_NAME))
                    .dimension(codec.rowBytes()).elementType(ElementType.I8); // opaque rows of the codec's bytes
            if (rowsPerChunk > 0) b.rowsPerChunk(rowsPerChunk); else b.chunkBytes(chunkBytes);
            try (VectorStore store = b.create()) {
                Commit c = new Commit(tmp, Manifest.empty());
                c.put(TableManifest.KIND, TableManifest.KIND_TABLE);
                c.put(ManifestKey.DIMENSION, dimension);
                c.put(TableManifest.ENCODING, codec.spec());
                c.put(TableManifest.KEYS, keys.name().toLowerCase(java.util.Locale.ROOT));
                c.put(TableManifest.OOV, oov.text());
                c.putFile(TableManifest.STORE, TableManifest.STORE_NAME);
                if (keys == KeyType.STRING) {
                    io.panavec.attributes.AttributeLog.create(tmp.resolve(TableManifest.KEYS_LOG_NAME), null).close();
                    c.putFile(TableManifest.KEYS_LOG, TableManifest.KEYS_LOG_NAME);
                }
                String deletes = c.name("deletes", "log");
                io.panavec.internal.DeleteLog.create(tmp.resolve(deletes), null).close();
                c.putFile(TableManifest.DELETES_LOG, deletes);
                c.publish(); // no vocabulary file yet: an empty table
            }
        });
        return EmbeddingTable.open(dir);
    }
}
