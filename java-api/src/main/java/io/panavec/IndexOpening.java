package io.panavec;

import io.panavec.attributes.AttributeFiles;
import io.panavec.attributes.AttributeLog;
import io.panavec.attributes.AttributeTable;
import io.panavec.attributes.Schema;
import io.panavec.engine.SearchEngine;
import io.panavec.internal.Closeables;
import io.panavec.internal.DeleteLog;
import io.panavec.internal.RowBitset;
import io.panavec.persist.IndexDirectory;
import io.panavec.persist.IndexLock;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.ElementType;
import io.panavec.store.StoreOwner;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * How the {@link IndexParts} of a directory come into being: created whole in a temporary sibling, or opened from
 * the files the manifest names, each checked on the way (the manifest's seal, every part's file, the store's
 * binding to this index); a damaged file, or one that belongs to another index, is a {@link CorruptIndexException}
 * naming it. Opening for writing takes the directory's {@link IndexLock} first.
 */
final class IndexOpening {
    static final String STORE_FILE = "vectors.pvs";

    private IndexOpening() {}

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
            engine = Engines.create(spec, dimension, IndexParts.internalMetric(metric), seed,
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
            engine = reading(files(dir, m, ManifestKey.GRAPH.file(), ManifestKey.FAISS.file(), ManifestKey.FAISS_LINKS.file(), ManifestKey.CODES.file()),
                    () -> Engines.open(spec, dir, m, store, IndexParts.internalMetric(metric), rows));
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
}
