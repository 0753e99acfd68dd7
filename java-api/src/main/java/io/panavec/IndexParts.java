package io.panavec;

import io.panavec.attributes.AttributeFiles;
import io.panavec.attributes.AttributeLog;
import io.panavec.attributes.AttributeTable;
import io.panavec.attributes.Schema;
import io.panavec.filter.Filter;
import io.panavec.filter.FilterEvaluator;
import io.panavec.engine.SearchEngine;
import io.panavec.internal.Closeables;
import io.panavec.internal.DeleteLog;
import io.panavec.internal.IdMap;
import io.panavec.internal.LiveRows;
import io.panavec.internal.NativeMetric;
import io.panavec.internal.RowBitset;
import io.panavec.internal.Rows;
import io.panavec.persist.Commit;
import io.panavec.persist.IndexDirectory;
import io.panavec.persist.IndexLock;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.ElementType;
import io.panavec.store.StoreOwner;
import io.panavec.store.VectorStore;

import org.roaringbitmap.RoaringBitmap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The parts of an index directory and how they come and go together: the store, the engine, the deleted
 * rows and their log, the attributes (table and log), the id map, and the manifest naming their files. Each part writes
 * its own files into a {@link Commit}; this class orders them and switches the manifest. Mutated only under
 * the index's writer lock.
 */
final class IndexParts implements AutoCloseable {
    static final String STORE_FILE = "vectors.pvs";

    final Path dir;
    final IndexSpec spec;
    final Metric metric;
    final VectorStore store;
    final SearchEngine engine;
    final RowBitset deleted;
    final AttributeTable attributes;  // empty schema when the index has none
    private volatile IdMap ids;       // external id -> latest row + attribute record (in memory only when read-only);
                                      // opened on first use (ids())
    final LiveRows live;              // upsert and delete: which row of an id is live (owns the delete log)
    private final boolean readOnly;
    private final IndexLock lock;     // the directory's one-writer lock (null: read-only, or being created)
    private AttributeLog attributeLog; // null without a schema (and before the first commit)
    private Manifest manifest;

    private IndexParts(Path dir, IndexSpec spec, Metric metric, VectorStore store, SearchEngine engine, RowBitset deleted,
                       AttributeTable attributes, AttributeLog attributeLog, DeleteLog deleteLog, Manifest manifest,
                       IndexLock lock, boolean readOnly) {
        this.dir = dir;
        this.spec = spec;
        this.metric = metric;
        this.store = store;
        this.engine = engine;
        this.deleted = deleted;
        this.attributes = attributes;
        this.attributeLog = attributeLog;
        this.live = new LiveRows(this::ids, deleted, deleteLog);
        this.manifest = manifest;
        this.lock = lock;
        this.readOnly = readOnly;
    }

    /** The metric the engines run: cosine as inner product over normalized vectors. */
    static NativeMetric internalMetric(Metric m) {
        return m == Metric.COSINE ? NativeMetric.INNER_PRODUCT : NativeMetric.ofCode(m.nativeCode());
    }

    /**
     * Creates the index whole in a temporary sibling and renames it to {@code dir} ({@link IndexDirectory}),
     * then opens it: a crash leaves no half-created index, and a directory holding any file is refused.
     */
    static IndexParts create(Path dir, IndexSpec spec, Metric metric, int dimension, ElementType elementType, Schema schema,
                             long seed) throws IOException {
        IndexDirectory.create(dir, tmp -> createIn(tmp, spec, metric, dimension, elementType, schema, seed).close());
        return open(dir, false);
    }

    private static IndexParts createIn(Path dir, IndexSpec spec, Metric metric, int dimension, ElementType elementType, Schema schema,
                                       long seed) throws IOException {
        VectorStore[] store = {null};
        SearchEngine engine = null;
        StoreOwner owner = new StoreOwner(UUID.randomUUID(), ownerCode(metric));
        try {
            engine = Engines.create(spec, dimension, internalMetric(metric), seed,
                    () -> store[0] = VectorStore.builder(dir.resolve(STORE_FILE)).dimension(dimension).elementType(elementType)
                            .owner(owner).create());
            Manifest m = Manifest.empty().with(ManifestKey.INDEX_SPEC, spec.text()).with(ManifestKey.METRIC, metric.name())
                    .with(ManifestKey.DIMENSION, dimension).with(ManifestKey.ELEMENT_TYPE, elementType.name())
                    .with(ManifestKey.INDEX_ID, owner.indexId()).with(ManifestKey.STORE_FILE, STORE_FILE)
                    .with(ManifestKey.GENERATION, 0L).with(ManifestKey.ROWS, 0L);
            if (!schema.isEmpty()) {
                m = m.with(ManifestKey.ATTRIBUTES_SCHEMA, schema.text());
            }
            AttributeTable table = new AttributeTable(schema);
            IndexParts parts = new IndexParts(dir, spec, metric, store[0], engine, new RowBitset(0), table, null, null, m, null, false); // a temporary directory no one else knows yet: no lock
            parts.commit();
            return parts;
        } catch (IOException | RuntimeException e) {
            Closeables.closeAll(e, engine, store[0]);
            throw e;
        }
    }

