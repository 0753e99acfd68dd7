package io.panavec.engine;

import io.panavec.internal.NativeMetric;
import io.panavec.graph.HnswGraph;
import io.panavec.graph.VectorView;
import io.panavec.internal.RowBitset;
import io.panavec.persist.Commit;
import io.panavec.persist.ManifestKey;
import io.panavec.quant.CodeView;
import io.panavec.store.VectorStore;

import java.nio.file.Path;

/**
 * panavec's HNSW graph over the memory-mapped store: walks score store rows (or, for a
 * {@link QuantizedEngine}, code rows) with the SIMD kernels; deletions are tombstones in the graph. The
 * graph is replaced whole by {@link #compaction}. Searches run concurrently with one writer.
 */
public final class HnswEngine implements SearchEngine {
    /** The beam of an unfiltered walk when the request gives none: max(k, this). */
    static final int DEFAULT_EF = 64;

    private final VectorStore store;
    private volatile HnswGraph graph;

    /** The engine of {@code graph}, which links rows of {@code store}. */
    public HnswEngine(VectorStore store, HnswGraph graph) {
        this.store = store;
        this.graph = graph;
    }

    /** The graph saved in {@code file} (checked by the native loader), over {@code store}. */
    public static HnswEngine load(VectorStore store, Path file, NativeMetric metric) {
        return new HnswEngine(store, HnswGraph.load(file, store.dimension(), metric));
    }

    @Override
    public String label() {
        return "hnsw";
    }

    @Override
    public boolean walks() {
        return true;
    }

    @Override
    public boolean excludesDeleted() {
        return true;
    }

    static int beam(Effort effort, int k) {
        return effort.ef() > 0 ? effort.ef() : Math.max(k, DEFAULT_EF);
    }

    @Override
    public Candidates search(float[] query, int k, Effort effort, AllowSet allow, Walk walk) {
        HnswGraph g = graph;
        VectorView view = VectorView.committed(store);
        int ef = beam(effort, k);
        HnswGraph.Result r = allow != null && walk == Walk.ACORN
                ? g.searchFiltered(view, query, k, ef, allow.words())
                : g.search(view, query, k, ef, allow == null ? null : allow.words());
        return new Candidates(r.rows(), r.scores(), r.distanceComputations(), label());
    }

    /** A walk scoring code rows against a query prepared for them (code scores: re-rank for exact ones). */
    Candidates searchCodes(CodeView codes, float[] prepared, int k, int ef) {
        HnswGraph.Result r = graph.searchCodes(codes, prepared, k, ef, null);
        return new Candidates(r.rows(), r.scores(), r.distanceComputations(), "hnsw-codes");
    }

    /** Rows linked into the graph. */
    long linkedRows() {
        return graph.size();
    }

    @Override
    public void link(VectorStore s, int threads) {
        graph.addRange(VectorView.committed(store), threads);
    }

    @Override
    public void markDeleted(long row) {
        graph.markDeleted(row);
    }

    @Override
    public long structureBytes() {
        return graph.memoryBytes();
    }

    @Override
    public Compaction compaction(VectorStore s, int threads, RowBitset deleted) {
        HnswGraph fresh = graph.compacted(VectorView.committed(store), threads);
        return new Compaction() {
            @Override
            public void apply() {
                fresh.addRange(VectorView.committed(store), threads);
                deleted.forEachSet(row -> {
                    if (row < fresh.size()) fresh.markDeleted(row);
                });
                HnswGraph old = graph;
                graph = fresh;
                old.close();
            }

            @Override
            public void discard() {
                fresh.close();
            }
        };
    }

    @Override
    public void commit(Commit commit) throws java.io.IOException {
        HnswGraph g = graph;
        commit.write(ManifestKey.GRAPH, "graph", "hnsw", g::save);
    }

    @Override
    public void close() {
        graph.close();
    }
}
