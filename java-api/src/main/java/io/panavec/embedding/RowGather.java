package io.panavec.embedding;

import io.panavec.bindings.panavec_embedding_h;
import io.panavec.store.VectorStore;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Decodes rows of a table's store into a caller's buffer: through the native gather kernels when the codec's
 * layout is one they read, else row by row through {@link RowCodec#decode}. Every argument is checked here
 * before a downcall (rows against the store's committed rows, the buffer's size, alignment and writability, bag
 * offsets), so the kernels, which trust their arguments, never read or write outside memory they own.
 *
 * <p>Thread-safe: any number of threads gather at once, concurrently with the table's writer (they see committed
 * rows only). The chunk address table is a snapshot replaced when the store maps a new chunk; the store's
 * mappings never move while it is open, and the table keeps it open while a gather runs.
 */
final class RowGather {
    private final VectorStore store;
    private final RowCodec codec;
    private final int dim;
    private final int log2;
    private final float[] mean;
    private final ResidentRows resident; // null: every row is read from the mapped store
    private volatile long[] chunkAddresses = new long[0];

    RowGather(VectorStore store, RowCodec codec) {
        this(store, codec, null);
    }

    RowGather(VectorStore store, RowCodec codec, ResidentRows resident) {
        this.store = store;
        this.resident = resident;
        this.codec = codec;
        this.dim = codec.dimension();
        this.log2 = Long.numberOfTrailingZeros(store.rowsPerChunk());
        this.mean = codec.nativeMean();
    }

    RowCodec codec() {
        return codec;
    }

    /** out[i] = decoded row rows[i] (i < n), zeros for row -1. */
    void gather(long[] rows, int n, MemorySegment out) {
        checkOut(out, (long) n);
        long size = store.size();
        long maxRow = -1;
        for (int i = 0; i < n; i++) {
            long r = rows[i];
            if (r < -1 || r >= size) {
                throw new IllegalStateException("row " + r + " is outside the table's " + size + " committed rows");
            }
            maxRow = Math.max(maxRow, r);
        }
        if (n == 0) {
            return;
        }
        if (codec.nativeEncoding() < 0) {
            float[] v = new float[dim];
            for (int i = 0; i < n; i++) {
                decodeInto(rows[i], v);
                MemorySegment.copy(v, 0, out, F32Codec.LE, (long) i * dim * Float.BYTES, dim);
            }
            return;
        }
        long[] chunks = maxRow < 0 ? new long[1] : chunksCovering(maxRow); // all zeros: no row is read
        panavec_embedding_h.pv_emb_gather(MemorySegment.ofArray(chunks), log2, codec.rowBytes(), codec.nativeEncoding(), dim,
                meanSegment(), MemorySegment.ofArray(rows), n, out);
    }

    /**
     * Pooled bags: value v is the sum of rows[v * group .. v * group + group); bag b holds values
     * offsets[b] .. offsets[b + 1] - 1 (nbags + 1 offsets); out[b] = their pooled vector. A row of -1 reads as zeros
     * (it still counts as a value toward a mean: callers leave out what should not count).
     */
    void bags(long[] rows, int group, long[] offsets, int nbags, Pooling pool, MemorySegment out) {
        checkOut(out, (long) nbags);
        if (group < 1 || offsets.length < nbags + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException("bad bag layout: group " + group + ", " + offsets.length + " offsets for " + nbags + " bags");
        }
        for (int b = 0; b < nbags; b++) {
            if (offsets[b + 1] < offsets[b]) {
                throw new IllegalArgumentException("bag offsets must not decrease: offset " + (b + 1) + " is " + offsets[b + 1] + " after " + offsets[b]);
            }
        }
        long entries = Math.multiplyExact(offsets[nbags], (long) group);
        if (entries > rows.length) {
            throw new IllegalArgumentException("the bags name " + entries + " rows, " + rows.length + " given");
        }
        long size = store.size();
        long maxRow = -1;
        for (int k = 0; k < entries; k++) {
            if (rows[k] < -1 || rows[k] >= size) {
                throw new IllegalStateException("row " + rows[k] + " is outside the table's " + size + " committed rows");
            }
            maxRow = Math.max(maxRow, rows[k]);
        }
        if (nbags == 0) {
            return;
        }
        if (codec.nativeEncoding() < 0) {
            bagsInJava(rows, group, offsets, nbags, pool, out);
            return;
        }
        long[] chunks = maxRow < 0 ? new long[1] : chunksCovering(maxRow); // all zeros: no row is read
        panavec_embedding_h.pv_emb_bags(MemorySegment.ofArray(chunks), log2, codec.rowBytes(), codec.nativeEncoding(), dim,
                meanSegment(), MemorySegment.ofArray(rows), group, MemorySegment.ofArray(offsets), nbags, pool.code(),
                MemorySegment.ofArray(new float[dim]), out);
    }

