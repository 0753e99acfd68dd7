package io.panavec.bench.ann;

import java.io.IOException;

/**
 * One approximate nearest-neighbour engine under benchmark: built once over unit vectors, then searched
 * by inner product with an engine-specific effort knob (HNSW beam / candidate count).
 *
 * <p>Thread safety: {@link #build} once, then {@link #search} from one thread at a time (the benchmark
 * measures single-threaded queries; engines may keep per-searcher scratch state). {@link #close} last.
 */
public interface AnnEngine extends AutoCloseable {

    /** Short name used in the report, e.g. "lucene-hnsw M=16 beam=100". */
    String name();

    /** What {@link #search}'s {@code effort} means for this engine, e.g. "efSearch". */
    String effortName();

    /**
     * Builds the index over {@code base} (row i has id i) with {@code threads} threads, including whatever
     * the engine needs to be searchable and persisted (commit / merge). Returns the wall-clock seconds.
     */
    double build(float[][] base, int threads) throws IOException;

    /** Bytes per vector the built index holds (vectors plus graph); see {@link #bytesNote()}. */
    double bytesPerVector() throws IOException;

    /** How {@link #bytesPerVector()} was counted (heap, native memory, file sizes). */
    String bytesNote();

    /** The ids of the (approximately) {@code k} best vectors for {@code query}, best first. */
    int[] search(float[] query, int k, int effort) throws IOException;

    @Override
    void close() throws IOException;
}