    /** How a metric is recorded as the store's owner ({@link StoreOwner#metricCode}; 0 means none). */
    static int ownerCode(Metric metric) {
        return metric.nativeCode() + 1;
    }

    /**
     * Opens the parts {@code dir}'s manifest names; read-only: nothing in the directory is created, locked or
     * changed. For writing, the directory's {@link IndexLock} is taken first: a second writer (another process, or
     * another open index of this JVM) gets {@link io.panavec.store.StoreLockedException} naming the holder.
     */
    static IndexParts open(Path dir, boolean readOnly) throws IOException {
        if (readOnly) {
            return open(dir, null);
        }
        reading(List.of(dir.resolve(Manifest.FILE_NAME)), () -> Manifest.read(dir)); // an index directory (else that error), before a lock file is made in it
        IndexLock lock = IndexLock.acquire(dir);
        try {
            return open(dir, lock);
        } catch (IOException | RuntimeException e) {
            Closeables.closeAll(e, lock);
            throw e;
        }
    }

    /** Opens the parts, for writing under {@code lock} (null: read-only). A damaged file, or one that belongs to another
     * index, is a {@link CorruptIndexException} naming it. */
    private static IndexParts open(Path dir, IndexLock lock) throws IOException {
        boolean readOnly = lock == null;
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        Manifest m = reading(List.of(manifestFile), () -> Manifest.read(dir));
        IndexSpec spec = reading(List.of(manifestFile), () -> IndexSpec.parse(m.require(ManifestKey.INDEX_SPEC)));
        Metric metric = reading(List.of(manifestFile), () -> Metric.valueOf(m.require(ManifestKey.METRIC)));
        int dimension = reading(List.of(manifestFile), () -> m.require(ManifestKey.DIMENSION));
        long rows = reading(List.of(manifestFile), () -> m.require(ManifestKey.ROWS));
        Path storeFile = reading(List.of(manifestFile), () -> m.path(dir, ManifestKey.STORE_FILE));
        VectorStore store = reading(List.of(storeFile), () -> readOnly ? VectorStore.openReadOnly(storeFile) : VectorStore.open(storeFile));
        SearchEngine engine = null;
        AttributeLog log = null;
        DeleteLog deleteLog = null;
        try {
            checkStoreBelongs(m, store, metric, dimension, rows);
            reading(List.of(dir.resolve(Manifest.FILE_NAME)), () -> m.get(ManifestKey.IDS_FILE)); // its name is checked now (a plain ids-*.cmap name), though the map opens on first use
            UUID indexId = m.get(ManifestKey.INDEX_ID).orElse(null);
            RowBitset deleted = reading(files(dir, m, ManifestKey.DELETED.file()), () -> RowBitset.open(dir, m, store.size()));
            if (m.has(ManifestKey.DELETED_LOG)) { // deletes since that file was written
                long storeRows = store.size();
                java.util.function.LongConsumer dead = row -> {
                    if (row >= 0 && row < storeRows) deleted.set(row);
                };
                Path deleteLogFile = m.path(dir, ManifestKey.DELETED_LOG);
                if (readOnly) {
                    reading(List.of(deleteLogFile), () -> DeleteLog.read(deleteLogFile, indexId, dead));
                } else {
                    deleteLog = reading(List.of(deleteLogFile), () -> DeleteLog.open(deleteLogFile, indexId, dead));
                }
            }
            engine = reading(files(dir, m, ManifestKey.GRAPH.file(), ManifestKey.FAISS.file(), ManifestKey.CODES.file()),
                    () -> Engines.open(spec, dir, m, store, internalMetric(metric), rows));
            Schema schema = reading(List.of(manifestFile), () -> Schema.parse(m.get(ManifestKey.ATTRIBUTES_SCHEMA).orElse("")));
            AttributeTable table = new AttributeTable(schema);
            if (!schema.isEmpty()) {
                AttributeFiles.Opened a = reading(files(dir, m, ManifestKey.ATTRIBUTES.file(), ManifestKey.ATTRIBUTES_LOG),
                        () -> AttributeFiles.open(dir, m, schema, store.size(), readOnly));
                table = a.table();
                log = a.log();
            }
            IndexParts parts = new IndexParts(dir, spec, metric, store, engine, deleted, table, log, deleteLog, m, lock, readOnly);
            parts.live.recover(rows, store.size(), store::externalId); // replacements after the last commit (in memory)
            return parts;
        } catch (IOException | RuntimeException e) {
            Closeables.closeAll(e, engine, log, deleteLog, store);
            throw e;
        }
    }

