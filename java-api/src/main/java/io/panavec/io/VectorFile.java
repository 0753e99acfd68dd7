package io.panavec.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * A read-only, memory-mapped file of vectors in one of the common exchange formats: texmex {@code .fvecs}
 * (float32) and {@code .bvecs} (uint8), and NumPy {@code .npy} (2-D, C order, little-endian float32,
 * float16, float64 or uint8; float64 is narrowed to float on read). The format is chosen by file extension; the layout is validated on open (a truncated file or a
 * record with another dimension is refused with a message that says where).
 *
 * <p>Thread safety: {@link #read} may be called concurrently; {@link #close()} must not race with reads.
 */
public final class VectorFile implements AutoCloseable {
    /** How elements are stored in the file. */
    public enum Encoding { FLOAT32, FLOAT16, FLOAT64, UINT8 }

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final Encoding encoding;
    private final int dimension;
    private final long count;
    private final long firstOffset;   // byte offset of element 0 of row 0
    private final long rowStride;     // bytes from one row's element 0 to the next

    private VectorFile(Path path, Arena arena, MemorySegment data, Encoding encoding, int dimension, long count,
                       long firstOffset, long rowStride) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        this.encoding = encoding;
        this.dimension = dimension;
        this.count = count;
        this.firstOffset = firstOffset;
        this.rowStride = rowStride;
    }

    /** Opens {@code .fvecs}, {@code .bvecs} or {@code .npy}, by extension. */
    public static VectorFile open(Path path) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                seg = ch.size() == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            VectorFile f;
            if (name.endsWith(".fvecs")) {
                f = texmex(path, arena, seg, Encoding.FLOAT32, 4);
            } else if (name.endsWith(".bvecs")) {
                f = texmex(path, arena, seg, Encoding.UINT8, 1);
            } else if (name.endsWith(".npy")) {
                f = npy(path, arena, seg);
            } else {
                throw new IOException(path + ": unknown vector file type (expected .fvecs, .bvecs or .npy)");
            }
            return f;
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static VectorFile texmex(Path path, Arena arena, MemorySegment seg, Encoding enc, int elemBytes) throws IOException {
        long size = seg.byteSize();
        if (size < 4) {
            throw new IOException(path + ": empty or truncated (" + size + " bytes)");
        }
        int dim = seg.get(INT_LE, 0);
        if (dim <= 0 || dim > 1 << 20) {
            throw new IOException(path + ": first record declares dimension " + dim + "; not a valid " + enc + " texmex file");
        }
        long stride = 4L + (long) dim * elemBytes;
        if (size % stride != 0) {
            throw new IOException(path + ": size " + size + " is not a multiple of the record size " + stride
                    + " (dimension " + dim + "): the file is truncated or not in this format");
        }
        long n = size / stride;
        for (long i = 0; i < n; i++) {
            int d = seg.get(INT_LE, i * stride);
            if (d != dim) {
                throw new IOException(path + ": record " + i + " declares dimension " + d + ", the first declares " + dim);
            }
        }
        return new VectorFile(path, arena, seg, enc, dim, n, 4, stride);
    }

    private static VectorFile npy(Path path, Arena arena, MemorySegment seg) throws IOException {
        NpyHeader h = NpyHeader.read(path, seg);
        Encoding enc = switch (h.descr()) {
            case "<f4", "=f4" -> Encoding.FLOAT32;
            case "<f2", "=f2" -> Encoding.FLOAT16;
            case "<f8", "=f8" -> Encoding.FLOAT64;
            case "|u1", "<u1", "=u1" -> Encoding.UINT8;
            default -> throw new IOException(path + ": .npy dtype " + h.descr() + " is not supported (expected <f4, <f2, <f8 or |u1)");
        };
        if (h.fortranOrder()) {
            throw new IOException(path + ": Fortran-order .npy arrays are not supported; save with np.ascontiguousarray");
        }
        long[] shape = h.shape();
        if (shape.length != 2) {
            throw new IOException(path + ": .npy array must be 2-D (n, dim), shape is " + java.util.Arrays.toString(shape));
        }
        if (shape[1] <= 0 || shape[1] > 1 << 20) {
            throw new IOException(path + ": .npy dimension " + shape[1] + " is out of range (1 to " + (1 << 20) + ")");
        }
        int dim = (int) shape[1];
        return new VectorFile(path, arena, seg, enc, dim, shape[0], h.dataOffset(), (long) dim * h.elementBytes(path));
    }

    public Path path() {
        return path;
    }

    public Encoding encoding() {
        return encoding;
    }

    public int dimension() {
        return dimension;
    }

    public long count() {
        return count;
    }

    /** Reads row {@code i} into {@code dst} (length = dimension), converting to float. */
    public void read(long i, float[] dst) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("row " + i + " of " + count);
        }
        if (dst.length != dimension) {
            throw new IllegalArgumentException("destination has length " + dst.length + ", dimension is " + dimension);
        }
        long base = firstOffset + i * rowStride;
        switch (encoding) {
            case FLOAT32 -> {
                for (int j = 0; j < dimension; j++) dst[j] = data.get(FLOAT_LE, base + 4L * j);
            }
            case FLOAT16 -> {
                for (int j = 0; j < dimension; j++) dst[j] = Float.float16ToFloat(data.get(SHORT_LE, base + 2L * j));
            }
            case FLOAT64 -> {
                for (int j = 0; j < dimension; j++) dst[j] = (float) data.get(DOUBLE_LE, base + 8L * j);
            }
            case UINT8 -> {
                for (int j = 0; j < dimension; j++) dst[j] = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, base + j));
            }
        }
    }

    /** Row {@code i} as a new float array. */
    public float[] read(long i) {
        float[] v = new float[dimension];
        read(i, v);
        return v;
    }

    /** Every row, as float arrays on the heap: for query sets and tests, not for base data. */
    public float[][] readAll() {
        if (count > Integer.MAX_VALUE) {
            throw new IllegalStateException(path + " has too many rows to read onto the heap");
        }
        float[][] all = new float[(int) count][];
        for (int i = 0; i < count; i++) all[i] = read(i);
        return all;
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Reads a texmex {@code .ivecs} file (for example ground truth) fully. */
    public static int[][] readIvecs(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long size = seg.byteSize();
            java.util.List<int[]> rows = new java.util.ArrayList<>();
            long off = 0;
            while (off < size) {
                if (off + 4 > size) {
                    throw new IOException(path + ": truncated at byte " + off);
                }
                int d = seg.get(INT_LE, off);
                if (d < 0 || off + 4 + 4L * d > size) {
                    throw new IOException(path + ": record " + rows.size() + " declares " + d + " entries past the end of the file");
                }
                int[] r = new int[d];
                for (int j = 0; j < d; j++) r[j] = seg.get(INT_LE, off + 4 + 4L * j);
                rows.add(r);
                off += 4 + 4L * d;
            }
            return rows.toArray(new int[0][]);
        }
    }
}
