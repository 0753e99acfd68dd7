package io.panavec;

import io.panavec.attributes.AttributeFiles;
import io.panavec.attributes.AttributeLog;
import io.panavec.attributes.AttributeTable;
import io.panavec.attributes.Schema;
import io.panavec.filter.Filter;
import io.panavec.filter.FilterEvaluator;
import io.panavec.engine.SearchEngine;
import io.panavec.internal.DeleteLog;
import io.panavec.internal.IdMap;
import io.panavec.internal.LiveRows;
import io.panavec.internal.NativeMetric;
import io.panavec.internal.RowBitset;
import io.panavec.internal.Rows;
import io.panavec.persist.Commit;
import io.panavec.persist.IndexDirectory;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.ElementType;
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
    final IdMap ids;                  // external id -> latest row + attribute record (in memory only when read-only)
    final LiveRows live;              // upsert and delete: which row of an id is live (owns the delete log)
    private final boolean readOnly;
    private AttributeLog attributeLog; // null without a schema (and before the first commit)
    private Manifest manifest;

    private IndexParts(Path dir, IndexSpec spec, Metric metric, VectorStore store, SearchEngine engine, RowBitset deleted,
                       AttributeTable attributes, AttributeLog attributeLog, IdMap ids, DeleteLog deleteLog, Manifest manifest,
                       boolean readOnly) {
        this.dir = dir;
        this.spec = spec;
        this.metric = metric;
        this.store = store;
        this.engine = engine;
        this.deleted = deleted;
        this.attributes = attributes;
        this.attributeLog = attributeLog;
        this.ids = ids;
        this.live = new LiveRows(ids, deleted, deleteLog);
        this.manifest = manifest;
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
        IdMap ids = null;
        try {
            engine = Engines.create(spec, dimension, internalMetric(metric), seed,
                    () -> store[0] = VectorStore.builder(dir.resolve(STORE_FILE)).dimension(dimension).elementType(elementType).create());
            Manifest m = Manifest.empty().with(ManifestKey.INDEX_SPEC, spec.text()).with(ManifestKey.METRIC, metric.name())
                    .with(ManifestKey.DIMENSION, dimension).with(ManifestKey.STORE_FILE, STORE_FILE)
                    .with(ManifestKey.GENERATION, 0L).with(ManifestKey.ROWS, 0L);
            if (!schema.isEmpty()) {
                m = m.with(ManifestKey.ATTRIBUTES_SCHEMA, schema.text());
            }
            AttributeTable table = new AttributeTable(schema);
            ids = IdMap.open(dir, null, 0, idSource(store[0], table), 8 + table.averageRecordBytes());
            IndexParts parts = new IndexParts(dir, spec, metric, store[0], engine, new RowBitset(0), table, null, ids, null, m, false);
            parts.commit();
            return parts;
        } catch (IOException | RuntimeException e) {
            closeAll(e, engine, ids, store[0]);
            throw e;
        }
    }

    /** Opens the parts {@code dir}'s manifest names; read-only: nothing in the directory is created, locked or changed. */
    static IndexParts open(Path dir, boolean readOnly) throws IOException {
        Manifest m = Manifest.read(dir);
        IndexSpec spec = IndexSpec.parse(m.require(ManifestKey.INDEX_SPEC));
        Metric metric = Metric.valueOf(m.require(ManifestKey.METRIC));
        int dimension = m.require(ManifestKey.DIMENSION);
        Path storeFile = m.path(dir, ManifestKey.STORE_FILE);
        VectorStore store = readOnly ? VectorStore.openReadOnly(storeFile) : VectorStore.open(storeFile);
        SearchEngine engine = null;
        AttributeLog log = null;
        IdMap ids = null;
        DeleteLog deleteLog = null;
        try {
            if (store.headerDamage() != null) { // the fallback could hide rows an add() made durable: report, never guess
                throw new io.panavec.store.CorruptStoreException(store.path() + ": damaged header " + store.headerDamage()
                        + "; the other slot holds generation " + store.generation() + " (" + store.size() + " rows), which may hide "
                        + "committed rows, so the index does not open on it");
            }
            if (store.dimension() != dimension) {
                throw new IOException(dir + ": the store has dimension " + store.dimension() + ", the manifest " + dimension);
            }
            long rows = m.require(ManifestKey.ROWS);
            if (store.size() < rows) {
                throw new IOException(dir + ": the store has " + store.size() + " committed rows, the manifest names " + rows);
            }
            RowBitset deleted = RowBitset.open(dir, m, store.size());
            if (m.has(ManifestKey.DELETED_LOG)) { // deletes since that file was written
                long storeRows = store.size();
                java.util.function.LongConsumer dead = row -> {
                    if (row >= 0 && row < storeRows) deleted.set(row);
                };
                Path deleteLogFile = m.path(dir, ManifestKey.DELETED_LOG);
                if (readOnly) {
                    DeleteLog.read(deleteLogFile, dead);
                } else {
                    deleteLog = DeleteLog.open(deleteLogFile, dead);
                }
            }
            engine = Engines.open(spec, dir, m, store, internalMetric(metric), rows);
            Schema schema = Schema.parse(m.get(ManifestKey.ATTRIBUTES_SCHEMA).orElse(""));
            AttributeTable table = new AttributeTable(schema);
            if (!schema.isEmpty()) {
                AttributeFiles.Opened a = AttributeFiles.open(dir, m, schema, store.size(), readOnly);
                table = a.table();
                log = a.log();
            }
            ids = readOnly ? IdMap.inMemory(idSource(store, table), 8 + table.averageRecordBytes())
                    : IdMap.open(dir, m.get(ManifestKey.IDS_FILE).orElse(null), m.get(ManifestKey.IDS_ROWS).orElse(0L),
                            idSource(store, table), 8 + table.averageRecordBytes());
            IndexParts parts = new IndexParts(dir, spec, metric, store, engine, deleted, table, log, ids, deleteLog, m, readOnly);
            parts.live.recover(rows, store.size(), store::externalId); // replacements after the last commit (in memory)
            return parts;
        } catch (IOException | RuntimeException e) {
            closeAll(e, engine, log, deleteLog, ids, store);
            throw e;
        }
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
     * logged first, then the rows committed to the store, then the table, deleted set and id map caught up.
     * Upsert: returns the rows the batch replaced; those before the batch are tombstoned in the engine before
     * the new rows are published, so no search sees two rows of one id (the caller tombstones the batch's
     * own replaced rows once they are linked).
     */
    long[] append(long[] ids, float[][] vectors, List<Object[]> records) throws IOException {
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
            store.commit();
            attributes.append(records);
            deleted.ensureCapacity(store.size());
            if (this.ids.coveredRows() < first) { // an earlier add failed between its store commit and its puts
                IdMap.Source s = idSource(store, attributes);
                this.ids.catchUp(new IdMap.Source(first, s.idOfRow(), s.recordOfRow()));
            }
            boolean noSchema = attributes.schema().isEmpty();
            for (int i = 0; i < ids.length; i++) {
                this.ids.put(ids[i], first + i, noSchema ? new byte[0] : attributes.encodedRecord(first + i));
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
        IdMap.Entry e = ids.get(id);
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
        c.put(ManifestKey.IDS_FILE, ids.fileName());
        c.put(ManifestKey.IDS_ROWS, ids.coveredRows());
        engine.commit(c);
        AttributeLog newLog = attributes.schema().isEmpty() ? null : AttributeFiles.commit(c, attributes);
        deleted.commit(c);
        String deleteLogName = c.name("deleted", "log");
        DeleteLog newDeleteLog = DeleteLog.create(dir.resolve(deleteLogName)); // the deleted-rows file holds every delete so far
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
        ids.deleteStale(); // an id map outgrown since the previous commit
    }

    @Override
    public void close() throws IOException {
        IOException failure = new IOException("closing " + dir);
        closeAll(failure, engine, attributeLog, live, ids, store);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** Closes each part that is not null, adding its failure to {@code cause}. */
    private static void closeAll(Exception cause, AutoCloseable... parts) {
        for (AutoCloseable p : parts) {
            if (p == null) continue;
            try {
                p.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }
}
