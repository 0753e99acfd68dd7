package io.panavec.bench;

import io.panavec.FlatIndex;
import io.panavec.Metric;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A benchmark's vector store in a temporary directory, with an exact index over it; {@link #close()}
 * closes both and deletes the directory. Filled by the caller, then committed. Single-threaded setup.
 */
final class TempStore implements AutoCloseable {
    final Path dir;
    final VectorStore store;
    FlatIndex flat;

    TempStore(int dimension, ElementType type) throws IOException {
        dir = Files.createTempDirectory("panavec-bench");
        store = VectorStore.builder(dir.resolve("vectors.pvs")).dimension(dimension).elementType(type).create();
    }

    /** Commits what was appended and opens a one-thread exact index over it. */
    FlatIndex commitAndIndex(Metric metric) throws IOException {
        store.commit();
        flat = FlatIndex.over(store, metric, 1);
        return flat;
    }

    @Override
    public void close() throws IOException {
        if (flat != null) {
            flat.close();
        }
        store.close();
        TempDirs.delete(dir);
    }
}
