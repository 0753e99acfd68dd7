// Over 450 lines: the one Java handle over the FAISS shim; every call shares its lifecycle lock and input checks.
package io.panavec.faiss;

import static io.panavec.bindings.panavec_faiss_h.*;

import io.panavec.internal.NativeMetric;
import io.panavec.bindings.PanavecNativeException;
import io.panavec.graph.VectorView;
import io.panavec.internal.Rows;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A FAISS 1.7.3 index living in native memory, built from an index_factory spec ("Flat",
 * "HNSW32,Flat", "IVF1024,PQ48", "OPQ48,IVF1024,PQ48", "IVF1024,SQ8", "IDMap,Flat", ...).
 *
 * <p>Scores: {@link NativeMetric#INNER_PRODUCT} returns dot products and {@link NativeMetric#COSINE} cosine
 * similarities (larger is better; cosine is inner product over vectors this class normalizes on
 * the way in, a zero vector staying zero); {@link NativeMetric#L2} returns squared distances (smaller
 * is better). Ids are insertion positions (0, 1, ...) unless the index is an IDMap fed with
 * {@link #addWithIds}.
 *
 * <p>Thread safety: searches run concurrently; mutations (train, add, remove) and {@link #close}
 * are exclusive and wait for in-flight calls. Different {@code efSearch} values in concurrent
 * HNSW searches are safe (the native side serializes the searches that must change it). After
 * {@link #close} every method throws {@link IllegalStateException}; no call reaches the freed
 * handle. Arguments are validated before any native call; FAISS's own errors surface as
 * {@link PanavecNativeException} carrying FAISS's message.
 */
public final class FaissIndex implements AutoCloseable {
    private static final int ERR_CAP = 2048;

    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Lock read = rw.readLock();
    private final Lock write = rw.writeLock();
    private final int dim;
    private final NativeMetric metric;
    private final int features;
    private MemorySegment handle; // guarded by rw; NULL once closed
    /** For an index over store rows ({@link #overStore}): the view it was last bound to (guarded by rw), else null. */
    private VectorView rows;

    private FaissIndex(MemorySegment handle, NativeMetric metric) {
        this.handle = handle;
        this.metric = metric;
        this.dim = Math.toIntExact(pv_faiss_index_dim(handle));
        this.features = pv_faiss_index_features(handle);
    }

    /**
     * Builds an empty index. The spec must be in {@link FactoryString}'s grammar, every parameter in range
     * (FAISS itself crashes on some): anything else throws {@link IllegalArgumentException} listing what is supported.
     */
    public static FaissIndex create(int dim, String spec, NativeMetric metric) {
        if (dim <= 0) throw new IllegalArgumentException("dim must be > 0, got " + dim);
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(metric, "metric");
        FactoryString.check(spec, dim);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            MemorySegment err = arena.allocate(ERR_CAP);
            int nativeMetric = metric.unitVectorCode(); // cosine is IP over normalized vectors
            PanavecNativeException.check(pv_faiss_index_factory(dim, arena.allocateFrom(spec), nativeMetric, out, err, ERR_CAP), err);
            return new FaissIndex(out.get(C_POINTER, 0), metric);
        }
    }

    /** Reads an index written by {@link #save}; its metric is the file's (IP or L2). */
    public static FaissIndex load(Path path) {
        return load(path, null);
    }

    /**
     * Reads an index written by {@link #save}, as {@code metric}: it must match the file's, except
     * that {@link NativeMetric#COSINE} may be asked of an inner-product file (FAISS does not record it).
     */
    public static FaissIndex load(Path path, NativeMetric metric) {
        Objects.requireNonNull(path, "path");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_index_read(arena.allocateFrom(path.toAbsolutePath().toString()), out, err, ERR_CAP), err);
            MemorySegment h = out.get(C_POINTER, 0);
            int fileMetric = pv_faiss_index_metric(h);
            NativeMetric fromFile = fileMetric == NativeMetric.INNER_PRODUCT.code() || fileMetric == NativeMetric.L2.code() ? NativeMetric.ofCode(fileMetric) : null;
            NativeMetric chosen = metric == null ? fromFile : metric;
            boolean compatible = fromFile != null
                    && (chosen == fromFile || (chosen == NativeMetric.COSINE && fromFile == NativeMetric.INNER_PRODUCT));
            if (!compatible) {
                pv_faiss_index_free(h);
                throw new IllegalArgumentException(path + " holds a " + (fromFile == null ? "non IP/L2" : fromFile)
                        + " index, which cannot be used as " + chosen);
            }
            return new FaissIndex(h, chosen);
        }
    }

    /**
     * An empty index whose vectors are the rows of a store, read in place (no copy), FAISS id i being store row i:
     * {@code hnswM} 0 searches them exhaustively (FAISS's {@code Flat}), 2..512 walks an HNSW graph with M links
     * over them (FAISS's {@code HNSW<M>,Flat}). Rows are added with {@link #addRows}, never {@link #add}; it
     * persists with {@link #saveLinks} / {@link #loadOverStore}. The store must stay open until this index is
     * closed (a call after it closed throws {@link IllegalStateException} before reaching native code).
     */
    public static FaissIndex overStore(int dim, NativeMetric metric, int hnswM) {
        if (dim <= 0) throw new IllegalArgumentException("dim must be > 0, got " + dim);
        Objects.requireNonNull(metric, "metric");
        if (hnswM != 0 && (hnswM < 2 || hnswM > FactoryString.MAX_HNSW_M)) {
            throw new IllegalArgumentException("HNSW M must be 0 (flat) or in 2.." + FactoryString.MAX_HNSW_M + ", got " + hnswM);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_store_create(dim, metric.unitVectorCode(), hnswM, out, err, ERR_CAP), err);
            return new FaissIndex(out.get(C_POINTER, 0), metric);
        }
    }

    /**
     * Reads a file written by {@link #saveLinks} over {@code rows} (the store's committed rows, at least the
     * file's): the file must name this dimension and metric (cosine as inner product) and hold links that pass
     * the structural checks, else {@link PanavecNativeException} (PV_ECORRUPT) naming what is wrong.
     */
    public static FaissIndex loadOverStore(Path path, NativeMetric metric, VectorView rows) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(rows, "rows");
        requireF32(rows);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_store_read(arena.allocateFrom(path.toAbsolutePath().toString()), rows.dimension(),
                    metric.unitVectorCode(), rows.struct(arena), out, err, ERR_CAP), err);
            FaissIndex index = new FaissIndex(out.get(C_POINTER, 0), metric);
            index.rows = rows;
            return index;
        }
    }

    private static void requireF32(VectorView rows) {
        if (rows.type() != io.panavec.store.ElementType.F32) {
            throw new IllegalArgumentException("FAISS reads F32 store rows, not " + rows.type());
        }
    }

    /** Whether the vectors are a store's rows ({@link #overStore}) rather than FAISS's own copy. */
    public boolean isOverStore() {
        return (features & PV_FAISS_HAS_STORE_ROWS) != 0;
    }

    /**
     * Binds the index to {@code rows} (a newer view of the same store) and adds the rows it does not hold yet
     * (FAISS's HNSW add, on {@link #setThreads} threads). The rows were validated when they were appended.
     */
    public void addRows(VectorView rows) {
        Objects.requireNonNull(rows, "rows");
        requireOverStore();
        requireF32(rows);
        if (rows.dimension() != dim) throw new IllegalArgumentException("rows of dimension " + rows.dimension() + ", the index " + dim);
        mutate(arena -> {
            if (rows.count() < pv_faiss_index_ntotal(handle)) {
                throw new IllegalArgumentException(rows.count() + " rows, the index holds " + pv_faiss_index_ntotal(handle));
            }
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_store_add(handle, rows.struct(arena), err, ERR_CAP), err);
            this.rows = rows;
            return null;
        });
    }

    /** Writes the index without its vectors (the HNSW levels and links; a header alone when flat). */
    public void saveLinks(Path path) {
        Objects.requireNonNull(path, "path");
        requireOverStore();
        query(arena -> {
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_store_write(handle, arena.allocateFrom(path.toAbsolutePath().toString()), err, ERR_CAP), err);
            return null;
        });
    }

    private void requireOverStore() {
        if (!isOverStore()) throw new IllegalStateException("this FAISS index holds its own vectors, not store rows");
    }

    /** OpenMP threads FAISS uses inside each call, process-wide; 0 = OpenMP's default. */
    public static void setThreads(int threads) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        pv_faiss_set_omp_threads(threads);
    }

    public int dim() {
        return dim;
    }

    public NativeMetric metric() {
        return metric;
    }

    /** Whether the index has an HNSW layer (so {@link SearchParams#efSearch} applies). */
    public boolean isHnsw() {
        return (features & PV_FAISS_HAS_HNSW) != 0;
    }

    /** Whether the index is wrapped in an id map (vectors are added with {@link #addWithIds}). */
    public boolean hasIdMap() {
        return (features & PV_FAISS_HAS_IDMAP) != 0;
    }

    /** Whether the index has an IVF layer (so {@link SearchParams#nprobe} applies). */
    public boolean isIvf() {
        return (features & PV_FAISS_HAS_IVF) != 0;
    }

    /** Number of vectors in the index. */
    public long size() {
        read.lock();
        try {
            return pv_faiss_index_ntotal(open());
        } finally {
            read.unlock();
        }
    }

    public boolean isTrained() {
        read.lock();
        try {
            return pv_faiss_index_is_trained(open()) == 1;
        } finally {
            read.unlock();
        }
    }

    // ---- building ----------------------------------------------------------------------------

    public void train(float[][] vectors) {
        Objects.requireNonNull(vectors, "vectors");
        try (Arena arena = Arena.ofConfined()) {
            train(Rows.pack(arena, vectors, dim), vectors.length);
        }
    }

    /** Trains on {@code n} row-major vectors of {@link #dim()} floats read from {@code vectors}. */
    public void train(MemorySegment vectors, long n) {
        if (n <= 0) throw new IllegalArgumentException("train needs n > 0 vectors, got " + n);
        mutate(arena -> {
            MemorySegment x = prepare(arena, vectors, n);
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_index_train(handle, n, x, err, ERR_CAP), err);
            return null;
        });
    }

    /**
     * Sets HNSW's build beam for vectors added from now on (FAISS's factory leaves it at 40).
     *
     * @throws io.panavec.bindings.PanavecNativeException with PV_EUNSUPPORTED when the index has no HNSW layer
     */
    public void setEfConstruction(int efConstruction) {
        if (efConstruction < 1) throw new IllegalArgumentException("efConstruction must be >= 1, got " + efConstruction);
        mutate(arena -> {
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_index_set_ef_construction(handle, efConstruction, err, ERR_CAP), err);
            return null;
        });
    }

    public void add(float[][] vectors) {
        Objects.requireNonNull(vectors, "vectors");
        try (Arena arena = Arena.ofConfined()) {
            add(Rows.pack(arena, vectors, dim), vectors.length);
        }
    }

    /** Adds {@code n} row-major vectors; their ids are the next positions (size(), size()+1, ...). */
    public void add(MemorySegment vectors, long n) {
        addImpl(vectors, n, null);
    }

    public void addWithIds(float[][] vectors, long[] ids) {
        Objects.requireNonNull(vectors, "vectors");
        try (Arena arena = Arena.ofConfined()) {
            addWithIds(Rows.pack(arena, vectors, dim), vectors.length, ids);
        }
    }

    /** Adds {@code n} vectors under the given non-negative ids (IDMap and IVF indexes). */
    public void addWithIds(MemorySegment vectors, long n, long[] ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.length != n) throw new IllegalArgumentException("ids has " + ids.length + " entries for " + n + " vectors");
        for (long id : ids) {
            if (id < 0) throw new IllegalArgumentException("ids must be >= 0, got " + id);
        }
        addImpl(vectors, n, ids);
    }

    private void addImpl(MemorySegment vectors, long n, long[] ids) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (isOverStore()) throw new IllegalStateException("an index over store rows adds them with addRows");
        mutate(arena -> {
            if (pv_faiss_index_is_trained(handle) != 1) {
                throw new IllegalStateException("the index needs training before vectors are added");
            }
            MemorySegment x = prepare(arena, vectors, n);
            if (n == 0) return null;
            MemorySegment err = arena.allocate(ERR_CAP);
            if (ids == null) {
                PanavecNativeException.check(pv_faiss_index_add(handle, n, x, err, ERR_CAP), err);
            } else {
                PanavecNativeException.check(pv_faiss_index_add_with_ids(handle, n, x, arena.allocateFrom(ValueLayout.JAVA_LONG, ids), err, ERR_CAP), err);
            }
            return null;
        });
    }

    /**
     * Removes these ids; returns how many FAISS removed. Indexes that cannot remove (HNSW) throw
     * {@link PanavecNativeException} with FAISS's message. A plain (non-IDMap) Flat index
     * renumbers the vectors that followed the removed ones.
     */
    public long removeIds(long... ids) {
        Objects.requireNonNull(ids, "ids");
        return mutate(arena -> {
            MemorySegment err = arena.allocate(ERR_CAP);
            MemorySegment removed = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment idSeg = ids.length == 0 ? MemorySegment.NULL : arena.allocateFrom(ValueLayout.JAVA_LONG, ids);
            PanavecNativeException.check(pv_faiss_index_remove_ids(handle, ids.length, idSeg, removed, err, ERR_CAP), err);
            return removed.get(ValueLayout.JAVA_LONG, 0);
        });
    }

    // ---- searching ---------------------------------------------------------------------------

    public FaissHits search(float[] query, int k) {
        return search(query, k, SearchParams.defaults());
    }

    public FaissHits search(float[] query, int k, SearchParams params) {
        Objects.requireNonNull(query, "query");
        return search(new float[][] {query}, k, params)[0];
    }

    public FaissHits[] search(float[][] queries, int k, SearchParams params) {
        Objects.requireNonNull(queries, "queries");
        try (Arena arena = Arena.ofConfined()) {
            return search(Rows.pack(arena, queries, dim), queries.length, k, params);
        }
    }

    /** Searches {@code n} row-major queries; one result per query. */
    public FaissHits[] search(MemorySegment queries, long n, int k, SearchParams params) {
        Objects.requireNonNull(params, "params");
        return query(arena -> {
            return searchLocked(arena, queries, n, k, params.efSearch(), params.nprobe(), allowSegment(arena, params), allowBits(params));
        });
    }

    /**
     * Searches one query with only the ids set in {@code allow} (native words, bit i of word i/64, covering
     * {@code allowBits} ids; NULL allows all) returned: the allow-set reaches FAISS as the same memory, not
     * copied. Index types FAISS cannot restrict refuse it with PV_EUNSUPPORTED.
     */
    public FaissHits search(float[] query, int k, int efSearch, int nprobe, MemorySegment allow, long allowBits) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(allow, "allow");
        if (efSearch < 0 || nprobe < 0) throw new IllegalArgumentException("efSearch and nprobe must be >= 0");
        if (!allow.equals(MemorySegment.NULL) && (allowBits < 0 || allow.byteSize() * 8 < allowBits)) {
            throw new IllegalArgumentException("allow holds " + allow.byteSize() + " bytes, not " + allowBits + " bits");
        }
        return query(arena -> searchLocked(arena, Rows.pack(arena, new float[][] {query}, dim), 1, k, efSearch, nprobe, allow,
                allow.equals(MemorySegment.NULL) ? 0 : allowBits)[0]);
    }

    private FaissHits[] searchLocked(Arena arena, MemorySegment queries, long n, int k, int efSearch, int nprobe, MemorySegment allowSeg,
                                     long allowBits) {
        if (k <= 0) throw new IllegalArgumentException("k must be > 0, got " + k);
        if (n < 0 || n > Integer.MAX_VALUE) throw new IllegalArgumentException("n must be in [0, 2^31), got " + n);
        MemorySegment x = prepare(arena, queries, n);
        FaissHits[] results = new FaissHits[(int) n];
        if (n == 0) return results;
        // Never ask FAISS for more hits than exist: k only sizes buffers.
        long kEff = Math.max(1, Math.min(k, pv_faiss_index_ntotal(handle)));
        MemorySegment dist = arena.allocate(ValueLayout.JAVA_FLOAT, Math.multiplyExact(n, kEff));
        MemorySegment labels = arena.allocate(ValueLayout.JAVA_LONG, Math.multiplyExact(n, kEff));
        MemorySegment err = arena.allocate(ERR_CAP);
        PanavecNativeException.check(pv_faiss_index_search(handle, n, x, kEff, efSearch, nprobe, allowSeg, allowBits,
                dist, labels, err, ERR_CAP), err);
        for (int q = 0; q < n; q++) {
            long base = q * kEff;
            int found = 0;
            while (found < kEff && labels.getAtIndex(ValueLayout.JAVA_LONG, base + found) >= 0) found++;
            long[] ids = new long[found];
            float[] scores = new float[found];
            MemorySegment.copy(labels, ValueLayout.JAVA_LONG, base * 8, ids, 0, found);
            MemorySegment.copy(dist, ValueLayout.JAVA_FLOAT, base * 4, scores, 0, found);
            results[q] = new FaissHits(ids, scores);
        }
        return results;
    }

    /**
     * All hits within {@code radius}: scores {@code > radius} for inner product / cosine, squared
     * distances {@code < radius} for L2 (FAISS's rule), best first. HNSW indexes do not support
     * it in FAISS 1.7.3 ({@link PanavecNativeException}).
     */
    public FaissHits rangeSearch(float[] query, float radius, SearchParams params) {
        Objects.requireNonNull(query, "query");
        return rangeSearch(new float[][] {query}, radius, params)[0];
    }

    public FaissHits[] rangeSearch(float[][] queries, float radius, SearchParams params) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(params, "params");
        if (!Float.isFinite(radius)) throw new IllegalArgumentException("radius must be finite, got " + radius);
        return query(arena -> {
            int n = queries.length;
            MemorySegment x = prepare(arena, Rows.pack(arena, queries, dim), n);
            MemorySegment out = arena.allocate(C_POINTER);
            MemorySegment err = arena.allocate(ERR_CAP);
            MemorySegment allowSeg = allowSegment(arena, params);
            long allowBits = allowBits(params);
            PanavecNativeException.check(pv_faiss_index_range_search(handle, n, x, radius, params.efSearch(), params.nprobe(), allowSeg,
                    allowBits, out, err, ERR_CAP), err);
            MemorySegment res = out.get(C_POINTER, 0);
            try {
                long total = pv_faiss_range_result_size(res);
                MemorySegment lims = arena.allocate(ValueLayout.JAVA_LONG, n + 1L);
                MemorySegment labels = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, total));
                MemorySegment dist = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, total));
                pv_faiss_range_result_copy(res, lims, labels, dist);
                FaissHits[] results = new FaissHits[n];
                for (int q = 0; q < n; q++) {
                    long lo = lims.getAtIndex(ValueLayout.JAVA_LONG, q);
                    int count = Math.toIntExact(lims.getAtIndex(ValueLayout.JAVA_LONG, q + 1L) - lo);
                    long[] ids = new long[count];
                    float[] scores = new float[count];
                    MemorySegment.copy(labels, ValueLayout.JAVA_LONG, lo * 8, ids, 0, count);
                    MemorySegment.copy(dist, ValueLayout.JAVA_FLOAT, lo * 4, scores, 0, count);
                    results[q] = new FaissHits(ids, scores);
                }
                return results;
            } finally {
                pv_faiss_range_result_free(res);
            }
        });
    }

    // ---- standalone codes (sa_encode / sa_decode) ---------------------------------------------

    /**
     * Bytes of one vector's standalone code (FAISS's {@code sa_code_size}): M for "PQ&lt;M&gt;", d for "SQ8", the
     * body's size after a transform ("PCA64,SQ8": 64); -1 when the index has none (HNSW, IDMap).
     */
    public long codeSize() {
        return query(arena -> pv_faiss_index_sa_code_size(handle));
    }

    /**
     * Encodes {@code n} row-major vectors into {@code n * codeSize()} bytes of {@code codes} (FAISS's
     * {@code sa_encode}; the index is not changed). Cosine indexes encode the normalized vectors.
     *
     * @throws IllegalStateException when the index is untrained or has no standalone codec
     */
    public void encode(MemorySegment vectors, long n, MemorySegment codes) {
        Objects.requireNonNull(codes, "codes");
        query(arena -> {
            long size = checkCodec(n, codes);
            MemorySegment x = prepare(arena, vectors, n);
            if (n == 0) return null;
            MemorySegment out = codes.isNative() ? codes : arena.allocate(n * size);
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_index_sa_encode(handle, n, x, out, err, ERR_CAP), err);
            if (out != codes) MemorySegment.copy(out, 0, codes, 0, n * size);
            return null;
        });
    }

    /**
     * Decodes {@code n} codes of {@code codeSize()} bytes into {@code n * dim()} floats of {@code vectors}: the
     * reconstruction FAISS scores with (FAISS's {@code sa_decode}; a PCA pre-transform is reversed).
     */
    public void decode(MemorySegment codes, long n, MemorySegment vectors) {
        Objects.requireNonNull(vectors, "vectors");
        query(arena -> {
            long size = checkCodec(n, codes);
            long bytes = Math.multiplyExact(Math.multiplyExact(n, (long) dim), 4L);
            if (vectors.byteSize() < bytes) {
                throw new IllegalArgumentException("output holds " + vectors.byteSize() + " bytes, " + n + " vectors need " + bytes);
            }
            if (n == 0) return null;
            MemorySegment in = codes.isNative() ? codes : arena.allocate(n * size);
            if (in != codes) MemorySegment.copy(codes, 0, in, 0, n * size);
            boolean direct = vectors.isNative() && vectors.address() % 4 == 0;
            MemorySegment out = direct ? vectors : arena.allocate(bytes, 4);
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_index_sa_decode(handle, n, in, out, err, ERR_CAP), err);
            if (!direct) MemorySegment.copy(out, 0, vectors, 0, bytes);
            return null;
        });
    }

    /** The code size, after checking n, the codes' length, training and that a standalone codec exists. */
    private long checkCodec(long n, MemorySegment codes) {
        Objects.requireNonNull(codes, "codes");
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        long size = pv_faiss_index_sa_code_size(handle);
        if (size < 0) throw new IllegalStateException("this FAISS index has no standalone codec (HNSW and IDMap have none)");
        if (pv_faiss_index_is_trained(handle) != 1) throw new IllegalStateException("the index needs training before encode/decode");
        long need = Math.multiplyExact(n, size);
        if (codes.byteSize() < need) {
            throw new IllegalArgumentException("codes hold " + codes.byteSize() + " bytes, " + n + " codes of " + size + " need " + need);
        }
        return size;
    }

    // ---- persistence and lifecycle -----------------------------------------------------------

    /** Writes the index with faiss::write_index (an index over store rows: {@link #saveLinks}). */
    public void save(Path path) {
        Objects.requireNonNull(path, "path");
        if (isOverStore()) throw new IllegalStateException("an index over store rows is written with saveLinks");
        query(arena -> {
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(pv_faiss_index_write(handle, arena.allocateFrom(path.toAbsolutePath().toString()), err, ERR_CAP), err);
            return null;
        });
    }

    /** Frees the native index after in-flight calls finish; idempotent. */
    @Override
    public void close() {
        write.lock();
        try {
            if (handle != null) {
                pv_faiss_index_free(handle);
                handle = null;
            }
        } finally {
            write.unlock();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private interface Call<T> {
        T run(Arena arena);
    }

    private <T> T query(Call<T> call) {
        read.lock();
        try (Arena arena = Arena.ofConfined()) {
            open();
            return call.run(arena);
        } finally {
            read.unlock();
        }
    }

    private <T> T mutate(Call<T> call) {
        write.lock();
        try (Arena arena = Arena.ofConfined()) {
            open();
            return call.run(arena);
        } finally {
            write.unlock();
        }
    }

    /** The allow-list of {@code params} as native words for the shim (NULL when every id is allowed). */
    private static MemorySegment allowSegment(Arena arena, SearchParams params) {
        long[] allow = params.allowWords();
        return allow == null ? MemorySegment.NULL : allow.length == 0 ? arena.allocate(8) : arena.allocateFrom(ValueLayout.JAVA_LONG, allow);
    }

    private static long allowBits(SearchParams params) {
        long[] allow = params.allowWords();
        return allow == null ? 0 : (long) allow.length * 64;
    }

    /** The handle, after checking it is open and, over store rows, that the store's mapping still is. */
    private MemorySegment open() {
        MemorySegment h = handle;
        if (h == null) throw new IllegalStateException("FaissIndex is closed");
        if (rows != null) rows.requireAlive();
        return h;
    }


    /**
     * The native, validated (finite, large enough) form of n row-major vectors; a copy when the
     * input is on the heap or the metric is cosine (normalized), else the input itself.
     */
    private MemorySegment prepare(Arena arena, MemorySegment vectors, long n) {
        Objects.requireNonNull(vectors, "vectors");
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        long floats = Math.multiplyExact(n, (long) dim);
        long bytes = Math.multiplyExact(floats, 4L);
        if (vectors.byteSize() < bytes) {
            throw new IllegalArgumentException("segment holds " + vectors.byteSize() + " bytes, " + n + " vectors of dimension "
                    + dim + " need " + bytes);
        }
        for (long i = 0; i < floats; i++) {
            float f = vectors.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i * 4);
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException("vector " + (i / dim) + " has a non-finite value " + f + " at " + (i % dim));
            }
        }
        boolean cosine = metric == NativeMetric.COSINE;
        if (!cosine && vectors.isNative() && vectors.address() % 4 == 0) return vectors;
        MemorySegment copy = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1L, floats));
        MemorySegment.copy(vectors, 0, copy, 0, bytes);
        if (cosine) {
            for (long r = 0; r < n; r++) {
                long off = r * dim * 4;
                double norm2 = 0;
                for (int j = 0; j < dim; j++) {
                    float f = copy.get(ValueLayout.JAVA_FLOAT, off + j * 4L);
                    norm2 += (double) f * f;
                }
                if (norm2 == 0) continue; // zero vector stays zero: cosine 0 with everything
                float inv = (float) (1.0 / Math.sqrt(norm2));
                for (int j = 0; j < dim; j++) {
                    long at = off + j * 4L;
                    copy.set(ValueLayout.JAVA_FLOAT, at, copy.get(ValueLayout.JAVA_FLOAT, at) * inv);
                }
            }
        }
        return copy;
    }
}
