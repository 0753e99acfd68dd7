package io.panavec.cli.input;

import io.panavec.Metric;
import io.panavec.attributes.Schema;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Vectors to index or to query, read row by row from one of the formats the command line takes: texmex
 * {@code .fvecs}/{@code .bvecs}, NumPy {@code .npy}, an ann-benchmarks HDF5 file ({@code .hdf5}/{@code .h5},
 * its {@code train} or {@code test} dataset) or JSON lines ({@code .jsonl}/{@code .ndjson}: one
 * {@code {"id":..,"vector":[..],"attributes":{..}}} per line). Rows are numbered from 0; a format without ids
 * uses the row number as the id.
 *
 * <p>Not thread-safe: one reader at a time.
 */
public interface VectorInput extends AutoCloseable {
    /** Which part of a file holding both (HDF5): the vectors to index, or the queries. */
    enum Role { BASE, QUERIES }

    Path path();

    int dimension();

    long count();

    /** Reads row {@code row} into {@code dst} (length = dimension). */
    void read(long row, float[] dst) throws IOException;

    default float[] read(long row) throws IOException {
        float[] v = new float[dimension()];
        read(row, v);
        return v;
    }

    /** Rows {@code first} to {@code first + n - 1}. */
    default float[][] read(long first, int n) throws IOException {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = read(first + i);
        return out;
    }

    /** Every row on the heap: for query sets, not for base data. */
    default float[][] readAll() throws IOException {
        if (count() > Integer.MAX_VALUE) {
            throw new IOException(path() + " has too many rows to read onto the heap");
        }
        return read(0, (int) count());
    }

    /** The external id of row {@code row}: the row number unless the file carries ids. */
    default long id(long row) throws IOException {
        return row;
    }

    /** The attributes the file carries (JSON lines), else the empty schema. */
    default Schema schema() {
        return Schema.empty();
    }

    /** Row {@code row}'s attribute values (typed for {@link #schema()}); empty when the file has none. */
    default Map<String, Object> attributes(long row) throws IOException {
        return Map.of();
    }

    /** The metric the file says its ground truth was computed with (ann-benchmarks' "distance" attribute). */
    default Optional<Metric> metric() {
        return Optional.empty();
    }

    @Override
    void close() throws IOException;

    /**
     * Opens {@code path} by its extension. A missing file says "no such file"; an unknown extension lists the
     * formats. {@code schemaText} (JSON lines only; may be null) types the attributes instead of inferring them.
     */
    static VectorInput open(Path path, Role role, String schemaText) throws IOException {
        InputFiles.requireFile(path);
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".fvecs") || name.endsWith(".bvecs") || name.endsWith(".npy")) {
            return new VectorFileInput(io.panavec.io.VectorFile.open(path));
        }
        if (InputFiles.isHdf5(path)) {
            return Hdf5Input.open(path, role == Role.BASE ? AnnBenchmarksFile.TRAIN : AnnBenchmarksFile.TEST);
        }
        if (InputFiles.isJsonLines(path)) {
            return JsonLinesInput.open(path, schemaText);
        }
        throw new IOException(path + ": unknown vector file type, expected .fvecs, .bvecs, .npy, .hdf5 (ann-benchmarks) or .jsonl");
    }
}
