package io.panavec.multivector;

import io.panavec.store.CorruptStoreException;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The random draws of an {@link FdeConfig} for tokens of dimension {@code dim}: per repetition {@code ksim}
 * Gaussian hyperplanes and {@code dproj} projection rows (each {@code dim} floats, row-major), and for a final
 * projection the Count-Sketch target index and sign of every raw coordinate.
 *
 * <p>Drawn from the config's seed with {@link SplittableRandom} (repetition r from {@code seed + r}, as the
 * reference implementation seeds each repetition; the sketch from its own stream), then persisted so an
 * index keeps its encodings whatever a later JDK's generator does. The file is an ordinary checksummed
 * {@link VectorStore} of {@code dim}-float rows: the hyperplanes (external id 0), the projection rows (id 1),
 * and the sketch as floats {@code sign * (index + 1)} packed {@code dim} to a row (id 2, zero padded).
 * Immutable.
 */
record FdeMatrices(FdeConfig config, int dim, float[] simhash, float[] proj, int[] sketchIndex, float[] sketchSign) {
    private static final long SKETCH_STREAM = 0x9E3779B97F4A7C15L;

    static FdeMatrices draw(FdeConfig c, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("token dimension must be >= 1, was " + dim);
        }
        if (c.projection() == FdeConfig.Projection.IDENTITY && c.dproj() != dim) {
            throw new IllegalArgumentException("identity projection needs d = token dimension " + dim + ", was " + c.dproj());
        }
        float[] simhash = new float[c.reps() * c.ksim() * dim];
        float[] proj = new float[c.reps() * c.dproj() * dim];
        float scale = (float) (1 / Math.sqrt(c.dproj()));
        for (int r = 0; r < c.reps(); r++) {
            SplittableRandom rnd = new SplittableRandom(c.seed() + r);
            int h0 = r * c.ksim() * dim;
            for (int i = 0; i < c.ksim() * dim; i++) {
                simhash[h0 + i] = (float) rnd.nextGaussian();
            }
            int p0 = r * c.dproj() * dim;
            switch (c.projection()) {
                case DENSE -> {
                    for (int i = 0; i < c.dproj() * dim; i++) {
                        proj[p0 + i] = rnd.nextBoolean() ? scale : -scale;
                    }
                }
                case AMS -> {
                    for (int i = 0; i < dim; i++) { // input dimension i goes to one output, with a random sign
                        int j = rnd.nextInt(c.dproj());
                        proj[p0 + j * dim + i] = rnd.nextBoolean() ? 1f : -1f;
                    }
                }
                case IDENTITY -> {
                    for (int i = 0; i < dim; i++) {
                        proj[p0 + i * dim + i] = 1f;
                    }
                }
            }
        }
        int[] index = new int[0];
        float[] sign = new float[0];
        if (c.dfinal() > 0) {
            int raw = c.rawDimension();
            index = new int[raw];
            sign = new float[raw];
            SplittableRandom rnd = new SplittableRandom(c.seed() ^ SKETCH_STREAM);
            for (int t = 0; t < raw; t++) {
                index[t] = rnd.nextInt(c.dfinal());
                sign[t] = rnd.nextBoolean() ? 1f : -1f;
            }
        }
        return new FdeMatrices(c, dim, simhash, proj, index, sign);
    }

    /** Writes the matrices as a new committed store file. */
    void write(Path file) throws IOException {
        try (VectorStore s = VectorStore.builder(file).dimension(dim).elementType(ElementType.F32).rowsPerChunk(1024).create()) {
            float[] row = new float[dim];
            for (int i = 0; i < simhash.length; i += dim) {
                System.arraycopy(simhash, i, row, 0, dim);
                s.append(0, row);
            }
            for (int i = 0; i < proj.length; i += dim) {
                System.arraycopy(proj, i, row, 0, dim);
                s.append(1, row);
            }
            for (int t = 0; t < sketchIndex.length; t += dim) {
                java.util.Arrays.fill(row, 0f);
                for (int j = 0; j < dim && t + j < sketchIndex.length; j++) {
                    row[j] = sketchSign[t + j] * (sketchIndex[t + j] + 1);
                }
                s.append(2, row);
            }
            s.commit();
        }
    }

    /** Reads matrices written by {@link #write}, checking the file's checksum and its shape against {@code c}. */
    static FdeMatrices read(Path file, FdeConfig c, int dim) throws IOException {
        try (VectorStore s = VectorStore.openReadOnly(file)) {
            s.verify();
            long simRows = (long) c.reps() * c.ksim();
            long projRows = (long) c.reps() * c.dproj();
            long sketchRows = c.dfinal() > 0 ? (c.rawDimension() + (long) dim - 1) / dim : 0;
            if (s.dimension() != dim || s.size() != simRows + projRows + sketchRows) {
                throw new CorruptStoreException(file + ": FDE matrices of dimension " + s.dimension() + " with " + s.size()
                        + " rows do not fit " + c.text() + " over " + dim + "-d tokens (" + (simRows + projRows + sketchRows) + " rows)");
            }
            float[] simhash = new float[Math.toIntExact(simRows * dim)];
            float[] proj = new float[Math.toIntExact(projRows * dim)];
            int[] index = new int[c.dfinal() > 0 ? c.rawDimension() : 0];
            float[] sign = new float[index.length];
            long row = 0;
            for (long r = 0; r < simRows; r++, row++) {
                section(s, row, 0, file);
                System.arraycopy(s.rowAsFloats(row), 0, simhash, (int) (r * dim), dim);
            }
            for (long r = 0; r < projRows; r++, row++) {
                section(s, row, 1, file);
                System.arraycopy(s.rowAsFloats(row), 0, proj, (int) (r * dim), dim);
            }
            for (int t = 0; t < index.length; row++) {
                section(s, row, 2, file);
                float[] v = s.rowAsFloats(row);
                for (int j = 0; j < dim && t < index.length; j++, t++) {
                    int code = (int) Math.abs(v[j]);
                    if (code < 1 || code > c.dfinal() || Math.abs(v[j]) != code) {
                        throw new CorruptStoreException(file + ": Count-Sketch entry " + t + " = " + v[j] + " is not a sign times 1.." + c.dfinal());
                    }
                    index[t] = code - 1;
                    sign[t] = Math.signum(v[j]);
                }
            }
            return new FdeMatrices(c, dim, simhash, proj, index, sign);
        }
    }

    private static void section(VectorStore s, long row, long want, Path file) throws CorruptStoreException {
        if (s.externalId(row) != want) {
            throw new CorruptStoreException(file + ": row " + row + " belongs to section " + s.externalId(row) + ", expected " + want);
        }
    }
}
