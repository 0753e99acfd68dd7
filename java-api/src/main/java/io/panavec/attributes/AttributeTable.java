package io.panavec.attributes;

import org.roaringbitmap.RoaringBitmap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;

/**
 * The attributes of every row of an index, held for filtering: per attribute a {@link NumericColumn}
 * (values + sorted copy for ranges) or a {@link KeywordColumn} (RoaringBitmap per value), plus each
 * row's encoded record (to give attributes back and to write the snapshot file). Filters are evaluated
 * on these columns and bitmaps into a RoaringBitmap of matching rows; no per-row lookup.
 *
 * <p>Thread safety: {@link #append} (one writer at a time) and reads (filter evaluation,
 * {@link #record}, {@link #writeSnapshot}) may run concurrently: a read-write lock orders them.
 */
public final class AttributeTable {
    private static final int MAGIC = 0x50564154; // "PVAT"
    private static final int VERSION = 1;

    private final Schema schema;
    private final RecordCodec codec;
    private final Object[] columns; // NumericColumn or KeywordColumn, schema order
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private byte[] records = new byte[1 << 16];
    private long recordBytes;
    private int[] offsets = new int[1025]; // record r is records[offsets[r] .. offsets[r+1])
    private int rows;

    public AttributeTable(Schema schema) {
        this.schema = schema;
        this.codec = new RecordCodec(schema);
        this.columns = new Object[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            AttributeType t = schema.type(schema.names().get(i));
            columns[i] = t.isNumeric() ? new NumericColumn(t) : new KeywordColumn();
        }
    }

    public Schema schema() {
        return schema;
    }

