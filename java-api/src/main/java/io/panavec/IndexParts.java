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
import io.panavec.persist.IndexLock;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parts of an index directory and how they come and go together: the store, the engine, the deleted
 * rows and their log, the attributes (table and log), the id map, and the manifest naming their files. Each part writes
 * its own files into a {@link Commit}; this class orders them and switches the manifest. Created and opened,
 * with the checks of every file, by {@link IndexOpening}. Mutated only under the index's writer lock.
 */
final class IndexParts implements AutoCloseable {
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

    IndexParts(Path dir, IndexSpec spec, Metric metric, VectorStore store, SearchEngine engine, RowBitset deleted,
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
