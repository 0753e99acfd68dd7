package io.panavec.embedding;

import io.panavec.attributes.AttributeLog;
import io.panavec.internal.DeleteLog;
import io.panavec.persist.Commit;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's compaction: the live rows (each key's latest, in row order) copied into a new store
 * {@code vectors-<generation>.pvs}, with a new vocabulary (string keys get fresh slots, so deleted keys' slots
 * go), key log and empty delete log, all under the commit's generation, then the manifest switched. A crash before
 * the switch leaves the table as it was (the new files are unnamed leftovers, replaced by the next compaction of
 * that generation); after it, the old files are removed. Stateless; the caller holds the table exclusively.
 */
final class TableCompaction {
    private static final int BATCH = 4096;

    private TableCompaction() {}

    /** Writes the compacted table and switches the manifest to it; returns the new manifest. */
    static Manifest run(Path dir, Manifest manifest, VectorStore store, Vocabulary vocabulary, KeyType keyType) throws IOException {
        Commit c = new Commit(dir, manifest);
        if (manifest.has(TableManifest.CODEC)) c.keep(TableManifest.CODEC);
        String storeName = c.name("vectors", "pvs"), keysName = c.name("keys", "log"), deletesName = c.name("deletes", "log");
        List<Path> created = List.of(dir.resolve(storeName), dir.resolve(keysName), dir.resolve(deletesName));
        for (Path p : created) Files.deleteIfExists(p); // left by a compaction that crashed before its switch
        boolean strings = keyType == KeyType.STRING;
        Vocabulary fresh = Vocabulary.fresh(keyType, vocabulary.size());
        int rowBytes = store.dimension();
        try (VectorStore out = VectorStore.builder(dir.resolve(storeName)).dimension(rowBytes).elementType(ElementType.I8)
                .rowsPerChunk(store.rowsPerChunk()).create();
             AttributeLog keyLog = strings ? AttributeLog.create(dir.resolve(keysName), null) : null;
             Arena arena = Arena.ofConfined()) {
            MemorySegment rows = arena.allocate((long) BATCH * rowBytes, 64);
            long[] ids = new long[BATCH];
            List<String> keys = new ArrayList<>();
            int n = 0;
            long size = store.size();
            for (long r = 0; r <= size; r++) {
                if (r < size) {
                    long id = store.externalId(r);
                    if (vocabulary.rowOfStoreId(id) != r) continue; // replaced or deleted
                    MemorySegment.copy(store.row(r), 0, rows, (long) n * rowBytes, rowBytes);
                    ids[n] = id;
                    if (strings) keys.add(vocabulary.keyOfRow(r));
                    n++;
                }
                if (n == BATCH || (r == size && n > 0)) {
                    long[] batchIds = java.util.Arrays.copyOf(ids, n);
                    String[] batchKeys = strings ? keys.toArray(new String[0]) : null;
                    if (strings) {
                        batchIds = fresh.slots(batchKeys);
                        keyLog.append(out.size() + out.pendingRows(), n, Vocabulary.keyRecords(batchKeys));
                    }
                    long first = out.appendBatch(rows, batchIds, n);
                    for (int i = 0; i < n; i++) fresh.put(batchIds[i], first + i, strings ? batchKeys[i] : null);
                    n = 0;
                    keys.clear();
                }
            }
            out.commit();
            fresh.recordTable(c);
            DeleteLog.create(dir.resolve(deletesName), null).close();
            c.putFile(TableManifest.STORE, storeName);
            c.remove(ManifestKey.STORE_FILE);
            if (strings) c.putFile(TableManifest.KEYS_LOG, keysName);
            c.putFile(TableManifest.DELETES_LOG, deletesName);
            TableManifest.dropLegacyVocabulary(c);
        } catch (IOException | RuntimeException e) {
            for (Path p : created) Files.deleteIfExists(p);
            throw e;
        }
        return c.publish();
    }

    /** After the switch: removes the files of {@code previous} that {@code next} replaced. */
    static void deleteReplaced(Path dir, Manifest previous, Manifest next) throws IOException {
        Path oldStore = TableManifest.store(dir, previous);
        if (!oldStore.equals(TableManifest.store(dir, next))) Files.deleteIfExists(oldStore);
        TableManifest.deleteReplaced(dir, previous, next, TableManifest.KEYS_LOG);
        TableManifest.deleteReplaced(dir, previous, next, TableManifest.DELETES_LOG);
        TableManifest.deleteReplaced(dir, previous, next, TableManifest.VOCAB.file());
        TableManifest.deleteLegacyVocabulary(dir, previous);
    }
}
