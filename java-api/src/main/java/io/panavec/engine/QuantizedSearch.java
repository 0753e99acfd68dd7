package io.panavec.engine;

import io.panavec.internal.NativeMetric;
import io.panavec.graph.HnswGraph;
import io.panavec.internal.Checks;
import io.panavec.quant.QuantizedVectors;
import io.panavec.quant.Quantizer;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Search compressed, re-rank exact, over codes and vectors the caller holds (no index directory): the
 * kernel-level entry for benchmarks and tests. Candidates come from the primary codes (a walk of a graph
 * over codes, or a fused flat scan), then the best {@code rerankDepth} of them are re-scored by the same
 * {@link Reranker} a {@link QuantizedEngine} uses: the residual level (two-level LVQ) or full-precision
 * float32 rows (a segment, typically memory-mapped, read only for those candidates).
 *
 * <p>Thread safety: immutable; searches may run concurrently as long as the graph, codes and
 * vectors stay open.
 */
public final class QuantizedSearch {
    /** Where exact(er) re-rank scores come from: RESIDUAL is the codes' second level (LVQ residual or LeanVec secondary). */
    public enum Rerank { NONE, RESIDUAL, FULL_PRECISION }

    private final QuantizedVectors codes;
    private final QuantizedCodes.Snapshot snapshot;
    private final NativeMetric metric;
    private final MemorySegment fullPrecision; // count * dim float32 rows, or null
    private final int nativeMetric;

    /**
     * @param fullPrecision the float32 vectors (row r at r * dimension * 4), or null if re-ranking uses
     *                      only the residual level
     */
    public QuantizedSearch(QuantizedVectors codes, NativeMetric metric, MemorySegment fullPrecision) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.metric = Objects.requireNonNull(metric, "metric");
        if (metric == NativeMetric.COSINE) {
            throw new IllegalArgumentException("for cosine, normalize the vectors and use INNER_PRODUCT");
        }
        this.nativeMetric = metric.unitVectorCode();
        long need = codes.count() * codes.quantizer().dimension() * 4L;
        if (fullPrecision != null && fullPrecision.byteSize() < need) {
            throw new IllegalArgumentException("full-precision segment holds " + fullPrecision.byteSize() + " bytes, "
                    + need + " needed");
        }
        this.fullPrecision = fullPrecision;
        this.snapshot = new QuantizedCodes.Snapshot(codes.quantizer(), codes.rows(), codes.residual(), codes.count(), codes.count());
    }

    /** The re-rank a search gets by default: residual if the codes have one, else full precision if given. */
    public Rerank defaultRerank() {
        if (codes.quantizer().residualBytes() > 0) {
            return Rerank.RESIDUAL;
        }
        return fullPrecision != null ? Rerank.FULL_PRECISION : Rerank.NONE;
    }

    /** Hits best first. */
    public record Hits(long[] rows, float[] scores, long codesScored) {}

    /**
     * Graph search over codes: an ef beam; the best rerankDepth code-scored rows of the whole walk (rerankDepth > ef:
     * also rows the beam dropped) re-ranked, k returned.
     */
    public Hits searchGraph(HnswGraph graph, float[] query, int k, int ef, int rerankDepth, Rerank rerank) {
        Checks.requireVector(query, codes.quantizer().dimension(), "query");
        Reranker reranker = reranker(k, rerankDepth, rerank);
        float[] qt = codes.quantizer().prepareQuery(query);
        HnswGraph.Result r = graph.searchCodes(codes.view(), qt, rerankDepth, ef, null);
        return finish(query, qt, new Candidates(r.rows(), r.scores(), r.distanceComputations(), "hnsw-codes"), k, reranker);
    }

    /** Exhaustive fused scan of the codes keeping rerankDepth candidates, re-ranked, k returned. */
    public Hits searchFlat(float[] query, int k, int rerankDepth, Rerank rerank) {
        Checks.requireVector(query, codes.quantizer().dimension(), "query");
        Reranker reranker = reranker(k, rerankDepth, rerank);
        float[] qt = codes.quantizer().prepareQuery(query);
        return finish(query, qt, QuantizedCodes.scan(snapshot, nativeMetric, qt, rerankDepth, null), k, reranker);
    }

    private Reranker reranker(int k, int rerankDepth, Rerank how) {
        Checks.requirePositiveK(k);
        if (rerankDepth < k) {
            throw new IllegalArgumentException("rerank depth " + rerankDepth + " must be >= k " + k);
        }
        Quantizer q = codes.quantizer();
        return switch (how) {
            case NONE -> null;
            case RESIDUAL -> {
                if (q.residualBytes() == 0) {
                    throw new IllegalArgumentException(q.spec() + " has no residual level to re-rank with");
                }
                yield Reranker.forCodes(q, nativeMetric, codes.rows(), codes.residual(), null);
            }
            case FULL_PRECISION -> {
                if (fullPrecision == null) {
                    throw new IllegalArgumentException("no full-precision vectors were given to re-rank with");
                }
                long rowBytes = q.dimension() * 4L;
                yield new Reranker.Exact(nativeMetric, q.dimension(), r -> fullPrecision.asSlice(r * rowBytes, rowBytes));
            }
        };
    }

    private Hits finish(float[] query, float[] qt, Candidates first, int k, Reranker reranker) {
        Candidates c = reranker == null ? first.top(k) : reranker.rerank(query, qt, first, k, metric.higherIsBetter());
        return new Hits(c.rows(), c.scores(), first.scored());
    }
}
