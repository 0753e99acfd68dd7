package io.panavec.embedding;

import io.panavec.attributes.AttributeLog;
import io.panavec.internal.DeleteLog;
import io.panavec.persist.Commit;
import io.panavec.persist.Manifest;
import io.panavec.store.VectorStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's vocabulary, key &rarr; latest row: an off-heap {@link KeyRowTable} (see there why not a Chronicle Map)
 * persisted at each commit as one checksummed file ({@link TableManifest#VOCAB}, covering the store's first
 * {@link TableManifest#VOCAB_ROWS} rows). What came after the last commit is caught up on open from the durable
 * logs: every store row carries its key (long keys) or key slot (string keys) as its external id, so rows past the
 * covered ones are put again in order, then the deletes since the commit ({@link DeleteLog}, fsynced before a delete
 * returns) are applied: a logged row is deleted only if its key still points at it.
 *
 * <p>A string key lives under a 64-bit slot: the first of {@code slot(hash, 0), slot(hash, 1), ...} that is free
 * or already holds that key (compared against the key bytes of the slot's row, {@link KeyBytes}), so two keys
 * whose hashes collide never share a row; a deleted key keeps its slot (and is found there again when put back).
 * The slot is the store's external id of the row; the keys are durable in a key log (checksummed frames, one per
 * batch, fsynced before the rows are committed).
 *
 * <p>Thread safety: look-ups run concurrently with each other and with one writer.
 */
final class Vocabulary implements AutoCloseable {
    private static final int MAX_PROBES = 64;
    private static final long SLOT_SEED = 0x5EED_0F_5EA7L;

    private final Path dir;
    private final KeyType type;
    private final KeyRowTable table;
    private final KeyBytes keys;        // string tables, else null
    private final AttributeLog keyLog;  // string tables opened for writing, else null
    private DeleteLog deleteLog;        // opened for writing, else null
    private String deleteLogName;
    private DeleteLog pendingLog;       // the next commit's, until it is published
    private String pendingLogName;
    private long covered;               // store rows the table holds (writer)

    private Vocabulary(Path dir, KeyType type, KeyRowTable table, KeyBytes keys, AttributeLog keyLog, long covered) {
        this.dir = dir;
        this.type = type;
        this.table = table;
        this.keys = keys;
        this.keyLog = keyLog;
        this.covered = covered;
    }

    /** Moves the slots into memory from {@code allocator} (a read-only table's resident copy); returns their bytes. */
    long residentSlots(java.util.function.LongFunction<MemorySegment> allocator) {
        return table.copySlotsInto(allocator);
    }

    /** The memory the key slots are read from now (the mapped vocabulary file, or a copy). */
    MemorySegment slotMemory() {
        return table.slotMemory();
    }

    /** An empty vocabulary in memory (no logs): what a compaction fills. */
    static Vocabulary fresh(KeyType type, long expected) {
        return new Vocabulary(null, type, KeyRowTable.create(expected), type == KeyType.STRING ? new KeyBytes(expected, 16 * expected) : null, null, 0);
    }

    static int keyKind(KeyType type) {
        return type == KeyType.LONG ? 1 : 2;
    }

    /**
     * Opens the vocabulary of {@code store}'s rows as the manifest records it (no vocabulary file: an empty table, or
     * one written before this format, rebuilt from the store), catching up rows and deletes since its last commit.
     * Read-only: nothing is written (the logs are read, not opened for appending).
     */
    static Vocabulary open(Path dir, KeyType type, Manifest m, VectorStore store, boolean readOnly) throws IOException {
        long covered = m.has(TableManifest.VOCAB) ? m.require(TableManifest.VOCAB_ROWS) : 0;
        if (covered > store.size()) {
            throw new IOException(store.path() + ": " + store.size() + " rows, the manifest's vocabulary covers " + covered
                    + (store.headerDamage() != null ? " (" + store.headerDamage() + ")" : ""));
        }
        KeyRowTable table = m.has(TableManifest.VOCAB)
                ? KeyRowTable.map(m.verifiedFile(dir, TableManifest.VOCAB), keyKind(type), covered)
                : KeyRowTable.create(store.size());
        AttributeLog log = null;
        KeyBytes keyBytes = null;
        if (type == KeyType.STRING) {
            Path logFile = m.path(dir, TableManifest.KEYS_LOG);
            List<AttributeLog.Frame> frames = new ArrayList<>();
            if (readOnly) frames = AttributeLog.read(logFile, null);
            else log = AttributeLog.open(logFile, null, frames); // cuts a torn last frame (a table's key log has no index header)
            try {
                keyBytes = keysByRow(frames, store.size(), dir);
            } catch (IOException | RuntimeException e) {
                if (log != null) log.close();
                throw e;
            }
        }
        Vocabulary v = new Vocabulary(dir, type, table, keyBytes, log, covered);
        try {
            v.catchUp(store);
            if (m.has(TableManifest.DELETES_LOG)) {
                Path deletes = m.path(dir, TableManifest.DELETES_LOG);
                List<Long> rows = new ArrayList<>();
                if (readOnly) DeleteLog.read(deletes, null, rows::add);
                else v.deleteLog = DeleteLog.open(deletes, null, rows::add);
                v.deleteLogName = deletes.getFileName().toString();
                for (long r : rows) {
                    if (r < 0 || r >= store.size()) throw new IOException(deletes + ": deletes row " + r + " of " + store.size());
                    long id = store.externalId(r);
                    if (v.rowOfStoreId(id) == r) v.table.delete(id);
                }
            }
            return v;
        } catch (IOException | RuntimeException e) {
            v.close();
            throw e;
        }
    }

    /** Puts the store's rows the table does not cover yet, in order (a later row of a key wins). */
    private void catchUp(VectorStore store) {
        long size = store.size();
        for (long r = covered; r < size; r++) table.put(store.externalId(r), r);
        covered = size;
    }

    /** Each committed row's key from the log's frames (a later frame of a row wins: it was rewritten after a crash). */
    private static KeyBytes keysByRow(List<AttributeLog.Frame> frames, long rows, Path dir) throws IOException {
        if (rows > Integer.MAX_VALUE - 8) {
            throw new IOException(dir + ": " + rows + " rows of string keys are more than one table holds");
        }
        byte[][] k = new byte[(int) rows][];
        long total = 0;
        for (AttributeLog.Frame f : frames) {
            ByteBuffer b = ByteBuffer.wrap(f.records());
            for (int i = 0; i < f.count(); i++) {
                int len = b.getInt();
                if (len < 0 || len > b.remaining()) throw new IOException(dir + ": a key of " + len + " bytes in " + TableManifest.KEYS_LOG_NAME);
                byte[] key = new byte[len];
                b.get(key);
                long row = f.firstRow() + i;
                if (row >= 0 && row < rows) k[(int) row] = key;
            }
        }
        for (int r = 0; r < k.length; r++) {
            if (k[r] == null) throw new IOException(dir + ": row " + r + " of the table has no key in its key log");
            total += k[r].length;
        }
        KeyBytes out = new KeyBytes(rows, total);
        for (byte[] key : k) out.append(key);
        return out;
    }

    KeyType type() {
        return type;
    }

    /** Live keys. */
    long size() {
        return table.size();
    }

    /** Store rows the vocabulary holds. */
    long coveredRows() {
        return covered;
    }

    // ------------------------------------------------------------------------------------------ reads

    /** The latest row of a long key, or -1. */
    long rowOf(long key) {
        return table.rowOf(key);
    }

    /** rows[i] = the row of keys[i], or {@code fallback}. */
    void rowsOf(long[] keys, long[] rows, long fallback) {
        table.rowsOf(keys, rows, fallback);
    }

    /** The latest row of a string key, or -1. */
    long rowOf(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        long h = Hashing.of(k);
        for (int i = 0; i < MAX_PROBES; i++) {
            long e = table.entry(slot(h, i));
            if (e == 0) return -1;
            long row = (e & ~KeyRowTable.DELETED) - 2;
            if (keys.matches(row, k)) return (e & KeyRowTable.DELETED) != 0 ? -1 : row;
        }
        return -1;
    }

    /** The live row of a store id (a long key, or a string key's slot), or -1. */
    long rowOfStoreId(long id) {
        return table.rowOf(id);
    }

    private static long slot(long hash, int probe) {
        return Hashing.probe(hash, SLOT_SEED, probe);
    }

    // ------------------------------------------------------------------------------------------ writes (one writer)

    /** The slot each key of a batch goes to (a key repeated in the batch gets one slot). */
    long[] slots(String[] batch) {
        Map<Long, byte[]> taken = new HashMap<>(); // slots this batch claims
        long[] out = new long[batch.length];
        for (int j = 0; j < batch.length; j++) {
            byte[] k = batch[j].getBytes(StandardCharsets.UTF_8);
            long h = Hashing.of(k);
            long chosen = Long.MIN_VALUE;
            boolean found = false;
            for (int i = 0; i < MAX_PROBES && !found; i++) {
                long s = slot(h, i);
                byte[] pending = taken.get(s);
                if (pending != null) {
                    if (Arrays.equals(pending, k)) {
                        chosen = s;
                        found = true;
                    }
                    continue;
                }
                long e = table.entry(s);
                if (e == 0 || keys.matches((e & ~KeyRowTable.DELETED) - 2, k)) {
                    chosen = s;
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalStateException("key '" + batch[j] + "': " + MAX_PROBES + " hash slots all hold other keys");
            }
            taken.put(chosen, k);
            out[j] = chosen;
        }
        return out;
    }

    /** String tables: makes the keys of rows firstRow.. durable before the rows are committed. */
    void logKeys(long firstRow, String[] batch) throws IOException {
        keyLog.append(firstRow, batch.length, keyRecords(batch));
    }

    static byte[] keyRecords(String[] batch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String key : batch) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            bytes.writeBytes(ByteBuffer.allocate(4).putInt(k.length).array());
            bytes.writeBytes(k);
        }
        return bytes.toByteArray();
    }

    /** Points the store id (long key or slot) at its new row, the next store row; {@code key}: a string table's key. */
    void put(long storeId, long row, String key) {
        if (row != covered) throw new IllegalStateException("row " + row + " put after " + covered + " rows");
        if (keys != null) keys.append(key.getBytes(StandardCharsets.UTF_8)); // before the row is published
        table.put(storeId, row);
        covered++;
    }

    /** Deletes each key that has a row (logged and fsynced first); returns how many did. */
    int delete(long[] storeIds) throws IOException {
        long[] rows = new long[storeIds.length];
        int n = 0;
        Map<Long, Boolean> seen = new HashMap<>();
        for (long id : storeIds) {
            long r = table.rowOf(id);
            if (r >= 0 && seen.put(id, true) == null) rows[n++] = r;
        }
        if (n == 0) return 0;
        deleteLog.append(Arrays.copyOf(rows, n));
        for (long id : seen.keySet()) table.delete(id);
        return n;
    }

    /** The store ids of string keys that have a row, for {@link #delete} (unknown keys left out). */
    long[] storeIdsOf(String[] batch) {
        long[] out = new long[batch.length];
        int n = 0;
        for (String key : batch) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            long h = Hashing.of(k);
            for (int i = 0; i < MAX_PROBES; i++) {
                long s = slot(h, i), e = table.entry(s);
                if (e == 0) break;
                if (keys.matches((e & ~KeyRowTable.DELETED) - 2, k)) {
                    if ((e & KeyRowTable.DELETED) == 0) out[n++] = s;
                    break;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** String tables: the key of a row. */
    String keyOfRow(long row) {
        return new String(keys.key(row), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------ commit

    /** Writes the vocabulary file of commit {@code c} and starts its (empty) delete log; {@link #published} or {@link #abandoned} next. */
    void record(Commit c) throws IOException {
        c.write(TableManifest.VOCAB, "vocab", "pvk", file -> table.writeTo(file, keyKind(type), covered));
        c.put(TableManifest.VOCAB_ROWS, covered);
        pendingLogName = c.name("deletes", "log");
        pendingLog = DeleteLog.create(dir.resolve(pendingLogName), null);
        c.putFile(TableManifest.DELETES_LOG, pendingLogName);
    }

    /** The commit is in: deletes go to its log; the previous commit's log and vocabulary file are removed. */
    void published(Manifest previous, Manifest next) throws IOException {
        DeleteLog old = deleteLog;
        String oldName = deleteLogName;
        deleteLog = pendingLog;
        deleteLogName = pendingLogName;
        pendingLog = null;
        if (old != null) old.close();
        if (oldName != null && !oldName.equals(deleteLogName)) Files.deleteIfExists(dir.resolve(oldName));
        TableManifest.deleteReplaced(dir, previous, next, TableManifest.VOCAB.file());
    }

    /** The commit failed before its manifest was switched: its delete log goes. */
    void abandoned() throws IOException {
        if (pendingLog != null) {
            pendingLog.close();
            Files.deleteIfExists(dir.resolve(pendingLogName));
            pendingLog = null;
        }
    }

    /** Writes this (in-memory) vocabulary's table as {@code c}'s vocabulary file, for a compaction. */
    void recordTable(Commit c) throws IOException {
        c.write(TableManifest.VOCAB, "vocab", "pvk", file -> table.writeTo(file, keyKind(type), covered));
        c.put(TableManifest.VOCAB_ROWS, covered);
    }

    @Override
    public void close() throws IOException {
        try {
            if (keyLog != null) keyLog.close();
        } finally {
            try {
                if (deleteLog != null) deleteLog.close();
            } finally {
                abandoned();
            }
        }
    }
}
