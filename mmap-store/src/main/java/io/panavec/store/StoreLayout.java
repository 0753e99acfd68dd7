package io.panavec.store;

/**
 * Where things live in a store file. The file is two 4 KiB header slots followed by chunks; chunk c
 * starts at {@code DATA_OFFSET + c * chunkBytes} and holds {@code rowsPerChunk} vectors back to back
 * (64-byte aligned, for SIMD loads) followed by their int64 external ids. Chunks are page-aligned so
 * each maps on its own. Immutable, thread-safe.
 */
record StoreLayout(int dimension, ElementType type, long rowsPerChunk) {
    static final int SLOT_STRIDE = 4096;
    static final long DATA_OFFSET = 2L * SLOT_STRIDE;
    static final int MAX_DIMENSION = 1 << 20;
    private static final int VECTOR_ALIGN = 64;
    private static final int PAGE = 4096;

    StoreLayout {
        if (dimension <= 0 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension must be in 1.." + MAX_DIMENSION + ", got " + dimension);
        }
        if (type == null) {
            throw new IllegalArgumentException("element type is null");
        }
        if (rowsPerChunk <= 0 || Long.bitCount(rowsPerChunk) != 1 || rowsPerChunk > (1L << 40)) {
            throw new IllegalArgumentException("rows per chunk must be a power of two in 1..2^40, got " + rowsPerChunk);
        }
    }

    /** Largest power-of-two rows per chunk whose chunk fits in {@code chunkBytes} (at least 1 row). */
    static StoreLayout forChunkBytes(int dimension, ElementType type, long chunkBytes) {
        if (chunkBytes <= 0) {
            throw new IllegalArgumentException("chunk bytes must be positive, got " + chunkBytes);
        }
        long rows = 1;
        while (rows < (1L << 40) && new StoreLayout(dimension, type, rows * 2).chunkBytes() <= chunkBytes) {
            rows *= 2;
        }
        return new StoreLayout(dimension, type, rows);
    }

    int rowBytes() {
        return dimension * type.bytes();
    }

    int rowShift() {
        return Long.numberOfTrailingZeros(rowsPerChunk);
    }

    /** Offset of the id array inside a chunk. */
    long idsOffset() {
        return roundUp(rowsPerChunk * rowBytes(), VECTOR_ALIGN);
    }

    /** Size of one chunk in the file (and of its mapping). */
    long chunkBytes() {
        return roundUp(idsOffset() + rowsPerChunk * Long.BYTES, PAGE);
    }

    long chunkOffset(long chunk) {
        return DATA_OFFSET + chunk * chunkBytes();
    }

    /** Number of chunks that hold {@code rows} rows. */
    long chunksFor(long rows) {
        return (rows + rowsPerChunk - 1) >>> rowShift();
    }

    /** Minimum file length for a store with {@code rows} committed rows. */
    long requiredFileBytes(long rows) {
        return chunkOffset(chunksFor(rows));
    }

    private static long roundUp(long v, long align) {
        return (v + align - 1) / align * align;
    }
}
