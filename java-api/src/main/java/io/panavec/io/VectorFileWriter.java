package io.panavec.io;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes float32 vectors in the formats {@link VectorFile} reads: {@code .npy} (a C-order {@code <f4} matrix; the
 * row count is declared up front) or {@code .fvecs}, chosen by extension. Rows are written as they come; {@link
 * #close()} refuses to finish an {@code .npy} file whose row count differs from the one declared.
 *
 * <p>Not thread-safe.
 */
public final class VectorFileWriter implements AutoCloseable {
    private final Path path;
    private final boolean npy;
    private final int dimension;
    private final long declaredRows;
    private final DataOutputStream out;
    private final ByteBuffer row;
    private long written;

    private VectorFileWriter(Path path, boolean npy, int dimension, long declaredRows, OutputStream os) {
        this.path = path;
        this.npy = npy;
        this.dimension = dimension;
        this.declaredRows = declaredRows;
        this.out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
        this.row = ByteBuffer.allocate((npy ? 0 : 4) + 4 * dimension).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Creates {@code path} ({@code .npy} or {@code .fvecs}) for {@code rows} vectors of {@code dimension}. */
    public static VectorFileWriter create(Path path, int dimension, long rows) throws IOException {
        if (dimension < 1 || rows < 0) {
            throw new IllegalArgumentException("bad shape " + rows + " x " + dimension);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean npy = name.endsWith(".npy");
        if (!npy && !name.endsWith(".fvecs")) {
            throw new IOException(path + ": can write .npy or .fvecs, not this file type");
        }
        OutputStream os = Files.newOutputStream(path);
        VectorFileWriter w = new VectorFileWriter(path, npy, dimension, rows, os);
        if (npy) {
            w.out.write(NpyHeader.float32Header(rows, dimension));
        }
        return w;
    }

    /** Appends one vector ({@code dimension} floats from {@code v[off]}). */
    public void write(float[] v, int off) throws IOException {
        row.clear();
        if (!npy) row.putInt(dimension);
        for (int i = 0; i < dimension; i++) row.putFloat(v[off + i]);
        out.write(row.array(), 0, row.position());
        written++;
    }

    @Override
    public void close() throws IOException {
        out.close();
        if (npy && written != declaredRows) {
            throw new IOException(path + ": " + written + " rows written, the header declares " + declaredRows);
        }
    }
}