    private void bagsInJava(long[] rows, int group, long[] offsets, int nbags, Pooling pool, MemorySegment out) {
        float[] acc = new float[dim], value = new float[dim], row = new float[dim];
        for (int b = 0; b < nbags; b++) {
            Arrays.fill(acc, pool == Pooling.MAX ? Float.NEGATIVE_INFINITY : 0f);
            long from = offsets[b], to = offsets[b + 1];
            for (long v = from; v < to; v++) {
                Arrays.fill(value, 0f);
                for (int p = 0; p < group; p++) {
                    decodeInto(rows[(int) (v * group + p)], row);
                    for (int j = 0; j < dim; j++) value[j] += row[j];
                }
                for (int j = 0; j < dim; j++) acc[j] = pool == Pooling.MAX ? Math.max(acc[j], value[j]) : acc[j] + value[j];
            }
            if (from == to) {
                Arrays.fill(acc, 0f);
            } else if (pool == Pooling.MEAN) {
                for (int j = 0; j < dim; j++) acc[j] /= (to - from);
            }
            MemorySegment.copy(acc, 0, out, F32Codec.LE, (long) b * dim * Float.BYTES, dim);
        }
    }

    /** The scalar decode of one row (zeros for -1). */
    void decodeInto(long row, float[] v) {
        if (row < 0) {
            Arrays.fill(v, 0f);
        } else {
            codec.decode(store.row(row), 0, v, 0);
        }
    }

    private MemorySegment meanSegment() {
        return mean == null ? MemorySegment.NULL : MemorySegment.ofArray(mean);
    }

    private void checkOut(MemorySegment out, long vectors) {
        if (out == null) {
            throw new NullPointerException("out");
        }
        long need = Math.multiplyExact(vectors, (long) dim * Float.BYTES);
        if (out.byteSize() < need) {
            throw new IllegalArgumentException("out holds " + out.byteSize() + " bytes, " + vectors + " vectors of dimension " + dim + " need " + need);
        }
        if (out.isReadOnly()) {
            throw new IllegalArgumentException("out is read-only");
        }
        if (out.maxByteAlignment() < Float.BYTES || out.address() % Float.BYTES != 0) {
            throw new IllegalArgumentException("out must be aligned to 4 bytes (floats)");
        }
    }

    /** The resident copy, if the rows are read from one (closed by the table). */
    ResidentRows resident() {
        return resident;
    }

    /**
     * Base addresses of the chunks covering {@code row}: the resident copy's when it holds the row, else the store's
     * (a new snapshot when the store mapped more).
     */
    private long[] chunksCovering(long row) {
        if (resident != null && row < resident.rows()) {
            return resident.chunkAddresses();
        }
        long[] cs = chunkAddresses;
        int need = (int) (row >>> log2) + 1;
        if (need <= cs.length) {
            return cs;
        }
        synchronized (this) {
            cs = chunkAddresses;
            if (need > cs.length) {
                int n = store.chunkCount();
                long[] grown = new long[n];
                for (int c = 0; c < n; c++) {
                    grown[c] = store.chunk(c).address();
                }
                chunkAddresses = cs = grown;
            }
            return cs;
        }
    }

}
