package io.panavec.multivector;

import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The token vectors of a multi-vector index's documents: two memory-mapped, checksummed {@link VectorStore}s.
 * {@code tokens} holds one row per token (F32 or F16), the tokens of a document back to back, each token's
 * external id the document's row; {@code offsets} is the offsets column, one row per document (document row r
 * = row r of the index's FDE store): 16 bytes, the little-endian int64 first token row and token count, its
 * external id the document's id. Both commit with the store's two-slot headers, so a crash keeps a prefix.
 *
 * <p>Order of an add (see {@link MultiVectorIndex}): tokens commit, then the FDE rows, then the offsets; so on
 * open the FDE store may name documents the offsets column lacks (a crash after the FDE commit): their tokens
 * are the last committed ones and {@link #recover} rebuilds their offsets from the token labels. Tokens
 * committed for an add that never reached its FDE commit are dead space; recovery ends them with a separator
 * row (label -1) so a later document's tokens never run into them.
 *
 * <p>Thread safety: one writer (the index's writer lock) with any number of concurrent readers, as the stores.
 */
final class TokenStore implements AutoCloseable {
    static final int OFFSET_ROW_BYTES = 16;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final VectorStore tokens;
    private final VectorStore offsets;

    private TokenStore(VectorStore tokens, VectorStore offsets) {
        this.tokens = tokens;
        this.offsets = offsets;
    }

    static TokenStore create(Path tokensFile, Path offsetsFile, int dim, ElementType type) throws IOException {
        VectorStore t = VectorStore.builder(tokensFile).dimension(dim).elementType(type).create();
        try {
            return new TokenStore(t, VectorStore.builder(offsetsFile).dimension(OFFSET_ROW_BYTES).elementType(ElementType.I8).create());
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    static TokenStore open(Path tokensFile, Path offsetsFile) throws IOException {
        VectorStore t = VectorStore.open(tokensFile);
        try {
            VectorStore o = VectorStore.open(offsetsFile);
            if (o.dimension() != OFFSET_ROW_BYTES || o.elementType() != ElementType.I8) {
                o.close();
                throw new IOException(offsetsFile + ": not an offsets column (" + o.elementType() + " x " + o.dimension() + ")");
            }
            return new TokenStore(t, o);
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    VectorStore tokens() {
        return tokens;
    }

    /** Committed documents in the offsets column. */
    long documents() {
        return offsets.size();
    }

    /** Committed token rows. */
    long tokenRows() {
        return tokens.size();
    }

    /** First token row of document row {@code doc}. */
    long start(long doc) {
        return offsets.row(doc).get(I64, 0);
    }

    /** Token count of document row {@code doc}. */
    long count(long doc) {
        return offsets.row(doc).get(I64, 8);
    }

    /** External id of document row {@code doc}. */
    long id(long doc) {
        return offsets.externalId(doc);
    }

    /** The committed offsets of chunk {@code c} of the column: (start, count) int64 pairs, no copy. */
    MemorySegment offsetsChunk(int c) {
        return offsets.chunk(c);
    }

    int offsetsChunkCount() {
        return offsets.chunkCount();
    }

    long offsetsPerChunk() {
        return offsets.rowsPerChunk();
    }

    /** Appends and commits the tokens of documents labelled {@code firstDoc ..}; returns each one's first token row. */
    long[] appendTokens(long firstDoc, float[][] packed, int[] counts) throws IOException {
        long[] starts = new long[packed.length];
        int dim = tokens.dimension();
        for (int d = 0; d < packed.length; d++) {
            starts[d] = tokens.size() + tokens.pendingRows();
            if (tokens.elementType() == ElementType.F32) {
                tokens.appendBatch(MemorySegment.ofArray(packed[d]), label(firstDoc + d, counts[d]), counts[d]);
            } else {
                float[] row = new float[dim];
                for (int t = 0; t < counts[d]; t++) {
                    System.arraycopy(packed[d], t * dim, row, 0, dim);
                    tokens.append(firstDoc + d, row);
                }
            }
        }
        tokens.commit();
        return starts;
    }

    private static long[] label(long doc, int n) {
        long[] ids = new long[n];
        java.util.Arrays.fill(ids, doc);
        return ids;
    }

    /** Appends and commits the offsets rows of documents (ids, first token rows, counts). */
    void appendOffsets(long[] ids, long[] starts, int[] counts) throws IOException {
        byte[] row = new byte[OFFSET_ROW_BYTES];
        MemorySegment r = MemorySegment.ofArray(row);
        for (int d = 0; d < ids.length; d++) {
            r.set(I64, 0, starts[d]);
            r.set(I64, 8, counts[d]);
            offsets.append(ids[d], row);
        }
        offsets.commit();
    }

    /**
     * Brings the offsets column up to {@code fdeRows} documents after a crash (see the class comment), with
     * {@code idOf} giving each document's external id from the FDE store, then seals dead tokens off.
     */
    void recover(long fdeRows, java.util.function.LongUnaryOperator idOf) throws IOException {
        long have = offsets.size();
        if (have > fdeRows) {
            throw new IOException(offsets.path() + ": the offsets column names " + have + " documents, the FDE store only " + fdeRows);
        }
        if (have < fdeRows) {
            List<long[]> found = new ArrayList<>(); // (start, count), last document first
            long end = tokens.size();
            for (long doc = fdeRows - 1; doc >= have; doc--) {
                long start = end;
                while (start > 0 && tokens.externalId(start - 1) == doc) {
                    start--;
                }
                if (start == end) {
                    throw new IOException(tokens.path() + ": document row " + doc + " has no committed tokens before row " + end);
                }
                found.add(new long[] {start, end - start});
                end = start;
            }
            int n = found.size();
            long[] ids = new long[n];
            long[] starts = new long[n];
            int[] counts = new int[n];
            for (int i = 0; i < n; i++) {
                long[] f = found.get(n - 1 - i);
                ids[i] = idOf.applyAsLong(have + i);
                starts[i] = f[0];
                counts[i] = Math.toIntExact(f[1]);
            }
            appendOffsets(ids, starts, counts);
        }
        sealDeadTokens();
    }

    /** Ends committed tokens no document names (an add that failed or crashed before its FDE commit) with a separator row. */
    void sealDeadTokens() throws IOException {
        long used = offsets.size() == 0 ? 0 : start(offsets.size() - 1) + count(offsets.size() - 1);
        if (tokens.size() > used && tokens.externalId(tokens.size() - 1) != -1) {
            tokens.append(-1, new float[tokens.dimension()]);
            tokens.commit();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            tokens.close();
        } finally {
            offsets.close();
        }
    }
}
