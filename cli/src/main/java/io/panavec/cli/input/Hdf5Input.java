package io.panavec.cli.input;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.panavec.Metric;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** One 2-D float32 or float64 dataset of an ann-benchmarks HDF5 file ({@code train} or {@code test}), read in blocks. */
final class Hdf5Input implements VectorInput {
    private static final int BLOCK = 1024;

    private final Path path;
    private final HdfFile file;
    private final Dataset data;
    private final long count;
    private final int dimension;
    private final Optional<Metric> metric;
    private long blockFirst = -1;
    private float[][] block;

    private Hdf5Input(Path path, HdfFile file, Dataset data, Optional<Metric> metric) {
        this.path = path;
        this.file = file;
        this.data = data;
        this.count = data.getDimensions()[0];
        this.dimension = data.getDimensions()[1];
        this.metric = metric;
    }

    static Hdf5Input open(Path path, String datasetName) throws IOException {
        HdfFile file = AnnBenchmarksFile.open(path);
        try {
            Dataset d = AnnBenchmarksFile.dataset(file, path, datasetName);
            Class<?> t = d.getJavaType();
            if (t != float.class && t != double.class) {
                throw new IOException(path + ": dataset '" + datasetName + "' holds " + t + ", expected float32 or float64 vectors");
            }
            return new Hdf5Input(path, file, d, AnnBenchmarksFile.metric(file, path));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public Optional<Metric> metric() {
        return metric;
    }

    @Override
    public void read(long row, float[] dst) throws IOException {
        if (row < 0 || row >= count) {
            throw new IndexOutOfBoundsException("row " + row + " of " + count);
        }
        if (block == null || row < blockFirst || row >= blockFirst + block.length) {
            blockFirst = row - row % BLOCK;
            block = read(blockFirst, (int) Math.min(BLOCK, count - blockFirst));
        }
        System.arraycopy(block[(int) (row - blockFirst)], 0, dst, 0, dimension);
    }

    @Override
    public float[][] read(long first, int n) throws IOException {
        if (first < 0 || n < 0 || first + n > count) {
            throw new IndexOutOfBoundsException("rows " + first + ".." + (first + n) + " of " + count);
        }
        Object slice;
        try {
            slice = data.getData(new long[] {first, 0}, new int[] {n, dimension});
        } catch (RuntimeException e) {
            throw new IOException(path + ": cannot read rows " + first + ".." + (first + n) + " of " + data.getPath() + ": " + e.getMessage(), e);
        }
        if (slice instanceof float[][] f) {
            return f;
        }
        double[][] d = (double[][]) slice;
        float[][] out = new float[n][dimension];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dimension; j++) out[i][j] = (float) d[i][j];
        }
        return out;
    }

    @Override
    public void close() {
        file.close();
    }
}
