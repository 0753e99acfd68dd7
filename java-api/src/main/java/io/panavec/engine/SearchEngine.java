package io.panavec.engine;

import io.panavec.internal.RowBitset;
import io.panavec.persist.Commit;
import io.panavec.store.VectorStore;

import java.io.IOException;

/**
 * One way of searching the rows of an index's store: the seam every engine sits behind. A search takes a
 * prepared query (validated; normalized for cosine, whose engines run inner product), k, an {@link Effort}
 * and an optional {@link AllowSet}, and returns {@link Candidates}: store rows with scores, best first, and
 * the work done. The {@link QueryPlanner} decides once per query which engine runs and how.
 *
 * <p>The writer side ({@link #link}, {@link #markDeleted}, {@link #train}, {@link #commit}) is called by one
 * writer at a time (the index's writer lock), concurrently with searches. {@link #close()} is called with no
 * call in flight.
 */
public sealed interface SearchEngine extends AutoCloseable permits FlatEngine, HnswEngine, QuantizedEngine, FaissEngine {
    /** What the results of an unfiltered search are labelled. */
    String label();

    /**
     * Up to {@code k} rows for {@code query}, best first; only rows in {@code allow} when it is given
     * (null: every row the engine holds, deleted ones excluded if {@link #excludesDeleted()}).
     *
     * @throws AllowSetRefusedException if the engine cannot honour an allow-set (the planner post-filters)
     */
    Candidates search(float[] query, int k, Effort effort, AllowSet allow, Walk walk);

    /** Whether the engine walks an index (a graph or FAISS) rather than scanning every row exactly. */
    boolean walks();

    /** Whether deleted rows never come back from a search without an allow-set (tombstones in the engine). */
    boolean excludesDeleted();

    /** The engine a filtered query walks (quantized engines walk their full-precision one). */
    default SearchEngine filteredEngine() {
        return this;
    }

    /** Throws if rows cannot be added now (an untrained FAISS index, LeanVec-OOD without queries). */
    default void checkCanAdd() {}

    /** Indexes the store rows the engine does not hold yet. */
    void link(VectorStore store, int threads);

    /** Stops returning {@code row} (tombstone); engines that filter deletions with an allow-set ignore it. */
    default void markDeleted(long row) {}

    /** Trains on a sample (already normalized for cosine); a no-op for engines without training. */
    default void train(float[][] sample) {}

    /** Keeps a query sample to learn from (LeanVec-OOD); a no-op elsewhere. */
    default void trainQueries(float[][] queries) {}

    /** Whether {@link #train} would do anything. */
    default boolean needsTraining() {
        return false;
    }

    /** Native bytes of the index structure (graph links). */
    default long structureBytes() {
        return 0;
    }

    /** Bytes per vector of quantized codes in RAM (0 without). */
    default long codeBytesPerVector() {
        return 0;
    }

    /**
     * Starts unlinking deleted rows (a rebuild beside searches); null when the engine has nothing to
     * compact. The returned step is applied with no search in flight.
     */
    default Compaction compaction(VectorStore store, int threads, RowBitset deleted) {
        return null;
    }

    /** A rebuilt structure waiting to replace the current one. */
    interface Compaction {
        /** Catches up with rows and deletions since the rebuild started, then swaps (no search in flight). */
        void apply();

        /** Frees the rebuilt structure without using it. */
        void discard();
    }

    /** Writes the engine's files into {@code commit} (or keeps the ones the previous manifest names). */
    void commit(Commit commit) throws IOException;

    @Override
    void close();
}
