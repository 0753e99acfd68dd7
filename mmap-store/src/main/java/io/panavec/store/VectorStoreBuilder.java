package io.panavec.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Options for creating a new store: {@code VectorStore.builder(path).dimension(384)
 * .elementType(ElementType.F32).chunkBytes(64 << 20).create()}. Not thread-safe.
 */
public final class VectorStoreBuilder {
    /** Default mapping granularity: about 256 MiB per chunk. */
    public static final long DEFAULT_CHUNK_BYTES = 256L << 20;

    private final Path path;
    private int dimension = -1;
    private ElementType type = ElementType.F32;
    private long chunkBytes = DEFAULT_CHUNK_BYTES;
    private long rowsPerChunk = -1;
    private StoreOwner owner = StoreOwner.NONE;

    VectorStoreBuilder(Path path) {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        this.path = path;
    }

    /** Vector dimension (required), 1..2^20. */
    public VectorStoreBuilder dimension(int dimension) {
        this.dimension = dimension;
        return this;
    }

    /** Element encoding; default {@link ElementType#F32}. */
    public VectorStoreBuilder elementType(ElementType type) {
        this.type = type;
        return this;
    }

    /** Upper bound on one chunk's size (vectors + ids + padding); rows per chunk is the largest power of two that fits. */
    public VectorStoreBuilder chunkBytes(long chunkBytes) {
        this.chunkBytes = chunkBytes;
        this.rowsPerChunk = -1;
        return this;
    }

    /** Exact rows per chunk (a power of two); overrides {@link #chunkBytes}. */
    public VectorStoreBuilder rowsPerChunk(long rowsPerChunk) {
        this.rowsPerChunk = rowsPerChunk;
        return this;
    }

    /** The index the store belongs to, recorded in its header for good ({@link StoreOwner#NONE} by default). */
    public VectorStoreBuilder owner(StoreOwner owner) {
        this.owner = java.util.Objects.requireNonNull(owner, "owner");
        return this;
    }

    /** Creates the file (it must not exist) and opens it for writing. */
    public VectorStore create() throws IOException {
        if (dimension == -1) {
            throw new IllegalArgumentException("dimension is required");
        }
        StoreLayout layout = rowsPerChunk != -1
                ? new StoreLayout(dimension, type, rowsPerChunk)
                : StoreLayout.forChunkBytes(dimension, type, chunkBytes);
        return VectorStore.create(path, layout, owner);
    }
}
