package io.panavec.cli.input;

import io.panavec.io.VectorFile;

import java.nio.file.Path;

/** {@code .fvecs}, {@code .bvecs} and {@code .npy}, through the library's memory-mapped {@link VectorFile}. */
final class VectorFileInput implements VectorInput {
    private final VectorFile file;

    VectorFileInput(VectorFile file) {
        this.file = file;
    }

    @Override
    public Path path() {
        return file.path();
    }

    @Override
    public int dimension() {
        return file.dimension();
    }

    @Override
    public long count() {
        return file.count();
    }

    @Override
    public void read(long row, float[] dst) {
        file.read(row, dst);
    }

    @Override
    public void close() {
        file.close();
    }
}
