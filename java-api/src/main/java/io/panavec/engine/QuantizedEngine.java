package io.panavec.engine;

import io.panavec.internal.NativeMetric;
import io.panavec.internal.Checks;
import io.panavec.internal.Closeables;
import io.panavec.internal.RowBitset;
import io.panavec.persist.Commit;
import io.panavec.persist.ManifestKey;
import io.panavec.quant.QuantSpec;
import io.panavec.quant.Quantizer;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Search compressed, re-rank exact, around a full-precision engine: candidates come from the quantized
 * codes (a walk of the wrapped {@link HnswEngine}'s graph scoring code rows, or a fused scan of the codes
 * when it wraps the {@link FlatEngine}), then a {@link Reranker} re-scores the best {@code rerank} of them
 * (the residual level of two-level LVQ, LeanVec's secondary codes, else the store's float32 rows). Filtered walks, and every search
 * before the codes are trained or while the graph is ahead of them, run on the wrapped engine.
 * Thread-safe as {@link QuantizedCodes} is (one writer beside searches).
 */
public final class QuantizedEngine implements SearchEngine {
    private final SearchEngine inner;
    private final QuantizedCodes codes;
    private final VectorStore store;
    private final NativeMetric metric;
    private final int nativeMetric;

    /** Untrained {@code spec} codes around {@code inner} (flat or HNSW): they train on the first batch added or on {@link #train}. */
    public static QuantizedEngine create(SearchEngine inner, QuantSpec spec, VectorStore store, NativeMetric metric) {
        return new QuantizedEngine(inner, new QuantizedCodes(spec, metric, store.dimension()), store, metric);
    }

    /**
     * The {@code spec} codes of {@code codesFile} (verified by the caller; null: none committed yet, rows are
     * encoded as they are linked) around {@code inner}, for a store of at least {@code rows} committed rows.
     * Closes {@code inner} if the codes cannot be read.
     */
    public static QuantizedEngine open(SearchEngine inner, Path codesFile, QuantSpec spec, VectorStore store, NativeMetric metric,
                                       long rows) throws IOException {
        try {
            QuantizedCodes codes = codesFile == null ? new QuantizedCodes(spec, metric, store.dimension())
                    : QuantizedCodes.load(codesFile, spec, metric, store.dimension(), rows);
            return new QuantizedEngine(inner, codes, store, metric);
        } catch (IOException | RuntimeException e) {
            Closeables.closeAll(e, inner);
            throw e;
        }
    }

    private QuantizedEngine(SearchEngine inner, QuantizedCodes codes, VectorStore store, NativeMetric metric) {
        if (!(inner instanceof HnswEngine) && !(inner instanceof FlatEngine)) {
            throw new IllegalArgumentException("quantized codes wrap a flat or HNSW engine");
        }
        this.inner = inner;
        this.codes = codes;
        this.store = store;
        this.metric = metric;
        this.nativeMetric = metric.unitVectorCode();
    }

    QuantSpec spec() {
        return codes.spec();
    }

    @Override
    public String label() {
        return (inner instanceof HnswEngine ? "hnsw-codes:" : "scan-codes:") + codes.spec();
    }

    @Override
    public boolean walks() {
        return inner.walks();
    }

    @Override
    public boolean excludesDeleted() {
        return inner.excludesDeleted();
    }

    @Override
    public SearchEngine filteredEngine() {
        return inner;
    }

    /** Candidates re-ranked when the request gives no depth: max(2k, {@value QuantizedCodes#DEFAULT_RERANK_DEPTH}); at least k. */
    static int rerankDepth(Effort effort, int k) {
        long depth = effort.rerank() > 0 ? Math.max(effort.rerank(), k) : Math.max(2L * k, QuantizedCodes.DEFAULT_RERANK_DEPTH);
        return (int) Math.min(depth, Integer.MAX_VALUE - 8);
    }

    @Override
    public Candidates search(float[] query, int k, Effort effort, AllowSet allow, Walk walk) {
        QuantizedCodes.Snapshot s = codes.snapshot();
        if (s == null || (inner instanceof HnswEngine h && h.linkedRows() > s.count())) {
            return inner.search(query, k, effort, allow, walk); // untrained, or the graph is ahead of the codes
        }
        int depth = Checks.clampDepth(rerankDepth(effort, k), s.count()); // no deeper than the codes: buffers are sized by it
        Quantizer quantizer = s.quantizer();
        float[] prepared = quantizer.prepareQuery(query);
        // an explicit re-rank depth takes the best code-scored rows of a walk as wide as the beam asked for (also
        // rows the beam dropped); the default depth widens the beam to it, as it always did
        int beam = HnswEngine.beam(effort, k);
        Candidates first = inner instanceof HnswEngine h
                ? h.searchCodes(s.view(), prepared, depth, effort.rerank() > 0 ? beam : Math.max(beam, depth))
                : QuantizedCodes.scan(s, nativeMetric, prepared, depth, allow);
        Reranker reranker = Reranker.forCodes(quantizer, nativeMetric, s.rows(), s.residual(),
                new Reranker.Exact(nativeMetric, store.dimension(), store::row));
        return reranker.rerank(query, prepared, first.withLabel(label()), k, metric.higherIsBetter());
    }

    @Override
    public void checkCanAdd() {
        inner.checkCanAdd();
        codes.checkCanEncode();
    }

    @Override
    public void link(VectorStore s, int threads) {
        codes.encodeUpTo(store); // before the graph links them: a walk over codes must find a code row for every node
        inner.link(s, threads);
    }

    @Override
    public void markDeleted(long row) {
        inner.markDeleted(row);
    }

    @Override
    public void train(float[][] sample) {
        codes.train(sample);
    }

    @Override
    public void trainQueries(float[][] queries) {
        codes.trainQueries(queries);
    }

    @Override
    public boolean needsTraining() {
        return true; // a trained quantizer ignores it; training also encodes rows added before
    }

    @Override
    public long structureBytes() {
        return inner.structureBytes();
    }

    @Override
    public long codeBytesPerVector() {
        return codes.bytesPerVector();
    }

    @Override
    public Compaction compaction(VectorStore s, int threads, RowBitset deleted) {
        return inner.compaction(s, threads, deleted);
    }

    @Override
    public void commit(Commit commit) throws IOException {
        inner.commit(commit);
        if (!codes.trained()) {
            return;
        }
        if (codes.committedFileIsCurrent() && commit.previous().has(ManifestKey.CODES)) {
            commit.keep(ManifestKey.CODES); // no new rows: the named file stays (codes are append-only)
            return;
        }
        long[] rows = {0};
        commit.write(ManifestKey.CODES, "codes", "pvq", file -> rows[0] = codes.save(file));
        commit.put(ManifestKey.CODES_METHOD, codes.spec().toString());
        commit.onPublish(() -> codes.committed(rows[0]));
    }

    @Override
    public void close() {
        inner.close();
    }
}
