package io.panavec.internal;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;

/**
 * The external id &rarr; (row, attribute record) map of an index directory: a persisted Chronicle Map file
 * ({@code ids-<capacity>.cmap}), so that looking an id up (delete by id, row and attributes of an id) is
 * O(1) right after open, with no scan of the store. The value of an id is its latest row (8 bytes,
 * little-endian) followed by that row's encoded attribute record (empty without a schema).
 *
 * <p><b>A cache of durable data.</b> The store's external ids and the attribute table are the durable
 * truth; this map is rebuilt from them whenever it cannot be trusted. The manifest names the map file and
 * the rows it covered at that commit; on open, rows committed since are put again (puts are idempotent:
 * rows are put in order, a later row of an id wins). A marker file ({@value #OPEN_MARKER}) exists while a
 * process has the map open; found at open, the previous process died, so the map is opened with Chronicle
 * Map's recovery (locks a killed process held, entries it was writing). A map that is missing, fails to
 * open, or fails the consistency probe is rebuilt from the durable data: a crash never loses a mapping.
 *
 * <p>Chronicle Map has a fixed capacity: when it fills, the entries move to a new file of twice the
 * capacity (the old one stays until the next commit names the new one, so a crash in between reopens
 * the old one and catches up).
 *
 * <p>Thread safety: lookups run concurrently with each other and with one writer ({@link #put}); the
 * capacity switch takes a write lock.
 */
public final class IdMap implements AutoCloseable {
    static {
        // Chronicle's usage analytics stay off unless the application turned them on.
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
    }

    static final String OPEN_MARKER = "ids.open";
    private static final String PREFIX = "ids-";
    private static final String SUFFIX = ".cmap";
    private static final long MIN_CAPACITY = 1024;

    /** Where a rebuild reads the durable truth: the external id and encoded attribute record of each row. */
    public record Source(long rows, LongUnaryOperator idOfRow, LongFunction<byte[]> recordOfRow) {}

    private final Path dir;
    private final double averageValueBytes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private ChronicleMap<Long, byte[]> map;   // guarded by lock (replaced when it fills)
    private long capacity;
    private volatile long covered;            // rows [0, covered) are all put
    private boolean closed;

    private IdMap(Path dir, double averageValueBytes) {
        this.dir = dir;
        this.averageValueBytes = averageValueBytes;
    }

    /** The file name of a map of {@code capacity} entries. */
    private static String fileName(long capacity) {
        return PREFIX + capacity + SUFFIX;
    }

