package io.panavec.bench.ann;

import io.panavec.faiss.FaissIndex;
import io.panavec.faiss.SearchParams;
import io.panavec.faiss.FaissHits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * FAISS 1.7.3 IndexHNSWFlat through panavec's shim ({@link FaissIndex}, factory "HNSW{M},Flat", inner
 * product), efSearch as the effort knob. efConstruction is set to 100 like the other engines' build beam
 * (the factory's default is 40). OpenMP threads: {@code threads} while adding, 1 while searching (process-wide setting).
 *
 * <p>Thread safety: as {@link AnnEngine}.
 */
public final class FaissHnswEngine implements AnnEngine {
    static final int EF_CONSTRUCTION = 100;
    private final int m;
    private FaissIndex index;

    public FaissHnswEngine(int m) {
        this.m = m;
    }

    @Override
    public String name() {
        return "faiss HNSW" + m + ",Flat (efc=" + EF_CONSTRUCTION + ")";
    }

    @Override
    public String effortName() {
        return "efSearch";
    }

    @Override
    public double build(float[][] base, int threads) {
        long t0 = System.nanoTime();
        FaissIndex.setThreads(threads);
        try {
            index = FaissIndex.create(base[0].length, "HNSW" + m + ",Flat", AnnMetric.RUN.faiss());
            index.setEfConstruction(EF_CONSTRUCTION); // the same build beam as the other engines
            index.add(base);
        } finally {
            FaissIndex.setThreads(1);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public double bytesPerVector() throws IOException {
        // The serialized index is FAISS's in-memory layout: vectors, level-0 and upper links, levels.
        Path tmp = Files.createTempFile("annbench-faiss", ".index");
        try {
            index.save(tmp);
            return Files.size(tmp) / (double) index.size();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String bytesNote() {
        return "native memory, measured as the size of the saved index (same layout)";
    }

    @Override
    public int[] search(float[] query, int k, int effort) {
        // Searches run single-threaded: build() left OpenMP at 1 thread.
        FaissHits r = index.search(query, k, SearchParams.defaults().withEfSearch(Math.max(k, effort)));
        int n = 0;
        while (n < r.ids().length && r.ids()[n] >= 0) n++;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (int) r.ids()[i];
        }
        return ids;
    }

    @Override
    public void close() {
        if (index != null) {
            index.close();
            index = null;
        }
    }
}