    /** Rows appended. */
    public int rows() {
        lock.readLock().lock();
        try {
            return rows;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Checks and normalizes one row's values (unknown attribute or wrong type: IllegalArgumentException
     * naming {@code where}); the result goes to {@link #encode} and {@link #append}.
     */
    public Object[] normalize(Map<String, ?> values, String where) {
        return codec.normalize(values, where);
    }

    /** Encodes normalized records (as in the snapshot and log files). */
    public byte[] encode(List<Object[]> recs) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            for (Object[] r : recs) codec.encode(r, out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes {@code n} records from {@link #encode}'s bytes. */
    public List<Object[]> decode(byte[] bytes, int n) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        Object[][] out = new Object[n][];
        for (int i = 0; i < n; i++) out[i] = codec.decode(in);
        if (in.available() != 0) {
            throw new IOException("attribute records: " + in.available() + " bytes left over after " + n + " records");
        }
        return Arrays.asList(out);
    }

    /** Appends normalized records as rows {@code rows() ..}. */
    public void append(List<Object[]> recs) {
        lock.writeLock().lock();
        try {
            for (Object[] rec : recs) {
                int row = rows;
                byte[] enc = encode(List.<Object[]>of(rec));
                if (recordBytes + enc.length > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("attribute records exceed 2 GB");
                }
                if (recordBytes + enc.length > records.length) {
                    records = Arrays.copyOf(records, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(recordBytes + enc.length, 2L * records.length)));
                }
                System.arraycopy(enc, 0, records, (int) recordBytes, enc.length);
                if (row + 2 > offsets.length) {
                    offsets = Arrays.copyOf(offsets, offsets.length * 2);
                }
                offsets[row] = (int) recordBytes;
                recordBytes += enc.length;
                offsets[row + 1] = (int) recordBytes;
                for (int i = 0; i < columns.length; i++) {
                    if (columns[i] instanceof NumericColumn c) c.append(row, rec[i]);
                    else ((KeywordColumn) columns[i]).append(row, rec[i]);
                }
                rows = row + 1;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The attribute values of {@code row} (missing ones absent). */
    public Map<String, Object> record(long row) {
        lock.readLock().lock();
        try {
            if (row < 0 || row >= rows) {
                throw new IndexOutOfBoundsException("row " + row + " has no attributes (" + rows + " rows)");
            }
            int from = offsets[(int) row], to = offsets[(int) row + 1];
            return codec.toMap(codec.decode(new DataInputStream(new ByteArrayInputStream(records, from, to - from))));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The encoded record of {@code row} (the bytes {@link #encode} gives for it; empty without a schema). */
    public byte[] encodedRecord(long row) {
        lock.readLock().lock();
        try {
            if (row < 0 || row >= rows) {
                throw new IndexOutOfBoundsException("row " + row + " has no attributes (" + rows + " rows)");
            }
            return Arrays.copyOfRange(records, offsets[(int) row], offsets[(int) row + 1]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The values of one {@link #encodedRecord encoded record} (missing ones absent). */
    public Map<String, Object> decodeRecord(byte[] encoded) throws IOException {
        return codec.toMap(codec.decode(new DataInputStream(new ByteArrayInputStream(encoded))));
    }

    /** Mean bytes of an encoded record so far (an estimate from the schema while empty). */
    public double averageRecordBytes() {
        lock.readLock().lock();
        try {
            return rows > 0 ? (double) recordBytes / rows : 12.0 * schema.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs {@code body} under the table's read lock, with the number of rows it may look at (the first
     * {@code limit}): one consistent view for a whole evaluation (see {@code io.panavec.filter.FilterEvaluator}).
     */
    public <T> T query(long limit, java.util.function.IntFunction<T> body) {
        lock.readLock().lock();
        try {
            return body.apply((int) Math.min(limit, rows));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Rows below {@code n} whose {@code attribute} equals {@code value} (Long, Double, Boolean or String). Call inside {@link #query}. */
    public RoaringBitmap equal(String attribute, Object value, int n) {
        Object col = column(attribute);
        if (col instanceof NumericColumn c) {
            return c.range(value, true, value, true, n);
        }
        String key = value instanceof Boolean b ? b.toString() : (String) value;
        return clip(((KeywordColumn) col).rows(key), n);
    }

    /** Rows below {@code n} whose numeric {@code attribute} lies in the range (bounds Long, Double or null). Call inside {@link #query}. */
    public RoaringBitmap range(String attribute, Object lower, boolean lowerInclusive, Object upper, boolean upperInclusive, int n) {
        return ((NumericColumn) column(attribute)).range(lower, lowerInclusive, upper, upperInclusive, n);
    }

    /** Rows below {@code n} that have a value of {@code attribute}. Call inside {@link #query}. */
    public RoaringBitmap present(String attribute, int n) {
        return clip(column(attribute) instanceof NumericColumn c ? c.present() : ((KeywordColumn) column(attribute)).present(), n);
    }

    private static RoaringBitmap clip(RoaringBitmap b, int n) {
        RoaringBitmap out = b.clone();
        if (!out.isEmpty() && out.last() >= n) {
            out.remove(n, 1L << 32);
        }
        return out;
    }

    private Object column(String attribute) {
        return columns[schema.indexOf(attribute)];
    }

    /** Writes every row to {@code file} (header, records, CRC-32C trailer); returns the CRC. */
    public int writeSnapshot(Path file) throws IOException {
        lock.readLock().lock();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            CRC32C crc = new CRC32C();
            OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            DataOutputStream out = new DataOutputStream(new java.util.zip.CheckedOutputStream(os, crc));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(schema.text());
            out.writeInt(rows);
            out.write(records, 0, (int) recordBytes);
            out.flush();
            int value = (int) crc.getValue();
            new DataOutputStream(os).writeInt(value);
            os.flush();
            return value;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Reads a snapshot written by {@link #writeSnapshot}, checking magic, schema and its CRC trailer. */
    public static AttributeTable readSnapshot(Path file, Schema schema) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 16) {
            throw new IOException(file + ": truncated attribute snapshot");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        int stored = java.nio.ByteBuffer.wrap(all, all.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new IOException(file + ": checksum mismatch: the attribute snapshot is corrupt");
        }
        DataInputStream in = new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(all, 0, all.length - 4)));
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException(file + " is not a panavec attribute snapshot of version " + VERSION);
        }
        String text = in.readUTF();
        if (!text.equals(schema.text())) {
            throw new IOException(file + ": attribute schema '" + text + "' differs from the manifest's '" + schema.text() + "'");
        }
        int n = in.readInt();
        AttributeTable t = new AttributeTable(schema);
        byte[] body = in.readAllBytes();
        t.append(t.decode(body, n));
        return t;
    }
}