    /**
     * The id map, opened (and caught up with the store) on first use: searches never need it, so a JVM without
     * Chronicle Map's flags opens and searches an index, and the first call that needs the map (add, delete by
     * id, rowOf, attributesOf, vector) names the flags to add. Read-only: held in memory, built from the store.
     */
    IdMap ids() {
        IdMap m = ids;
        if (m != null) {
            return m;
        }
        synchronized (this) {
            if (ids == null) {
                IdMap.Source source = idSource(store, attributes);
                double valueBytes = 8 + attributes.averageRecordBytes();
                try {
                    ids = readOnly ? IdMap.inMemory(source, valueBytes)
                            : IdMap.open(dir, manifest.get(ManifestKey.IDS_FILE).orElse(null), manifest.get(ManifestKey.IDS_ROWS).orElse(0L),
                                    source, valueBytes);
                } catch (IOException e) {
                    throw new UncheckedIOException("opening the id map of " + dir + ": " + e.getMessage(), e);
                }
            }
            return ids;
        }
    }

    /**
     * The store must be the one the manifest was written with: its header names the same index, metric, dimension
     * and element type, and holds at least the rows the manifest covers. (Stores and manifests of indexes created
     * before the owner was recorded carry neither identity; they are checked on the rest.)
     */
    private static void checkStoreBelongs(Manifest m, VectorStore store, Metric metric, int dimension, long rows) throws IOException {
        Path file = store.path();
        if (store.headerDamage() != null) { // the fallback could hide rows an add() made durable: report, never guess
            throw new CorruptIndexException(file, "damaged header " + store.headerDamage() + "; the other slot holds generation "
                    + store.generation() + " (" + store.size() + " rows), which may hide committed rows, so the index does not open on it");
        }
        if (store.dimension() != dimension) {
            throw new CorruptIndexException(file, "the store has dimension " + store.dimension() + ", the manifest " + dimension);
        }
        Path manifestFile = file.resolveSibling(Manifest.FILE_NAME);
        String type = reading(List.of(manifestFile), () -> m.get(ManifestKey.ELEMENT_TYPE).orElse(store.elementType().name()));
        if (!type.equals(store.elementType().name())) {
            throw new CorruptIndexException(file, "the store holds " + store.elementType() + " vectors, the manifest says " + type);
        }
        StoreOwner owner = store.owner();
        java.util.Optional<UUID> id = reading(List.of(manifestFile), () -> m.get(ManifestKey.INDEX_ID));
        if (id.isPresent() != !owner.isNone() || id.isPresent() && !id.get().equals(owner.indexId())) {
            throw new CorruptIndexException(file, "the store belongs to " + (owner.isNone() ? "no index" : "index " + owner.indexId())
                    + ", " + manifestFile + " to " + id.map(u -> "index " + u).orElse("an index without an identity")
                    + ": one of them is another index's file");
        }
        if (!owner.isNone() && owner.metricCode() != ownerCode(metric)) {
            String stored = java.util.Arrays.stream(Metric.values()).filter(x -> ownerCode(x) == owner.metricCode())
                    .map(Metric::name).findFirst().orElse("metric code " + owner.metricCode());
            throw new CorruptIndexException(file, "the store was created for metric " + stored + ", the manifest says " + metric);
        }
        if (store.size() < rows) {
            throw new CorruptIndexException(file, "the store has " + store.size() + " committed rows, the manifest names " + rows);
        }
    }