    /** The map file the manifest should name. */
    public String fileName() {
        lock.readLock().lock();
        try {
            return fileName(capacity);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Opens the map named {@code fileName} (null: none yet) in {@code dir}, trusted for rows [0, covered),
     * and brings it up to {@code source.rows()}; rebuilds it from {@code source} when it is missing or
     * cannot be trusted. Files of other maps in {@code dir} are left for {@link #deleteStale()}.
     *
     * @param averageValueBytes expected value size (8 + encoded record), for Chronicle Map's sizing
     */
    public static IdMap open(Path dir, String fileName, long covered, Source source, double averageValueBytes) throws IOException {
        ChronicleFlags.require("The id map (" + PREFIX + "*" + SUFFIX + ")");
        IdMap m = new IdMap(dir, Math.max(8, averageValueBytes));
        boolean crashed = Files.exists(dir.resolve(OPEN_MARKER));
        Files.write(dir.resolve(OPEN_MARKER), new byte[0]);
        long from = 0;
        if (fileName != null && headerReady(dir.resolve(fileName)) && covered <= source.rows()) {
            try {
                m.capacity = capacityOf(fileName);
                java.io.File file = dir.resolve(fileName).toFile();
                // Recovery (~0.4 s per 100k entries) only after a crash; a clean open maps the file (ms).
                m.map = crashed ? m.builder(m.capacity).recoverPersistedTo(file, false)
                        : m.builder(m.capacity).createPersistedTo(file);
                from = m.consistentUpTo(covered, source) ? covered : -1;
            } catch (IOException | RuntimeException e) {
                from = -1; // corrupt or unreadable: rebuild below
            }
            if (from < 0 && m.map != null) {
                m.map.close();
                m.map = null;
            }
        }
        if (m.map == null) { // rebuild from the durable data
            m.capacity = Math.max(MIN_CAPACITY, Long.highestOneBit(Math.max(1, source.rows())) * 4);
            Path file = dir.resolve(fileName(m.capacity));
            io.panavec.persist.CrashPoints.reach("id map rebuild: remove " + file.getFileName());
            Files.deleteIfExists(file);
            io.panavec.persist.CrashPoints.reach("id map rebuild: create " + file.getFileName());
            m.map = m.builder(m.capacity).createPersistedTo(file.toFile());
            from = 0;
        }
        m.covered = from;
        m.catchUp(source);
        io.panavec.persist.CrashPoints.reach("id map open: caught up to " + source.rows());
        return m;
    }

    /**
     * A map held in memory only (no file, nothing written: for an index opened read-only), built from
     * {@code source} in O(rows).
     */
    public static IdMap inMemory(Source source, double averageValueBytes) {
        ChronicleFlags.require("The id map (in memory, read-only)");
        IdMap m = new IdMap(null, Math.max(8, averageValueBytes));
        m.capacity = Math.max(MIN_CAPACITY, Long.highestOneBit(Math.max(1, source.rows())) * 4);
        m.map = m.builder(m.capacity).create();
        m.catchUp(source);
        return m;
    }

    /** Puts the rows of {@code source} from {@link #coveredRows()} on (after a put that failed, or on open). */
    public void catchUp(Source source) {
        for (long r = covered; r < source.rows(); r++) {
            if ((r & 31) == 0) io.panavec.persist.CrashPoints.reach("id map: put row " + r);
            put(source.idOfRow().applyAsLong(r), r, source.recordOfRow().apply(r));
        }
    }

    /** Rows [0, coveredRows()) are all in the map: what a commit may record as covered. */
    public long coveredRows() {
        return covered;
    }

    /**
     * Chronicle Map's file header (self-bootstrapping data): an 8-byte word, the length word of the
     * builder's config text (top two bits: not-complete and metadata flags), then that text, which
     * starts with the map's type. (The first word is not a fixed magic: a check against one made every
     * open rebuild the map.)
     */
    private static final String HEADER_TYPE = "!net.openhft.chronicle.map.";

    /**
     * Whether {@code file} starts with a complete Chronicle Map header. Chronicle Map waits a minute for
     * another process to finish a header that is not (zeroed file, creation cut by a crash): such a
     * file is rebuilt instead.
     */
    private static boolean headerReady(Path file) {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + HEADER_TYPE.length()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            if (b.hasRemaining()) {
                return false;
            }
            if (b.getLong(0) == 0) {
                return false; // never written
            }
            int length = b.getInt(8); // top two bits: not-complete and metadata flags
            byte[] type = new byte[HEADER_TYPE.length()];
            b.get(12, type);
            return length > 0 && (length & 0xC000_0000) == 0
                    && new String(type, java.nio.charset.StandardCharsets.ISO_8859_1).equals(HEADER_TYPE);
        } catch (IOException e) {
            return false;
        }
    }

    private ChronicleMapBuilder<Long, byte[]> builder(long entries) {
        return ChronicleMapBuilder.of(Long.class, byte[].class)
                .name("panavec-ids")
                .entries(entries)
                .averageValueSize(averageValueBytes);
    }

    private static long capacityOf(String fileName) throws IOException {
        if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)) {
            throw new IOException("not an id map file name: " + fileName);
        }
        try {
            return Long.parseLong(fileName.substring(PREFIX.length(), fileName.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            throw new IOException("not an id map file name: " + fileName, e);
        }
    }

    /**
     * A cheap probe that the map covers rows [0, covered): no more entries than rows, and the last covered
     * row's id maps to that row or a later one (puts go in row order, so a map cut short misses it).
     */
    private boolean consistentUpTo(long covered, Source source) {
        if (map.longSize() > source.rows()) {
            return false;
        }
        if (covered == 0) {
            return true;
        }
        long row = rowOf(source.idOfRow().applyAsLong(covered - 1));
        return row >= covered - 1 && row < source.rows();
    }

    /** Maps {@code id} to {@code row} (replacing an earlier row of the same id) with its encoded record. */
    public void put(long id, long row, byte[] record) {
        byte[] value = new byte[8 + record.length];
        for (int i = 0; i < 8; i++) value[i] = (byte) (row >>> (8 * i));
        System.arraycopy(record, 0, value, 8, record.length);
        lock.readLock().lock();
        try {
            checkOpen();
            if (map.longSize() < capacity) {
                map.put(id, value);
                if (row == covered) covered = row + 1; // one writer: no lost update
                return;
            }
        } finally {
            lock.readLock().unlock();
        }
        grow();
        put(id, row, record);
    }

    /** Moves the entries to a map of twice the capacity. */
    private void grow() {
        lock.writeLock().lock();
        try {
            checkOpen();
            if (map.longSize() < capacity) {
                return;
            }
            long next = capacity * 2;
            ChronicleMap<Long, byte[]> bigger;
            if (dir == null) {
                bigger = builder(next).create();
            } else {
                Path file = dir.resolve(fileName(next));
                Files.deleteIfExists(file);
                bigger = builder(next).createPersistedTo(file.toFile());
            }
            map.forEach(bigger::put);
            map.close();
            map = bigger;
            capacity = next;
        } catch (IOException e) {
            throw new UncheckedIOException("growing the id map: " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** An id's latest row and that row's encoded attribute record. */
    public record Entry(long row, byte[] record) {}

    /** The latest row put under {@code id}, or -1. */
    public long rowOf(long id) {
        Entry e = get(id);
        return e == null ? -1 : e.row();
    }

    /** The entry of {@code id} (one consistent look-up of row and record), or null when the id is unknown. */
    public Entry get(long id) {
        byte[] v = value(id);
        if (v == null) {
            return null;
        }
        long row = 0;
        for (int i = 0; i < 8; i++) row |= (v[i] & 0xFFL) << (8 * i);
        return new Entry(row, Arrays.copyOfRange(v, 8, v.length));
    }

    private byte[] value(long id) {
        lock.readLock().lock();
        try {
            checkOpen();
            return map.get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Ids mapped (distinct external ids). */
    public long size() {
        lock.readLock().lock();
        try {
            checkOpen();
            return map.longSize();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Deletes map files in the directory other than the current one (call after the manifest names it). */
    public void deleteStale() throws IOException {
        String current = fileName();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path f : files) {
                if (!f.getFileName().toString().equals(current)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the id map is closed");
        }
    }

    /** Closes the map file and removes the open marker (the map was left consistent). */
    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            map.close();
            if (dir != null) {
                Files.deleteIfExists(dir.resolve(OPEN_MARKER));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
