// Over 450 lines: half its public methods are the long-key and String-key forms of one look-up, put or delete; the work is in Vocabulary, RowGather, TableCompaction and the codecs.
package io.panavec.embedding;

import io.panavec.internal.Lifecycle;
import io.panavec.persist.Commit;
import io.panavec.persist.IndexLock;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An embedding table for model serving: keys (long or string) &rarr; vectors of one dimension, for batch look-ups
 * decoded by native gather kernels straight into the caller's buffer. The vocabulary (key &rarr; row) is an
 * off-heap open-addressing table persisted at each commit ({@link KeyRowTable}: a Chronicle Map look-up per key
 * would cost what a Chronicle Map of the vectors costs); the rows live in a memory-mapped store in the table's
 * {@link RowCodec row encoding} (f32, f16, int8, int4, LVQ-8, LVQ-4, ...), never on the Java heap.
 *
 * <p><b>Writes</b> are upserts: {@link #putAll} appends each vector as a new row and points its key at it (a key
 * put again reads its latest vector; the older row stays as dead space). {@link #delete} removes keys (their rows
 * stay as dead space); {@link #compact()} rewrites the live rows into a new store and drops the dead ones. A put or
 * delete is durable when it returns (rows fsynced, then the store's header; string keys in their log before that;
 * deletes in their log), so a kill -9 loses nothing that was put or deleted; {@link #commit()} writes the
 * vocabulary file so that the next open has nothing to catch up. An LVQ table learns its mean from its first
 * batch (or {@link #train}) and commits it before any row encoded with it is written. One process writes a table
 * at a time (an OS lock on {@code index.lock}); {@link #openReadOnly} opens it beside the writer, as of that moment.
 *
 * <p><b>Reads</b> never throw for an unknown key: it reads as the table's {@link Oov} policy.
 *
 * <p><b>Thread safety:</b> look-ups run concurrently with each other and with one writer at a time (puts and
 * deletes are serialized); a look-up sees each key either before or after a concurrent put or delete of it, never
 * a torn row. A compaction swaps the store with no look-up in flight (look-ups wait for it). {@link #close()}
 * waits for running calls.
 */
public final class EmbeddingTable implements AutoCloseable {
    private final Path dir;
    private final int dim;
    private final KeyType keyType;
    private final Oov oov;
    private final Lifecycle life;
    private final IndexLock lock;        // null when read-only
    private VectorStore store;           // replaced by a compaction (exclusive)
    private Vocabulary vocabulary;       // replaced by a compaction (exclusive)
    private volatile RowGather gather;   // replaced when an untrained codec learns, and by a compaction
    private volatile long defaultRow;    // the OOV key's row, or -1
    private Manifest manifest;           // guarded by the writer lock

    private EmbeddingTable(Path dir, Manifest manifest, int dim, KeyType keyType, Oov oov, VectorStore store, Vocabulary vocabulary, RowCodec codec,
                           IndexLock lock) {
        this.dir = dir;
        this.lock = lock;
        this.life = new Lifecycle("embedding table " + dir, lock == null ? "embedding table " + dir + " is open read-only" : null);
        this.manifest = manifest;
        this.dim = dim;
        this.keyType = keyType;
        this.oov = oov;
        this.store = store;
        this.vocabulary = vocabulary;
        this.gather = new RowGather(store, codec);
        this.defaultRow = resolveDefault();
    }

    /** Options for a new table. */
    public static EmbeddingTableBuilder builder(Path dir) {
        return new EmbeddingTableBuilder(dir);
    }

    /** Opens a table for reading and writing; rows and deletes since its last commit are caught up into the vocabulary. */
    public static EmbeddingTable open(Path dir) throws IOException {
        return open(dir, false);
    }

    /**
     * Opens a table for look-ups only: it writes nothing (no lock, no log is cut or appended; the vocabulary file is
     * mapped read-only), beside a writer in this or another process, and sees the table as of this call. Its rows and
     * vocabulary are read from their file mappings, advised for 2 MiB pages ({@link Residency#MAPPED}).
     */
    public static EmbeddingTable openReadOnly(Path dir) throws IOException {
        return openReadOnly(dir, Residency.MAPPED);
    }

    /**
     * As {@link #openReadOnly(Path)}, reading the rows as {@code residency} says: {@link Residency#HUGE_PAGES} copies
     * them into memory this table owns (its cost in {@link #residentBytes()}, freed at {@link #close()}).
     */
    public static EmbeddingTable openReadOnly(Path dir, Residency residency) throws IOException {
        Objects.requireNonNull(residency, "residency");
        EmbeddingTable t = open(dir, true);
        if (residency == Residency.MAPPED) {
            t.adviseMappings();
        } else if (residency == Residency.HUGE_PAGES) {
            try {
                t.gather = new RowGather(t.store, t.gather.codec(), ResidentRows.copyOf(t.store, t.vocabulary));
            } catch (RuntimeException | Error e) {
                t.close();
                throw e;
            }
        }
        return t;
    }

    /**
     * The 2 MiB page advice of a read-only table's file mappings, rows and vocabulary, when they fit in half the
     * machine's memory ({@link MappedPages}).
     */
    private void adviseMappings() {
        List<MemorySegment> mappings = storeChunks();
        mappings.add(vocabulary.slotMemory());
        long bytes = 0;
        for (MemorySegment m : mappings) bytes += m.byteSize();
        if (!MappedPages.worthAdvising(bytes)) return;
        for (MemorySegment m : mappings) MappedPages.advise(m);
    }

    private static EmbeddingTable open(Path dir, boolean readOnly) throws IOException {
        Manifest m = TableManifest.read(dir);
        IndexLock lock = readOnly ? null : IndexLock.acquire(dir);
        try {
            EmbeddingTable t = openParts(dir, m, lock, readOnly);
            if (!readOnly && !m.has(TableManifest.DELETES_LOG)) t.commit(); // a table of an older build: give it a delete log
            return t;
        } catch (IOException | RuntimeException e) {
            if (lock != null) lock.close();
            throw e;
        }
    }

    private static EmbeddingTable openParts(Path dir, Manifest m, IndexLock lock, boolean readOnly) throws IOException {
        int dim = m.require(ManifestKey.DIMENSION);
        String spec = m.require(TableManifest.ENCODING);
        KeyType keyType;
        Oov oov;
        RowCodec codec;
        try {
            keyType = KeyType.valueOf(m.require(TableManifest.KEYS).toUpperCase(Locale.ROOT));
            oov = Oov.parse(m.require(TableManifest.OOV));
            codec = RowCodecs.restore(spec, dim, TableManifest.readCodec(dir, m, dim));
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": " + e.getMessage(), e);
        }
        Path storeFile = TableManifest.store(dir, m);
        VectorStore store = readOnly ? VectorStore.openReadOnly(storeFile) : VectorStore.open(storeFile);
        try {
            if (store.elementType() != ElementType.I8 || store.dimension() != codec.rowBytes()) {
                throw new IOException(store.path() + ": rows of " + store.dimension() + " bytes, the table's " + spec + " rows of dimension "
                        + dim + " take " + codec.rowBytes());
            }
            if (store.size() > 0 && !codec.isTrained()) {
                throw new IOException(dir + ": " + spec + " rows exist but the codec's learned parameters are missing");
            }
            Vocabulary vocabulary = Vocabulary.open(dir, keyType, m, store, readOnly);
            return new EmbeddingTable(dir, m, dim, keyType, oov, store, vocabulary, codec, lock);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------ shape

    public Path directory() {
        return dir;
    }

    public int dimension() {
        return dim;
    }

    public KeyType keyType() {
        return keyType;
    }

    public Oov oov() {
        return oov;
    }

    /** The row codec (its spec, bytes per row, error bound). */
    public RowCodec codec() {
        return gather.codec();
    }

    /** Live keys (distinct, not deleted). */
    public long size() {
        return read(vocabulary::size);
    }

    /** How this table reads its rows: {@link Residency#HUGE_PAGES} when it serves them from its own copy. */
    public Residency residency() {
        return gather.resident() == null ? Residency.MAPPED : Residency.HUGE_PAGES;
    }

    /** Bytes of memory the resident copy takes: rows, then the vocabulary's slots (0 when the rows are read from the mapped file). */
    public long residentBytes() {
        ResidentRows r = gather.resident();
        return r == null ? 0 : r.bytes();
    }

    /**
     * Bytes of this table's rows and vocabulary slots that the OS maps with 2 MiB pages right now (Linux: from
     * {@code /proc/self/smaps}, each mapping that holds them counted whole; -1 where that is not readable): the
     * resident copy's for {@link Residency#HUGE_PAGES}, else the file mappings', which get 2 MiB pages where the page
     * cache holds their file in 2 MiB folios (see {@link Residency#MAPPED}). A diagnostic: it reads the process's
     * whole smaps file.
     */
    public long hugePageBytes() {
        return read(() -> {
            ResidentRows r = gather.resident();
            List<MemorySegment> regions = r != null ? new ArrayList<>(r.regions()) : storeChunks();
            regions.add(vocabulary.slotMemory());
            return MappedPages.hugeBytes(regions);
        });
    }

    /** The store's chunk mappings, in a list the caller may extend. */
    private List<MemorySegment> storeChunks() {
        List<MemorySegment> chunks = new ArrayList<>();
        for (int c = 0; c < store.chunkCount(); c++) chunks.add(store.chunk(c));
        return chunks;
    }

    /** Rows stored, replaced and deleted ones included until a {@link #compact()} (the store's committed rows). */
    public long storedRows() {
        return read(store::size);
    }

    // ------------------------------------------------------------------------------------------ writes

    /** Puts one vector (an upsert). */
    public void put(long key, float[] vector) throws IOException {
        putAll(new long[] {key}, new float[][] {vector});
    }

    public void put(String key, float[] vector) throws IOException {
        putAll(new String[] {key}, new float[][] {vector});
    }

    /** Puts a batch (upserts; a key repeated in the batch keeps its last vector). Durable on return. */
    public void putAll(long[] keys, float[][] vectors) throws IOException {
        requireKeys(KeyType.LONG);
        Objects.requireNonNull(keys, "keys");
        write(keys.clone(), null, vectors);
    }

    public void putAll(String[] keys, float[][] vectors) throws IOException {
        requireKeys(KeyType.STRING);
        Objects.requireNonNull(keys, "keys");
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) throw new NullPointerException("key " + i + " is null");
        }
        write(null, keys.clone(), vectors);
    }

    /**
     * Learns the codec's parameters (LVQ's mean) from {@code sample} instead of from the first batch put; a codec
     * that learns nothing, or has learned already (its rows are encoded with what it learned), ignores it.
     */
    public void train(float[][] sample) throws IOException {
        life.mutateIo(() -> {
            checkVectors(sample, gather.codec());
            if (sample.length == 0) {
                throw new IllegalArgumentException("training needs a non-empty sample");
            }
            if (!gather.codec().isTrained()) {
                learn(sample);
            }
        });
    }

    private void write(long[] longKeys, String[] stringKeys, float[][] vectors) throws IOException {
        int n = longKeys != null ? longKeys.length : stringKeys.length;
        Objects.requireNonNull(vectors, "vectors");
        if (vectors.length != n) {
            throw new IllegalArgumentException(n + " keys and " + vectors.length + " vectors");
        }
        life.mutateIo(() -> {
            checkVectors(vectors, gather.codec());
            if (n == 0) {
                return;
            }
            if (!gather.codec().isTrained()) {
                learn(vectors);
            }
            RowCodec codec = gather.codec();
            long[] storeIds = longKeys != null ? longKeys : vocabulary.slots(stringKeys);
            long first;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment rows = arena.allocate((long) n * codec.rowBytes(), 64);
                for (int i = 0; i < n; i++) {
                    codec.encode(vectors[i], rows, (long) i * codec.rowBytes());
                }
                if (stringKeys != null) {
                    vocabulary.logKeys(store.size() + store.pendingRows(), stringKeys); // keys durable before their rows
                }
                first = store.appendBatch(rows, storeIds, n);
                store.commit();
            }
            for (int i = 0; i < n; i++) {
                vocabulary.put(storeIds[i], first + i, stringKeys == null ? null : stringKeys[i]);
            }
            defaultRow = resolveDefault();
        });
    }

    /** Deletes keys (unknown ones are ignored); durable on return. Returns how many keys were deleted. */
    public int delete(long... keys) throws IOException {
        requireKeys(KeyType.LONG);
        long[] ids = Objects.requireNonNull(keys, "keys").clone();
        int[] n = new int[1];
        life.mutateIo(() -> {
            n[0] = vocabulary.delete(ids);
            defaultRow = resolveDefault();
        });
        return n[0];
    }

    public int delete(String... keys) throws IOException {
        requireKeys(KeyType.STRING);
        Objects.requireNonNull(keys, "keys");
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) throw new NullPointerException("key " + i + " is null");
        }
        String[] copy = keys.clone();
        int[] n = new int[1];
        life.mutateIo(() -> {
            n[0] = vocabulary.delete(vocabulary.storeIdsOf(copy));
            defaultRow = resolveDefault();
        });
        return n[0];
    }

    /**
     * Rewrites the live rows (each key's latest) into a new store, in row order, and drops the rows of replaced and
     * deleted keys; commits. Crash-safe: the new store, key log, vocabulary and delete log are written under new
     * names and switched in by the manifest; a crash before the switch leaves the table as it was. Look-ups on this
     * instance wait while it runs (a known limit: it holds the table exclusively for the whole copy, since readers take
     * the store and the vocabulary as separate fields); an instance from {@link #openReadOnly} is not held up and keeps
     * reading the generation it opened until it is reopened. Returns the rows dropped.
     */
    public long compact() throws IOException {
        long[] dropped = new long[1];
        IOException[] failure = new IOException[1];
        life.exclusive(() -> {
            if (lock == null) throw new IllegalStateException("embedding table " + dir + " is open read-only");
            try {
                long before = store.size();
                Manifest previous = manifest;
                Manifest next = TableCompaction.run(dir, manifest, store, vocabulary, keyType);
                EmbeddingTable fresh = openParts(dir, next, lock, false);
                VectorStore oldStore = store;
                Vocabulary oldVocabulary = vocabulary;
                store = fresh.store;
                vocabulary = fresh.vocabulary;
                gather = fresh.gather;
                manifest = next;
                defaultRow = resolveDefault();
                dropped[0] = before - store.size();
                try {
                    oldVocabulary.close();
                } finally {
                    oldStore.close();
                }
                TableCompaction.deleteReplaced(dir, previous, next);
            } catch (IOException e) {
                failure[0] = e;
            }
        }, () -> {});
        if (failure[0] != null) throw failure[0];
        return dropped[0];
    }

    /** Trains the codec on {@code sample} and commits its parameters, before any row encoded with them exists. */
    private void learn(float[][] sample) throws IOException {
        RowCodec trained = gather.codec().train(sample);
        Commit c = new Commit(dir, manifest);
        TableManifest.writeCodec(c, trained);
        manifest = c.publish(); // the vocabulary's entries carry over: no row exists yet
        gather = new RowGather(store, trained);
    }

    /** Writes the vocabulary's state (a checksummed file, switched in by the manifest): the next open catches up nothing. */
    public void commit() throws IOException {
        life.mutateIo(() -> {
            Commit c = new Commit(dir, manifest);
            if (manifest.has(TableManifest.CODEC)) c.keep(TableManifest.CODEC);
            Manifest previous = manifest;
            try {
                vocabulary.record(c);
                TableManifest.dropLegacyVocabulary(c);
                manifest = c.publish();
            } catch (IOException | RuntimeException e) {
                vocabulary.abandoned();
                throw e;
            }
            vocabulary.published(previous, manifest);
            TableManifest.deleteLegacyVocabulary(dir, previous);
        });
    }

    // ------------------------------------------------------------------------------------------ reads

    /** Whether the table holds {@code key}. */
    public boolean contains(long key) {
        requireKeys(KeyType.LONG);
        return read(() -> vocabulary.rowOf(key) >= 0);
    }

    public boolean contains(String key) {
        requireKeys(KeyType.STRING);
        Objects.requireNonNull(key, "key");
        return read(() -> vocabulary.rowOf(key) >= 0);
    }

    /** The vector of one key (unknown: the {@link Oov} policy's). */
    public float[] lookup(long key) {
        return lookup(new long[] {key})[0];
    }

    public float[] lookup(String key) {
        return lookup(new String[] {key})[0];
    }

    /** Decodes the vectors of {@code keys} into {@code out} (keys.length * dimension floats, row after row). */
    public void lookup(long[] keys, MemorySegment out) {
        requireKeys(KeyType.LONG);
        Objects.requireNonNull(keys, "keys");
        readVoid(() -> {
            long[] rows = rowsOf(keys); // first: a row seen in the vocabulary was written after the codec it needs was published
            gather.gather(rows, keys.length, out);
        });
    }

    public void lookup(String[] keys, MemorySegment out) {
        requireKeys(KeyType.STRING);
        Objects.requireNonNull(keys, "keys");
        readVoid(() -> {
            long[] rows = rowsOf(keys); // first: a row seen in the vocabulary was written after the codec it needs was published
            gather.gather(rows, keys.length, out);
        });
    }

    /** The vectors of {@code keys}, one array each. */
    public float[][] lookup(long[] keys) {
        float[] flat = new float[Math.multiplyExact(Objects.requireNonNull(keys, "keys").length, dim)];
        lookup(keys, MemorySegment.ofArray(flat));
        return split(flat, keys.length);
    }

    public float[][] lookup(String[] keys) {
        float[] flat = new float[Math.multiplyExact(Objects.requireNonNull(keys, "keys").length, dim)];
        lookup(keys, MemorySegment.ofArray(flat));
        return split(flat, keys.length);
    }

    /**
     * Pooled look-ups of a multi-valued feature, as PyTorch's EmbeddingBag: bag b holds {@code values[offsets[b]]}
     * up to the next bag's offset (the last: to the end), and {@code out} receives one pooled vector per bag
     * ({@code offsets.length * dimension} floats). {@code offsets} starts at 0 and does not decrease; an empty bag
     * gives zeros. Unknown values read as the {@link Oov} policy says (left out of the bag under {@link Oov#zeros()}).
     */
    public void lookupBags(long[] values, int[] offsets, Pooling pool, MemorySegment out) {
        requireKeys(KeyType.LONG);
        Objects.requireNonNull(values, "values");
        readVoid(() -> bags(rowsOf(values), offsets, pool, out));
    }

    public void lookupBags(String[] values, int[] offsets, Pooling pool, MemorySegment out) {
        requireKeys(KeyType.STRING);
        Objects.requireNonNull(values, "values");
        readVoid(() -> bags(rowsOf(values), offsets, pool, out));
    }

    public float[][] lookupBags(long[] values, int[] offsets, Pooling pool) {
        float[] flat = new float[Math.multiplyExact(Objects.requireNonNull(offsets, "offsets").length, dim)];
        lookupBags(values, offsets, pool, MemorySegment.ofArray(flat));
        return split(flat, offsets.length);
    }

    public float[][] lookupBags(String[] values, int[] offsets, Pooling pool) {
        float[] flat = new float[Math.multiplyExact(Objects.requireNonNull(offsets, "offsets").length, dim)];
        lookupBags(values, offsets, pool, MemorySegment.ofArray(flat));
        return split(flat, offsets.length);
    }

    // ------------------------------------------------------------------------------------------ internals

    /** The row of each key; an unknown key's is the OOV row (-1: zeros). */
    long[] rowsOf(long[] keys) {
        long[] rows = new long[keys.length];
        vocabulary.rowsOf(keys, rows, defaultRow);
        return rows;
    }

    long[] rowsOf(String[] keys) {
        long[] rows = new long[keys.length];
        long fallback = defaultRow;
        for (int i = 0; i < keys.length; i++) {
            long r = vocabulary.rowOf(Objects.requireNonNull(keys[i], "key"));
            rows[i] = r >= 0 ? r : fallback;
        }
        return rows;
    }

    /** The row of one key, or -1 (no OOV fallback): for {@link EmbeddingFeatures}. */
    long rowOfKey(long key) {
        requireKeys(KeyType.LONG);
        return read(() -> vocabulary.rowOf(key));
    }

    long rowOfKey(String key) {
        requireKeys(KeyType.STRING);
        return read(() -> vocabulary.rowOf(Objects.requireNonNull(key, "key")));
    }

    /** Receives a batch of keys (Long or String) and their decoded vectors, back to back. */
    @FunctionalInterface
    interface BatchSink {
        void accept(Object[] keys, float[] vectors) throws IOException;
    }

    /** Every key with its latest vector, in row order, in batches of up to {@code batch} (export). */
    void forEachLatest(int batch, BatchSink sink) throws IOException {
        try {
            life.read(() -> {
                try {
                    exportRows(batch, sink);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return null;
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void exportRows(int batch, BatchSink sink) throws IOException {
        long rows = store.size();
        List<Object> keys = new ArrayList<>();
        long[] live = new long[batch];
        for (long r = 0; r < rows; r++) {
            if (vocabulary.rowOfStoreId(store.externalId(r)) == r) {
                Object key = keyType == KeyType.STRING ? vocabulary.keyOfRow(r) : (Object) store.externalId(r);
                live[keys.size()] = r;
                keys.add(key);
            }
            if (keys.size() == batch) flush(keys, live, sink);
        }
        if (!keys.isEmpty()) flush(keys, live, sink);
    }

    private void flush(List<Object> keys, long[] rows, BatchSink sink) throws IOException {
        float[] v = new float[keys.size() * dim];
        gather.gather(rows, keys.size(), MemorySegment.ofArray(v));
        sink.accept(keys.toArray(), v);
        keys.clear();
    }

    /** Runs {@code task} under the table's read lock (open, not closing): for {@link EmbeddingFeatures}. */
    void withGather(java.util.function.Consumer<RowGather> task) {
        readVoid(() -> task.accept(gather));
    }

    /** Bags over resolved rows: rows of -1 (unknown, no default) are left out of their bag. */
    private void bags(long[] rows, int[] offsets, Pooling pool, MemorySegment out) {
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(pool, "pool");
        int nbags = offsets.length;
        long[] bounds = new long[nbags + 1];
        long[] kept = new long[rows.length];
        int k = 0;
        for (int b = 0; b < nbags; b++) {
            int from = offsets[b], to = b + 1 < nbags ? offsets[b + 1] : rows.length;
            if ((b == 0 && from != 0) || from < 0 || to < from || to > rows.length) {
                throw new IllegalArgumentException("bad bag offsets: bag " + b + " spans " + from + ".." + to + " of " + rows.length
                        + " values (offsets start at 0 and do not decrease)");
            }
            bounds[b] = k;
            for (int v = from; v < to; v++) {
                if (rows[v] >= 0) kept[k++] = rows[v];
            }
        }
        bounds[nbags] = k;
        gather.bags(kept, 1, bounds, nbags, pool, out); // read after the rows: see lookup
    }

    private long resolveDefault() {
        if (oov.longKey() != null) return vocabulary.rowOf(oov.longKey());
        if (oov.stringKey() != null) return vocabulary.rowOf(oov.stringKey());
        return -1;
    }

    private float[][] split(float[] flat, int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * dim, i * dim + dim);
        }
        return out;
    }

    private void checkVectors(float[][] vectors, RowCodec codec) {
        Objects.requireNonNull(vectors, "vectors");
        for (int i = 0; i < vectors.length; i++) {
            float[] v = vectors[i];
            if (v == null) {
                throw new IllegalArgumentException("vector " + i + " is null");
            }
            if (v.length != dim) {
                throw new IllegalArgumentException("vector " + i + " has dimension " + v.length + ", the table " + dim);
            }
            for (int j = 0; j < dim; j++) {
                if (!Float.isFinite(v[j])) {
                    throw new IllegalArgumentException("vector " + i + " element " + j + " is " + v[j] + " (must be finite)");
                }
            }
            String refusal = codec.refusal(v);
            if (refusal != null) {
                throw new IllegalArgumentException("vector " + i + ": " + refusal);
            }
        }
    }

    private void requireKeys(KeyType type) {
        if (keyType != type) {
            throw new IllegalArgumentException("this table has " + keyType.name().toLowerCase(Locale.ROOT) + " keys, not "
                    + type.name().toLowerCase(Locale.ROOT) + " keys");
        }
    }

    private <T> T read(java.util.function.Supplier<T> body) {
        return life.read(body);
    }

    private void readVoid(Runnable body) {
        life.read(() -> {
            body.run();
            return null;
        });
    }

    /** Closes the vocabulary and the store (what was put is durable already; {@link #commit()} first makes the next open faster). */
    @Override
    public void close() throws IOException {
        life.close(() -> {
            try {
                vocabulary.close();
            } finally {
                try {
                    ResidentRows r = gather.resident();
                    if (r != null) r.close();
                } finally {
                    try {
                        store.close();
                    } finally {
                        if (lock != null) lock.close();
                    }
                }
            }
        });
    }
}