    /** A step of opening that reads {@code files}. */
    @FunctionalInterface
    private interface Reading<T> {
        T run() throws IOException;
    }

    /**
     * Runs one step of opening; its failure is a {@link CorruptIndexException} naming the file it read (a lock held
     * by another writer, or a directory this process may not read, is no corruption and passes through).
     */
    private static <T> T reading(List<Path> files, Reading<T> step) throws IOException {
        try {
            return step.run();
        } catch (CorruptIndexException | io.panavec.store.StoreLockedException | java.nio.file.AccessDeniedException e) {
            throw e;
        } catch (java.nio.file.NoSuchFileException e) { // named by the manifest, not there: the manifest is not this directory's
            if (files.isEmpty()) throw e;
            Path manifest = files.get(0).resolveSibling(Manifest.FILE_NAME);
            throw new CorruptIndexException(manifest, "names " + e.getFile() + ", which does not exist (a stale or foreign manifest, "
                    + "or a removed file)");
        } catch (IOException | RuntimeException e) {
            if (files.isEmpty()) throw e;
            throw CorruptIndexException.ofOneOf(files, e);
        }
    }

    /** The files the manifest names under {@code keys} (those it has), inside {@code dir}. */
    @SafeVarargs
    private static List<Path> files(Path dir, Manifest m, ManifestKey<String>... keys) {
        List<Path> out = new ArrayList<>();
        for (ManifestKey<String> k : keys) {
            if (!m.has(k)) continue;
            try {
                out.add(m.path(dir, k));
            } catch (IOException e) {
                out.add(dir.resolve(Manifest.FILE_NAME)); // a bad name: the manifest is what is wrong
            }
        }
        return out;
    }

    /** The durable truth the id map is (re)built from: the store's ids, the attribute table's records. */
    static IdMap.Source idSource(VectorStore store, AttributeTable table) {
        return new IdMap.Source(store.size(), store::externalId, r -> table.schema().isEmpty() ? new byte[0] : table.encodedRecord(r));
    }

