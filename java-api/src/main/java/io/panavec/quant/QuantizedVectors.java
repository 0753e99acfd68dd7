package io.panavec.quant;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A quantizer plus the codes of n vectors: primary rows (what graph traversal and flat scans read)
 * and, for two-level LVQ, residual rows (read only to re-rank). Rows live off-heap in this object's
 * arena (or a read-only mapping of its file) and are freed by {@link #close()}.
 *
 * <p>File format (little-endian): magic "PVQCODES", version, method name, dimension, code dimension,
 * bits, residual (second-level) bits, count, the quantizer's parameters, CRC-32C of all of that, then (at a 64-byte
 * boundary) the primary rows, the residual rows, and a CRC-32C of the rows. {@link #load} refuses a
 * file of another method or dimension, another version, a truncated file or a bad checksum.
 *
 * <p>Thread safety: reads (views, {@link #decode}) may run concurrently; {@link #close()} must not
 * overlap them.
 */
public final class QuantizedVectors implements AutoCloseable {
    private static final long MAGIC = 0x5345444f4351_5650L; // "PVQCODES" little-endian
    /** 2: LeanVec codes carry exact norms and LeanVec-OOD its query projection; version 1 files of other methods still load. */
    private static final int VERSION = 2;
    private static final int ENCODE_BLOCK = 1024;

    private final Quantizer quantizer;
    private final Arena arena;
    private final MemorySegment rows, residual; // residual: NULL segment if the method has none
    private final long count;

    private QuantizedVectors(Quantizer quantizer, Arena arena, MemorySegment rows, MemorySegment residual, long count) {
        this.quantizer = quantizer;
        this.arena = arena;
        this.rows = rows;
        this.residual = residual;
        this.count = count;
    }

    /** Encodes every vector (rows of the quantizer's dimension, finite). */
    public static QuantizedVectors encode(Quantizer q, float[][] vectors) {
        Arena arena = Arena.ofShared();
        try {
            long n = vectors.length;
            MemorySegment rows = arena.allocate(Math.max(1, n * q.rowBytes()), 64);
            MemorySegment res = q.residualBytes() == 0 ? MemorySegment.NULL : arena.allocate(Math.max(1, n * q.residualBytes()), 64);
            for (float[] v : vectors) {
                Quantizers.checkVector(v, q.dimension());
            }
            try (Arena batch = Arena.ofConfined()) { // native copies of the vectors, a block at a time
                int d = q.dimension(), block = ENCODE_BLOCK;
                MemorySegment x = batch.allocate((long) block * d * Float.BYTES, 64);
                for (int from = 0; from < n; from += block) {
                    int m = (int) Math.min(block, n - from);
                    for (int i = 0; i < m; i++) {
                        MemorySegment.copy(vectors[from + i], 0, x, ValueLayout.JAVA_FLOAT, (long) i * d * Float.BYTES, d);
                    }
                    q.encodeRows(x, m, rows, (long) from * q.rowBytes(), res, (long) from * q.residualBytes());
                }
            }
            return new QuantizedVectors(q, arena, rows, res, n);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * A view of {@code count} rows the caller owns and keeps alive (laid out as {@link #rows()} and
     * {@link #residual()}), to {@link #save} or search them; {@link #close()} does not free them.
     */
    public static QuantizedVectors view(Quantizer q, MemorySegment rows, MemorySegment residual, long count) {
        if (count < 0 || rows.byteSize() < count * q.rowBytes()
                || (q.residualBytes() > 0 && residual.byteSize() < count * q.residualBytes())) {
            throw new IllegalArgumentException("segments too small for " + count + " rows of " + q.spec());
        }
        return new QuantizedVectors(q, null, rows, q.residualBytes() == 0 ? MemorySegment.NULL : residual, count);
    }

    public Quantizer quantizer() { return quantizer; }
    public long count() { return count; }

    /** The primary rows for native scoring. */
    public CodeView view() {
        return new CodeView(rows, count, quantizer.codeDimension(), quantizer.spec().bits());
    }

    /** The primary rows. */
    public MemorySegment rows() { return rows; }

    /** The residual rows, or {@link MemorySegment#NULL} if the method has none. */
    public MemorySegment residual() { return residual; }

    /** Bytes per vector the primary rows take (what traversal touches). */
    public long primaryBytesPerVector() { return quantizer.rowBytes(); }

    /** Bytes per vector of primary plus residual rows. */
    public long bytesPerVector() { return quantizer.rowBytes() + quantizer.residualBytes(); }

    /** Decodes row r (with its residual if there is one and withResidual). */
    public float[] decode(long r, boolean withResidual) {
        if (r < 0 || r >= count) {
            throw new IndexOutOfBoundsException("row " + r + " of " + count);
        }
        boolean two = withResidual && quantizer.residualBytes() > 0;
        return quantizer.decode(rows, r * quantizer.rowBytes(), two ? residual : null, r * quantizer.residualBytes());
    }

    /** Writes everything to file (replacing it). */
    public void save(Path file) throws IOException {
        byte[] head = header(quantizer, count);
        long bodyAt = align64(head.length);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(head), 0);
            long at = bodyAt;
            CRC32C crc = new CRC32C();
            long rb = count * quantizer.rowBytes(), xb = count * quantizer.residualBytes();
            for (MemorySegment s : new MemorySegment[] {rows.asSlice(0, rb), xb == 0 ? MemorySegment.NULL : residual.asSlice(0, xb)}) {
                if (s.byteSize() == 0) {
                    continue;
                }
                crc.update(s.asByteBuffer());
                writeFully(ch, s.asByteBuffer(), at);
                at += s.byteSize();
            }
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue()).flip();
            writeFully(ch, tail, at); // made durable by whoever names the file (CheckedFile in an index)
        }
    }

    /**
     * Maps a file written by {@link #save}, checking that it holds {@code expected} codes of vectors
     * of {@code expectedDimension}; anything else (other method, dimension, version, truncation,
     * checksum) is refused with an IOException naming the problem.
     */
    public static QuantizedVectors load(Path file, QuantSpec expected, int expectedDimension) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            ByteBuffer b = all.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (size < 64 || b.getLong() != MAGIC) {
                throw new IOException(file + " is not a panavec code file");
            }
            int version = b.getInt();
            if (version != VERSION && version != 1) {
                throw new IOException(file + " has code file version " + version + ", expected " + VERSION);
            }
            byte[] name = new byte[b.getInt()];
            if (name.length > 256) {
                throw new IOException(file + " is corrupt (method name length " + name.length + ")");
            }
            b.get(name);
            String method = new String(name, StandardCharsets.UTF_8);
            if (!method.equals(expected.toString())) {
                throw new IOException(file + " holds " + method + " codes, expected " + expected);
            }
            int dim = b.getInt(), codeDim = b.getInt(), bits = b.getInt(), bits2 = b.getInt();
            long count = b.getLong();
            if (dim != expectedDimension) {
                throw new IOException(file + " holds codes of dimension " + dim + ", expected " + expectedDimension);
            }
            QuantSpec spec = QuantSpec.parse(method);
            if (version == 1 && spec.reducedDim() > 0) {
                throw new IOException(file + " holds LeanVec codes of code file version 1, which this version no longer reads: rebuild the index");
            }
            int prows = Quantizers.parameterRows(spec);
            if (bits != spec.bits() || bits2 != spec.residualBits() || count < 0 || b.remaining() < (long) prows * dim * 4 + 8) {
                throw new IOException(file + " is corrupt (header fields disagree with " + method + ")");
            }
            float[][] params = new float[prows][dim];
            for (float[] p : params) {
                b.asFloatBuffer().get(p);
                b.position(b.position() + 4 * dim);
            }
            int headLen = b.position();
            long headCrc = b.getLong();
            CRC32C crc = new CRC32C();
            crc.update(all.asSlice(0, headLen).asByteBuffer());
            if (crc.getValue() != headCrc) {
                throw new IOException(file + " fails its header checksum");
            }
            Quantizer q = Quantizers.fromParameters(spec, dim, params);
            if (q.codeDimension() != codeDim) {
                throw new IOException(file + " is corrupt (code dimension " + codeDim + ")");
            }
            long bodyAt = align64(headLen + 8);
            long rb = count * q.rowBytes(), xb = count * q.residualBytes();
            if (size != bodyAt + rb + xb + 8) {
                throw new IOException(file + " is truncated or has trailing bytes (" + size + " bytes, expected "
                        + (bodyAt + rb + xb + 8) + ")");
            }
            CRC32C body = new CRC32C();
            body.update(all.asSlice(bodyAt, rb + xb).asByteBuffer());
            if (body.getValue() != all.get(ValueLayout.JAVA_LONG_UNALIGNED, bodyAt + rb + xb)) {
                throw new IOException(file + " fails its code checksum");
            }
            MemorySegment rows = all.asSlice(bodyAt, Math.max(rb, 0));
            MemorySegment res = xb == 0 ? MemorySegment.NULL : all.asSlice(bodyAt + rb, xb);
            return new QuantizedVectors(q, arena, rows, res, count);
        } catch (IOException | RuntimeException e) {
            arena.close();
            if (e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException
                    || e instanceof java.nio.BufferUnderflowException) {
                throw new IOException(file + " is corrupt: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static byte[] header(Quantizer q, long count) {
        byte[] name = q.spec().toString().getBytes(StandardCharsets.UTF_8);
        float[][] params = q.parameters();
        int dim = q.dimension();
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 4 + name.length + 16 + 8 + params.length * dim * 4 + 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC).putInt(VERSION).putInt(name.length).put(name);
        b.putInt(dim).putInt(q.codeDimension()).putInt(q.spec().bits()).putInt(q.spec().residualBits()).putLong(count);
        for (float[] p : params) {
            for (float v : p) {
                b.putFloat(v);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        return b.array();
    }

    private static long align64(long x) {
        return (x + 63) & ~63L;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }
}
