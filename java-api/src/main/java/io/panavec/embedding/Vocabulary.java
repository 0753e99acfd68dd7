package io.panavec.embedding;

import io.panavec.attributes.AttributeLog;
import io.panavec.internal.IdMap;
import io.panavec.store.VectorStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's vocabulary, key &rarr; latest row, in the persisted Chronicle Map of {@link IdMap} (rebuilt from the
 * store when it cannot be trusted, caught up with rows added since the last commit on open).
 *
 * <p>Long keys are the map's keys and the store's external ids. A string key lives under a 64-bit slot: the
 * first of {@code slot(key, 0), slot(key, 1), ...} that is free or already holds that key (the key's UTF-8 bytes
 * are the map entry's record and are compared on every look-up, so two keys whose hashes collide never share a
 * row). The slot is the store's external id of the row; the keys themselves are made durable in a key log
 * ({@link AttributeLog}'s checksummed frames, one per batch, fsynced before the rows are committed), read back
 * only to rebuild the map or to export the table. Nothing is ever removed, so probe chains have no holes.
 *
 * <p>Thread safety: look-ups run concurrently with each other and with one writer ({@link #slots}, {@link #put}).
 */
final class Vocabulary implements AutoCloseable {
    private static final int MAX_PROBES = 64;
    private static final long SLOT_SEED = 0x5EED_0F_5EA7L;

    private final KeyType type;
    private final IdMap ids;
    private final AttributeLog keyLog; // string tables opened for writing, else null
    private final Path keyLogFile;

    private Vocabulary(KeyType type, IdMap ids, AttributeLog keyLog, Path keyLogFile) {
        this.type = type;
        this.ids = ids;
        this.keyLog = keyLog;
        this.keyLogFile = keyLogFile;
    }

    /** Opens (or, with fileName null, creates) the vocabulary of {@code store}'s rows in {@code dir}. */
    static Vocabulary open(Path dir, KeyType type, String fileName, long covered, VectorStore store) throws IOException {
        Path logFile = dir.resolve(TableManifest.KEYS_LOG_NAME);
        AttributeLog log = null;
        byte[][][] keys = new byte[1][][];
        if (type == KeyType.STRING) {
            List<AttributeLog.Frame> frames = new ArrayList<>();
            log = AttributeLog.open(logFile, null, frames); // cuts a torn last frame (a table's key log has no index header)
            keys[0] = keysByRow(frames, store.size(), dir);
        }
        IdMap.Source source = new IdMap.Source(store.size(), store::externalId,
                r -> type == KeyType.STRING ? keys[0][(int) r] : new byte[0]);
        try {
            IdMap ids = IdMap.open(dir, fileName, covered, source, type == KeyType.STRING ? 32 : 8);
            return new Vocabulary(type, ids, log, logFile);
        } catch (IOException | RuntimeException e) {
            if (log != null) log.close();
            throw e;
        }
    }

    /** Each committed row's key from the log's frames (a later frame of a row wins: it was rewritten after a crash). */
    private static byte[][] keysByRow(List<AttributeLog.Frame> frames, long rows, Path dir) throws IOException {
        if (rows > Integer.MAX_VALUE - 8) {
            throw new IOException(dir + ": " + rows + " rows of string keys are more than one table holds");
        }
        byte[][] keys = new byte[(int) rows][];
        for (AttributeLog.Frame f : frames) {
            ByteBuffer b = ByteBuffer.wrap(f.records());
            for (int i = 0; i < f.count(); i++) {
                int len = b.getInt();
                byte[] k = new byte[len];
                b.get(k);
                long row = f.firstRow() + i;
                if (row >= 0 && row < rows) keys[(int) row] = k;
            }
        }
        for (int r = 0; r < keys.length; r++) {
            if (keys[r] == null) {
                throw new IOException(dir + ": row " + r + " of the table has no key in " + TableManifest.KEYS_LOG_NAME);
            }
        }
        return keys;
    }

    KeyType type() {
        return type;
    }

    /** Distinct keys. */
    long size() {
        return ids.size();
    }

    String fileName() {
        return ids.fileName();
    }

    long coveredRows() {
        return ids.coveredRows();
    }

    void deleteStale() throws IOException {
        ids.deleteStale();
    }

    /** The latest row of a long key, or -1. */
    long rowOf(long key) {
        return ids.rowOf(key);
    }

    /** The latest row of a string key, or -1. */
    long rowOf(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        long h = Hashing.of(k);
        for (int i = 0; i < MAX_PROBES; i++) {
            IdMap.Entry e = ids.get(slot(h, i));
            if (e == null) {
                return -1;
            }
            if (Arrays.equals(e.record(), k)) {
                return e.row();
            }
        }
        return -1;
    }

    private static long slot(long hash, int probe) {
        return Hashing.probe(hash, SLOT_SEED, probe);
    }

    /** Writer: the slot each key of a batch goes to (a key repeated in the batch gets one slot). */
    long[] slots(String[] keys) {
        Map<Long, byte[]> taken = new HashMap<>(); // slots this batch claims
        long[] out = new long[keys.length];
        for (int j = 0; j < keys.length; j++) {
            byte[] k = keys[j].getBytes(StandardCharsets.UTF_8);
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
                IdMap.Entry e = ids.get(s);
                if (e == null || Arrays.equals(e.record(), k)) {
                    chosen = s;
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalStateException("key '" + keys[j] + "': " + MAX_PROBES + " hash slots all hold other keys");
            }
            taken.put(chosen, k);
            out[j] = chosen;
        }
        return out;
    }

    /** Writer, string tables: makes the keys of rows firstRow.. durable before the rows are committed. */
    void logKeys(long firstRow, String[] keys) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String key : keys) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            bytes.write(ByteBuffer.allocate(4).putInt(k.length).array());
            bytes.write(k);
        }
        keyLog.append(firstRow, keys.length, bytes.toByteArray());
    }

    /** Writer: maps the store id (long key or slot) to its new row; the record is the string key (empty for long keys). */
    void put(long storeId, long row, String key) {
        ids.put(storeId, row, key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8));
    }

    /** String tables: the key of every committed row, read back from the key log. */
    String[] keysOfRows(long rows) throws IOException {
        byte[][] k = keysByRow(AttributeLog.read(keyLogFile, null), rows, keyLogFile.getParent());
        String[] out = new String[k.length];
        for (int i = 0; i < k.length; i++) out[i] = new String(k[i], StandardCharsets.UTF_8);
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            ids.close();
        } finally {
            if (keyLog != null) keyLog.close();
        }
    }
}