    /** The attribute values of {@code n} vectors checked against the schema and normalized (null: no values). */
    List<Object[]> records(List<? extends Map<String, ?>> values, int n) {
        if (values != null && values.size() != n) {
            throw new IllegalArgumentException(values.size() + " attribute records for " + n + " vectors");
        }
        List<Object[]> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(attributes.normalize(values == null ? null : values.get(i), "vector " + i));
        }
        return records;
    }

    /**
     * Appends rows (already normalized for cosine) with their normalized attribute records: the records
     * logged first, then the rows written, the rows they replace killed and the table appended, then the rows
     * committed to the store (which publishes them), then the deleted set and id map caught up.
     * Upsert: returns the rows the batch replaced; those before the batch are tombstoned in the engine before
     * the new rows are published, so no search sees two rows of one id (the caller tombstones the batch's
     * own replaced rows once they are linked).
     */
    long[] append(long[] ids, float[][] vectors, List<Object[]> records) throws IOException {
        IdMap idMap = ids(); // before anything is written: without Chronicle Map's flags this throws, and the index is unchanged
        int dimension = store.dimension();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment batch = Rows.pack(arena, vectors, dimension);
            long first = store.size();
            if (attributeLog != null) { // durable before the rows they describe are committed
                attributeLog.append(first, records.size(), attributes.encode(records));
            }
            if (store.elementType() == ElementType.F32) {
                store.appendBatch(batch, ids, vectors.length);
            } else {
                for (int i = 0; i < vectors.length; i++) {
                    store.append(ids[i], batch.asSlice((long) i * dimension * 4, (long) dimension * 4).toArray(ValueLayout.JAVA_FLOAT));
                }
            }
            long[] replaced = live.replace(ids, first);
            for (long row : replaced) {
                if (row < first) engine.markDeleted(row);
            }
            // Before the store commit publishes the rows: a filtered search that sees a row sees its attributes
            // (else it caches, under the new row count, a match that misses the row until the next add or delete).
            attributes.append(records);
            store.commit();
            deleted.ensureCapacity(store.size());
            if (idMap.coveredRows() < first) { // an earlier add failed between its store commit and its puts
                IdMap.Source s = idSource(store, attributes);
                idMap.catchUp(new IdMap.Source(first, s.idOfRow(), s.recordOfRow()));
            }
            boolean noSchema = attributes.schema().isEmpty();
            for (int i = 0; i < ids.length; i++) {
                idMap.put(ids[i], first + i, noSchema ? new byte[0] : attributes.encodedRecord(first + i));
            }
            return replaced;
        }
    }

    /** Deletes the live row of {@code id} (logged, tombstoned in the engine); whether there was one. */
    boolean delete(long id) throws IOException {
        long row = live.delete(id);
        if (row >= 0) {
            engine.markDeleted(row);
        }
        return row >= 0;
    }

    /** Deletes every live row whose attributes match {@code filter}; returns how many. */
    long deleteMatching(Filter filter) throws IOException {
        RoaringBitmap matching = FilterEvaluator.evaluate(filter, attributes, store.size());
        long[] rows = new long[matching.getCardinality()];
        int n = 0;
        for (var it = matching.getIntIterator(); it.hasNext(); ) rows[n++] = Integer.toUnsignedLong(it.next());
        long[] killed = live.delete(rows);
        for (long row : killed) engine.markDeleted(row);
        return killed.length;
    }

    /** Tombstones every dead row in the engine (idempotent); on open, once the engine holds every store row. */
    void tombstoneDead() {
        long rows = store.size();
        deleted.forEachSet(row -> {
            if (row < rows) engine.markDeleted(row);
        });
    }

    boolean readOnly() {
        return readOnly;
    }

    /** The live row of {@code id}. */
    OptionalLong liveRowOf(long id) {
        long row = live.rowOf(id);
        return row < 0 ? OptionalLong.empty() : OptionalLong.of(row);
    }

    /** The attribute values of {@code id}'s latest row (from the id map's record) unless it is deleted. */
    Optional<Map<String, Object>> attributesOf(long id) {
        IdMap.Entry e = ids().get(id);
        if (e == null || deleted.get(e.row())) {
            return Optional.empty();
        }
        try {
            return Optional.of(attributes.schema().isEmpty() ? Map.of() : attributes.decodeRecord(e.record()));
        } catch (IOException x) {
            throw new UncheckedIOException("attribute record of id " + id + ": " + x.getMessage(), x);
        }
    }

    AttributeLog attributeLog() {
        return attributeLog;
    }

    /** Grows the schema by the new attributes of {@code more} (see {@link PanavecIndex#addAttributes}). Under the writer lock. */
    void addAttributes(Schema more) throws IOException {
        Schema had = attributes.schema();
        Schema grown = had.extendedWith(more);
        if (grown == had) {
            return;
        }
        if (attributeLog != null) { // logged before any record in the grown form
            attributeLog.appendSchema(grown);
        }
        attributes.grow(grown);
        if (attributeLog == null) { // the first attributes: a commit starts the snapshot and the log
            commit();
        }
    }

    /**
     * Makes the index durable as a new version: every part writes its files under new names (or keeps its
     * current ones), the manifest is switched atomically, then the previous version's files are removed.
     */
    void commit() throws IOException {
        store.commit();
        Commit c = new Commit(dir, manifest);
        c.put(ManifestKey.ROWS, store.size());
        IdMap map = ids;
        if (map != null) { // else the map file and the rows it covers stay the previous commit's
            c.put(ManifestKey.IDS_FILE, map.fileName());
            c.put(ManifestKey.IDS_ROWS, map.coveredRows());
        }
        engine.commit(c);
        AttributeLog newLog = attributes.schema().isEmpty() ? null : AttributeFiles.commit(c, attributes);
        deleted.commit(c);
        String deleteLogName = c.name("deleted", "log");
        // the deleted-rows file holds every delete so far
        DeleteLog newDeleteLog = DeleteLog.create(dir.resolve(deleteLogName), manifest.get(ManifestKey.INDEX_ID).orElse(null));
        c.putFile(ManifestKey.DELETED_LOG, deleteLogName);
        try {
            manifest = c.publish();
        } catch (IOException | RuntimeException e) {
            if (newLog != null) newLog.close();
            newDeleteLog.close();
            throw e;
        }
        DeleteLog oldDeleteLog = live.switchLog(newDeleteLog);
        if (oldDeleteLog != null) oldDeleteLog.close();
        if (newLog != null) {
            if (attributeLog != null) attributeLog.close();
            attributeLog = newLog;
        }
        if (map != null) {
            map.deleteStale(); // an id map outgrown since the previous commit
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = new IOException("closing " + dir);
        Closeables.closeAll(failure, engine, attributeLog, live, ids, store, lock); // the lock last: nothing of ours is open after it
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }
}
