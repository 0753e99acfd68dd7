package io.panavec.cli.input;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.panavec.io.NpyHeader;
import io.panavec.io.VectorFile;

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
 * The true nearest ids of each query, one row per query: texmex {@code .ivecs}, NumPy {@code .npy} (2-D int32 or
 * int64) or the {@code neighbors} dataset of an ann-benchmarks HDF5 file. Any other file is refused by name.
 */
public final class GroundTruth {
    private GroundTruth() {}

    public static long[][] read(Path path) throws IOException {
        InputFiles.requireFile(path);
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ivecs")) {
            return widen(VectorFile.readIvecs(path));
        }
        if (name.endsWith(".npy")) {
            return npy(path);
        }
        if (InputFiles.isHdf5(path)) {
            try (HdfFile file = AnnBenchmarksFile.open(path)) {
                Dataset d = AnnBenchmarksFile.dataset(file, path, AnnBenchmarksFile.NEIGHBORS);
                Object data = d.getData();
                if (data instanceof int[][] ints) return widen(ints);
                if (data instanceof long[][] longs) return longs;
                throw new IOException(path + ": dataset 'neighbors' holds " + d.getJavaType() + ", expected integers");
            }
        }
        throw new IOException(path + ": expected .ivecs, .npy or .hdf5 (ann-benchmarks neighbors) ground truth, got "
                + InputFiles.extension(path));
    }

    /** Whether an HDF5 file has a {@code neighbors} dataset. */
    public static boolean hasNeighbors(Path hdf5) throws IOException {
        try (HdfFile file = AnnBenchmarksFile.open(hdf5)) {
            return file.getChildren().get(AnnBenchmarksFile.NEIGHBORS) instanceof Dataset;
        }
    }

    private static long[][] widen(int[][] rows) {
        long[][] out = new long[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new long[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) out[i][j] = rows[i][j];
        }
        return out;
    }

    private static long[][] npy(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.size() == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            NpyHeader h = NpyHeader.read(path, seg);
            boolean wide = switch (h.descr()) {
                case "<i4", "=i4" -> false;
                case "<i8", "=i8" -> true;
                default -> throw new IOException(path + ": ground-truth .npy dtype " + h.descr() + " is not <i4 or <i8");
            };
            long[] shape = h.shape();
            if (h.fortranOrder() || shape.length != 2 || shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE) {
                throw new IOException(path + ": ground truth must be a 2-D C-order array (queries, k), shape is " + java.util.Arrays.toString(shape));
            }
            long[][] out = new long[(int) shape[0]][(int) shape[1]];
            long off = h.dataOffset();
            for (long[] row : out) {
                for (int j = 0; j < row.length; j++) {
                    if (wide) {
                        row[j] = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), off);
                        off += 8;
                    } else {
                        row[j] = seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), off);
                        off += 4;
                    }
                }
            }
            return out;
        }
    }
}
