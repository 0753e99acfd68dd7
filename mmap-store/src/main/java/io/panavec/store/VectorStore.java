// Over 450 lines: mapping, appends and the crash-safe commit protocol share one lock order and one header invariant.
package io.panavec.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * An on-disk store of fixed-dimension vectors, each with an int64 external id, read through
 * memory mappings (no heap copy on the read path).
 *
 * <p><b>Durability.</b> Appended rows stay invisible until {@link #commit()}, which forces the new
 * rows to disk, then writes and forces a header naming the new row count. There are two header
 * slots written alternately, so a crash (even during the header write) leaves the previous commit
 * readable; rows appended but not committed are discarded by a crash or by {@link #close()}.
 *
 * <p><b>Layout.</b> The file is mapped in chunks of {@link #rowsPerChunk()} rows (a power of two), so
 * the store can grow past RAM without remapping; {@link #chunk(int)} exposes each chunk's vectors
 * as one contiguous, 64-byte-aligned segment for scans and native kernels. When an append needs a
 * new chunk the file is extended (sparsely) before it is mapped; an I/O failure there surfaces as
 * {@link java.io.UncheckedIOException} from the append, with nothing appended.
 *
 * <p><b>Thread safety.</b> One writer thread (append/commit; these methods are also synchronized)
 * may run concurrently with any number of reader threads (size, row, chunk, externalId, verify).
 * Readers only ever see committed rows. A file has at most one writing {@code VectorStore} at a time
 * across all processes (enforced with a file lock); any number of {@link #openReadOnly read-only}
 * instances, in this or other processes, may read it while it is written and pick up new commits
 * with {@link #refresh()}. Segments returned by this class are valid until {@link #close()}; using
 * them after close throws {@link IllegalStateException}. Nothing here may shrink the file: truncating
 * a mapped file from outside would crash readers (SIGBUS), as with any memory-mapped file.
 */
public final class VectorStore implements AutoCloseable {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final short F16_EXPONENT_MASK = 0x7C00;
    /** Bytes of vectors one verify piece checksums: small enough to spread over threads, large enough to stream. */
    private static final long VERIFY_PIECE_BYTES = 8L << 20;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock; // null when read-only
    private volatile String headerDamage; // set once by open
    private final StoreLayout layout;
    private final int rowBytes;
    private final int rowShift;
    private final long rowMask;
    private final Arena arena = Arena.ofShared();

    /** Full-chunk mappings; replaced (copy-on-write) before the commit that first uses a new chunk. */
    private volatile MemorySegment[] chunks = new MemorySegment[0];
    /** The published commit; read first by every reader, so chunks seen afterwards cover it. */
    private volatile StoreHeader committed;
    private volatile boolean closed;
    /** Rows written so far, committed or not (writer only, guarded by this). */
    private long appended;

    private VectorStore(Path path, FileChannel channel, FileLock lock, StoreHeader header) throws IOException {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.layout = header.layout();
        this.rowBytes = layout.rowBytes();
        this.rowShift = layout.rowShift();
        this.rowMask = layout.rowsPerChunk() - 1;
        try {
            mapChunksFor(header.committedRows());
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        this.committed = header;
        this.appended = header.committedRows();
    }

    // ---------------------------------------------------------------- opening

    /** Options for a new store; see {@link VectorStoreBuilder}. */
    public static VectorStoreBuilder builder(Path file) {
        return new VectorStoreBuilder(file);
    }

    /** Creates a new store file (it must not exist) with default chunking, open for writing. */
    public static VectorStore create(Path file, int dimension, ElementType type) throws IOException {
        return builder(file).dimension(dimension).elementType(type).create();
    }

    static VectorStore create(Path file, StoreLayout layout, StoreOwner owner) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = lockForWriting(ch, file);
            ch.write(ByteBuffer.wrap(new byte[1]), StoreLayout.DATA_OFFSET - 1); // full header region
            // Both slots valid and empty: generation 0 in slot 0, generation 1 in slot 1.
            StoreHeader zero = new StoreHeader(StoreHeader.FORMAT_VERSION, layout, owner, 0, 0, 0, 0);
            HeaderSlots.write(ch, zero);
            StoreHeader first = zero.next(0, 0, 0);
            HeaderSlots.write(ch, first);
            ch.force(true);
            return new VectorStore(file, ch, lock, first);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens an existing store for reading and writing. Reads only the headers (O(1)).
     *
     * @throws StoreLockedException if another writer has it open
     * @throws CorruptStoreException if the file is not a valid store
     */
    public static VectorStore open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock = lockForWriting(ch, file);
            VectorStore store = new VectorStore(file, ch, lock, HeaderSlots.readNewest(ch, file));
            store.headerDamage = HeaderSlots.damagedSlot(ch);
            return store;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Opens an existing store read-only, at its latest commit; takes no lock. O(1). */
    public static VectorStore openReadOnly(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            VectorStore store = new VectorStore(file, ch, null, HeaderSlots.readNewest(ch, file));
            store.headerDamage = HeaderSlots.damagedSlot(ch);
            return store;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static FileLock lockForWriting(FileChannel ch, Path file) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new StoreLockedException(file + " is already open for writing in this JVM");
        }
        if (lock == null) {
            throw new StoreLockedException(file + " is already open for writing by another process");
        }
        return lock;
    }

    // ---------------------------------------------------------------- shape

    public int dimension() {
        return layout.dimension();
    }

    public ElementType elementType() {
        return layout.type();
    }

    /** Bytes of one vector (dimension * element bytes). */
    public int rowBytes() {
        return rowBytes;
    }

    /** Rows per chunk, a power of two. */
    public long rowsPerChunk() {
        return layout.rowsPerChunk();
    }

    public Path path() {
        return path;
    }

    /** The index this store was created for ({@link StoreOwner#NONE} if none was given, or for a format 1 store). */
    public StoreOwner owner() {
        return published().owner();
    }

    public boolean isReadOnly() {
        return lock == null;
    }

    /**
     * The header slot found damaged when this store was opened ("slot 1: header checksum mismatch"), or null.
     * The store then opened at the other slot's commit: if the damaged one was newer (a torn header write
     * or a flipped byte), its rows are hidden. An index that knows how many rows it committed refuses to
     * open on it; a caller that does not can report it ({@code panavec info} does).
     */
    public String headerDamage() {
        return headerDamage;
    }

    /** Committed rows (what readers see). */
    public long size() {
        return published().committedRows();
    }

    /** The commit generation currently visible; grows by one per commit. */
    public long generation() {
        return published().generation();
    }

    // ---------------------------------------------------------------- reading

    /** Vector {@code i} ({@code 0 <= i < size()}) as a read-only slice of the mapping, no copy. */
    public MemorySegment row(long i) {
        checkRow(i);
        return chunkSegment(i).asSlice((i & rowMask) * rowBytes, rowBytes).asReadOnly();
    }

    /** Vector {@code i} decoded to floats (a copy). */
    public float[] rowAsFloats(long i) {
        checkRow(i);
        MemorySegment c = chunkSegment(i);
        long off = (i & rowMask) * rowBytes;
        int dim = layout.dimension();
        float[] out = new float[dim];
        switch (layout.type()) {
            case F32 -> MemorySegment.copy(c, F32, off, out, 0, dim);
            case F16 -> {
                for (int j = 0; j < dim; j++) {
                    out[j] = Float.float16ToFloat(c.get(F16, off + 2L * j));
                }
            }
            case I8 -> {
                for (int j = 0; j < dim; j++) {
                    out[j] = c.get(ValueLayout.JAVA_BYTE, off + j);
                }
            }
        }
        return out;
    }

    /** External id of row {@code i}. */
    public long externalId(long i) {
        checkRow(i);
        return chunkSegment(i).get(I64, layout.idsOffset() + (i & rowMask) * Long.BYTES);
    }

    /** Chunks holding committed rows: ceil(size() / rowsPerChunk()). */
    public int chunkCount() {
        return Math.toIntExact(layout.chunksFor(size()));
    }

    /**
     * The committed vectors of chunk {@code c}: rows {@code c * rowsPerChunk()} up to the next chunk or
     * {@code size()}, back to back ({@link #rowBytes()} each), read-only, 64-byte aligned, no copy.
     */
    public MemorySegment chunk(int c) {
        long rows = rowsInChunk(c);
        requireFileCovers(c);
        return chunks[c].asSlice(0, rows * rowBytes).asReadOnly();
    }

    /**
     * Throws {@link java.io.UncheckedIOException} over a {@link CorruptStoreException} if the file no longer covers chunk {@code c}: another process
     * truncated it while it is mapped, and native code reading the chunk would die of SIGBUS. Checked each
     * time a chunk is handed out (one fstat), so a truncation before a search or scan starts is an
     * exception; one that lands while a native call is reading can still kill the process.
     */
    private void requireFileCovers(int c) {
        long end = layout.chunkOffset(c + 1L);
        long size;
        try {
            size = channel.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(path + ": cannot check the file's length", e);
        }
        if (size < end) {
            CorruptStoreException e = new CorruptStoreException(path + ": truncated to " + size + " bytes while mapped (chunk " + c
                    + " needs " + end + "): another process shrank the file");
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The external ids (little-endian int64) of the committed rows of chunk {@code c}, no copy. */
    public MemorySegment chunkIds(int c) {
        long rows = rowsInChunk(c);
        return chunks[c].asSlice(layout.idsOffset(), rows * Long.BYTES).asReadOnly();
    }

    private long rowsInChunk(int c) {
        long size = size();
        Objects.checkIndex(c, layout.chunksFor(size));
        return Math.min(layout.rowsPerChunk(), size - ((long) c << rowShift));
    }

    /**
     * Recomputes the CRC-32C of all committed vectors and ids (O(size)) and compares it with the header.
     *
     * @throws CorruptStoreException on mismatch
     */
    public void verify() throws CorruptStoreException {
        verify(1, rows -> { });
    }

    /**
     * {@link #verify()} on {@code threads} threads: pieces of the committed rows are checksummed in parallel and
     * their CRCs combined in row order. {@code progress} receives the number of rows checked so far, increasing,
     * after each piece (called from the verifying threads, one call at a time).
     *
     * @throws CorruptStoreException on mismatch, or if the file no longer covers the committed rows
     */
    public void verify(int threads, java.util.function.LongConsumer progress) throws CorruptStoreException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Objects.requireNonNull(progress, "progress");
        StoreHeader h = published();
        MemorySegment[] cs = chunks;
        long total = h.committedRows();
        for (int c = 0, n = (int) layout.chunksFor(total); c < n; c++) {
            try {
                requireFileCovers(c);
            } catch (java.io.UncheckedIOException e) {
                throw new CorruptStoreException(e.getMessage());
            }
        }
        long pieceRows = Math.max(1, Math.min(layout.rowsPerChunk(), VERIFY_PIECE_BYTES / rowBytes));
        long perChunk = (layout.rowsPerChunk() + pieceRows - 1) / pieceRows;
        int pieces = Math.toIntExact(layout.chunksFor(total) * perChunk);
        int[] vectorCrcs = new int[pieces];
        int[] idCrcs = new int[pieces];
        long[] pieceLength = new long[pieces];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        long[] done = {0};
        Runnable worker = () -> {
            for (int p; (p = next.getAndIncrement()) < pieces; ) {
                long chunk = p / perChunk;
                long from = (p % perChunk) * pieceRows;
                long rows = Math.min(Math.min(pieceRows, layout.rowsPerChunk() - from), total - (chunk << rowShift) - from);
                if (rows <= 0) {
                    continue;
                }
                MemorySegment c = cs[(int) chunk];
                vectorCrcs[p] = Crc32c.of(c.asSlice(from * rowBytes, rows * rowBytes));
                idCrcs[p] = Crc32c.of(c.asSlice(layout.idsOffset() + from * Long.BYTES, rows * Long.BYTES));
                pieceLength[p] = rows;
                synchronized (done) {
                    done[0] += rows;
                    progress.accept(done[0]);
                }
            }
        };
        int workers = (int) Math.min(threads, pieces);
        Thread[] started = new Thread[Math.max(0, workers - 1)];
        Throwable[] failure = {null};
        for (int t = 0; t < started.length; t++) {
            started[t] = Thread.ofPlatform().daemon().name("panavec-verify-" + t).unstarted(worker);
            started[t].setUncaughtExceptionHandler((th, e) -> {
                synchronized (failure) {
                    failure[0] = e;
                }
            });
            started[t].start();
        }
        if (workers > 0) {
            worker.run();
        }
        for (Thread t : started) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(path + ": interrupted while verifying", e);
            }
        }
        synchronized (failure) {
            if (failure[0] instanceof RuntimeException r) throw r;
            if (failure[0] instanceof Error err) throw err;
        }
        int v = 0;
        int i = 0;
        for (int p = 0; p < pieces; p++) {
            v = Crc32c.combine(v, vectorCrcs[p], pieceLength[p] * rowBytes);
            i = Crc32c.combine(i, idCrcs[p], pieceLength[p] * Long.BYTES);
        }
        if (v != h.vectorsCrc() || i != h.idsCrc()) {
            throw new CorruptStoreException(String.format(
                    "%s: data CRC mismatch over %d committed rows: vectors stored 0x%08x computed 0x%08x, "
                            + "ids stored 0x%08x computed 0x%08x",
                    path, h.committedRows(), h.vectorsCrc(), v, h.idsCrc(), i));
        }
    }

    /** CRC-32C of the committed vectors in row order, as recorded in the header. */
    public int vectorsCrc() {
        return published().vectorsCrc();
    }

    /** CRC-32C of the committed ids (little-endian int64, row order), as recorded in the header. */
    public int idsCrc() {
        return published().idsCrc();
    }

    /**
     * Read-only stores: picks up commits made since open by a writer (possibly in another process).
     * Reads only the headers. Returns the new size. Writers already see their own commits.
     */
    public synchronized long refresh() throws IOException {
        StoreHeader current = published();
        if (!isReadOnly()) {
            return current.committedRows();
        }
        StoreHeader latest = HeaderSlots.readNewest(channel, path);
        if (latest.generation() <= current.generation()) {
            return current.committedRows();
        }
        if (!latest.layout().equals(layout) || !latest.owner().equals(current.owner()) || latest.committedRows() < current.committedRows()) {
            throw new CorruptStoreException(path + ": header changed incompatibly: generation "
                    + current.generation() + " had " + current.committedRows() + " rows, " + layout
                    + "; generation " + latest.generation() + " has " + latest.committedRows() + " rows, " + latest.layout());
        }
        mapChunksFor(latest.committedRows());
        committed = latest;
        return latest.committedRows();
    }

    // ---------------------------------------------------------------- writing

    /** Appends {@code v} with external id = its row number. Returns the row number. */
    public long append(float[] v) {
        synchronized (this) {
            return append(appended, v);
        }
    }

    /**
     * Appends {@code v} (F32 stored as is, F16 rounded to nearest; for I8 every value must be an
     * integer in -128..127) with the given external id. Returns the row number. Invisible until commit.
     *
     * @throws IllegalArgumentException wrong length, NaN, infinity, or out of the element type's range
     */
    public synchronized long append(long id, float[] v) {
        checkWritable();
        checkVector(v);
        long row = appended;
        MemorySegment c = writableChunk(row);
        long off = (row & rowMask) * rowBytes;
        int dim = layout.dimension();
        switch (layout.type()) {
            case F32 -> MemorySegment.copy(v, 0, c, F32, off, dim);
            case F16 -> {
                for (int j = 0; j < dim; j++) {
                    c.set(F16, off + 2L * j, Float.floatToFloat16(v[j]));
                }
            }
            case I8 -> {
                for (int j = 0; j < dim; j++) {
                    c.set(ValueLayout.JAVA_BYTE, off + j, (byte) v[j]);
                }
            }
        }
        c.set(I64, layout.idsOffset() + (row & rowMask) * Long.BYTES, id);
        appended = row + 1;
        return row;
    }

    /** I8 stores: appends {@code v} with external id = its row number. */
    public long append(byte[] v) {
        synchronized (this) {
            return append(appended, v);
        }
    }

    /** I8 stores: appends {@code v} with the given external id. Returns the row number. */
    public synchronized long append(long id, byte[] v) {
        checkWritable();
        if (layout.type() != ElementType.I8) {
            throw new IllegalArgumentException("append(byte[]) needs an I8 store; this store holds " + layout.type());
        }
        Objects.requireNonNull(v, "vector");
        if (v.length != layout.dimension()) {
            throw new IllegalArgumentException("vector has dimension " + v.length + ", store has " + layout.dimension());
        }
        long row = appended;
        MemorySegment c = writableChunk(row);
        MemorySegment.copy(v, 0, c, ValueLayout.JAVA_BYTE, (row & rowMask) * rowBytes, v.length);
        c.set(I64, layout.idsOffset() + (row & rowMask) * Long.BYTES, id);
        appended = row + 1;
        return row;
    }

    /**
     * Appends {@code n} rows already in this store's encoding ({@link #rowBytes()} each, back to back,
     * little-endian) from {@code src}; external ids are the row numbers. Returns the first row number.
     */
    public long appendBatch(MemorySegment src, long n) {
        return appendBatch(src, null, n);
    }

    /**
     * Like {@link #appendBatch(MemorySegment, long)} with explicit external ids ({@code ids.length == n};
     * null means row numbers). Everything is validated (sizes, NaN/infinity for F32 and F16) before
     * anything is written.
     */
    public synchronized long appendBatch(MemorySegment src, long[] ids, long n) {
        checkWritable();
        Objects.requireNonNull(src, "src");
        if (n < 0) {
            throw new IllegalArgumentException("negative row count " + n);
        }
        if (ids != null && ids.length != n) {
            throw new IllegalArgumentException("ids has " + ids.length + " entries for " + n + " rows");
        }
        long bytes = Math.multiplyExact(n, (long) rowBytes);
        if (src.byteSize() < bytes) {
            throw new IllegalArgumentException("src holds " + src.byteSize() + " bytes, " + n + " rows of "
                    + rowBytes + " bytes need " + bytes);
        }
        checkFinite(src, n);
        long first = appended;
        long done = 0;
        while (done < n) {
            long row = first + done;
            MemorySegment c = writableChunk(row);
            long inChunk = row & rowMask;
            long count = Math.min(n - done, layout.rowsPerChunk() - inChunk);
            MemorySegment.copy(src, done * rowBytes, c, inChunk * rowBytes, count * rowBytes);
            for (long k = 0; k < count; k++) {
                long id = ids == null ? row + k : ids[(int) (done + k)];
                c.set(I64, layout.idsOffset() + (inChunk + k) * Long.BYTES, id);
            }
            done += count;
            appended = row + count;
        }
        return first;
    }

    /** Rows appended but not yet committed. */
    public synchronized long pendingRows() {
        return appended - published().committedRows();
    }

    /**
     * Makes all appended rows durable and visible: forces them to disk, then writes and forces the
     * header slot of the next generation. A crash at any point leaves either the old or the new commit.
     */
    public synchronized void commit() throws IOException {
        checkWritable();
        StoreHeader old = committed;
        long from = old.committedRows();
        long to = appended;
        if (to == from) {
            return;
        }
        MemorySegment[] cs = chunks;
        CRC32C vectors = new CRC32C();
        CRC32C ids = new CRC32C();
        for (long row = from; row < to; ) {
            MemorySegment c = cs[(int) (row >>> rowShift)];
            long inChunk = row & rowMask;
            long count = Math.min(to - row, layout.rowsPerChunk() - inChunk);
            MemorySegment vecs = c.asSlice(inChunk * rowBytes, count * rowBytes);
            MemorySegment idSlice = c.asSlice(layout.idsOffset() + inChunk * Long.BYTES, count * Long.BYTES);
            Crc32c.update(vectors, vecs);
            Crc32c.update(ids, idSlice);
            vecs.force();
            idSlice.force();
            row += count;
        }
        channel.force(true); // file length of newly added chunks
        long rows = to - from;
        StoreHeader next = old.next(to,
                Crc32c.combine(old.vectorsCrc(), (int) vectors.getValue(), rows * rowBytes),
                Crc32c.combine(old.idsCrc(), (int) ids.getValue(), rows * Long.BYTES));
        HeaderSlots.write(channel, next);
        committed = next;
    }

    // ---------------------------------------------------------------- closing

    /**
     * Unmaps the file and releases the write lock. Uncommitted rows are discarded. Idempotent.
     *
     * @throws IllegalStateException if a native call is still using the mapped memory; the store then
     *     stays open and close() may be retried once that call returns
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            arena.close();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(path + ": cannot close while the mapped memory is in use by a native "
                    + "call; retry close() after it returns", e);
        }
        closed = true;
        try {
            if (lock != null) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }

    // ---------------------------------------------------------------- internals

    private StoreHeader published() {
        if (closed) {
            throw new IllegalStateException(path + ": store is closed");
        }
        return committed;
    }

    private void checkRow(long i) {
        long size = size();
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("row " + i + " out of bounds for " + size + " committed rows");
        }
    }

    private MemorySegment chunkSegment(long row) {
        return chunks[(int) (row >>> rowShift)];
    }

    private void checkWritable() {
        published();
        if (isReadOnly()) {
            throw new IllegalStateException(path + ": store is open read-only");
        }
    }

    private void checkVector(float[] v) {
        Objects.requireNonNull(v, "vector");
        if (v.length != layout.dimension()) {
            throw new IllegalArgumentException("vector has dimension " + v.length + ", store has " + layout.dimension());
        }
        for (int j = 0; j < v.length; j++) {
            float x = v[j];
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("vector element " + j + " is " + x + " (must be finite)");
            }
            switch (layout.type()) {
                case F32 -> { }
                case F16 -> {
                    if (!Float.isFinite(Float.float16ToFloat(Float.floatToFloat16(x)))) {
                        throw new IllegalArgumentException("vector element " + j + " = " + x
                                + " overflows F16 (max 65504)");
                    }
                }
                case I8 -> {
                    if (x != Math.rint(x) || x < Byte.MIN_VALUE || x > Byte.MAX_VALUE) {
                        throw new IllegalArgumentException("vector element " + j + " = " + x
                                + " is not an integer in -128..127 (I8 store)");
                    }
                }
            }
        }
    }

    private void checkFinite(MemorySegment src, long n) {
        long elements = n * layout.dimension();
        switch (layout.type()) {
            case F32 -> {
                for (long k = 0; k < elements; k++) {
                    float x = src.get(F32, 4 * k);
                    if (!Float.isFinite(x)) {
                        throw new IllegalArgumentException("row " + k / layout.dimension() + " element "
                                + k % layout.dimension() + " is " + x + " (must be finite)");
                    }
                }
            }
            case F16 -> {
                for (long k = 0; k < elements; k++) {
                    short h = src.get(F16, 2 * k);
                    if ((h & F16_EXPONENT_MASK) == F16_EXPONENT_MASK) {
                        throw new IllegalArgumentException("row " + k / layout.dimension() + " element "
                                + k % layout.dimension() + " is " + Float.float16ToFloat(h) + " (must be finite)");
                    }
                }
            }
            case I8 -> { }
        }
    }

    /** The chunk that will hold {@code row}, extending the file and mapping it if needed. */
    private MemorySegment writableChunk(long row) {
        int c = (int) (row >>> rowShift);
        MemorySegment[] cs = chunks;
        if (c < cs.length) {
            return cs[c];
        }
        try {
            mapChunksFor(row + 1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(path + ": cannot grow the store", e);
        }
        return chunks[c];
    }

    /**
     * Maps chunks so that rows 0..rows-1 are covered, extending the file first (writer) so that no
     * mapping reaches past EOF. Publishes a new chunk array.
     */
    private synchronized void mapChunksFor(long rows) throws IOException {
        MemorySegment[] cs = chunks;
        long need = layout.chunksFor(rows);
        if (need <= cs.length) {
            return;
        }
        if (need > Integer.MAX_VALUE) {
            throw new IllegalStateException("too many chunks: " + need);
        }
        long end = layout.chunkOffset(need);
        if (channel.size() < end) {
            if (isReadOnly()) {
                throw new CorruptStoreException(path + ": truncated: expected " + end + " bytes, actual file size "
                        + channel.size() + " bytes");
            }
            channel.write(ByteBuffer.wrap(new byte[1]), end - 1); // sparse extension
        }
        FileChannel.MapMode mode = isReadOnly() ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE;
        MemorySegment[] grown = Arrays.copyOf(cs, (int) need);
        for (int c = cs.length; c < need; c++) {
            grown[c] = channel.map(mode, layout.chunkOffset(c), layout.chunkBytes(), arena);
        }
        chunks = grown;
    }
}
