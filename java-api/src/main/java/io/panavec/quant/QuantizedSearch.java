package io.panavec.quant;

import io.panavec.Metric;
import io.panavec.bindings.panavec_h;
import io.panavec.bindings.panavec_quant_h;
import io.panavec.graph.HnswGraph;
import io.panavec.internal.Checks;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

/**
 * Search compressed, re-rank exact: candidates come from the primary codes (HNSW traversal over
 * codes, or a fused flat scan), then the best {@code rerankDepth} of them are re-scored with the
 * residual level (two-level LVQ: both levels stay in RAM) or with the full-precision vectors (a
 * segment of float32 rows, typically a memory-mapped store chunk, read only for those candidates).
 *
 * <p>Thread safety: immutable; searches may run concurrently as long as the graph, codes and
 * vectors stay open.
 */
public final class QuantizedSearch {
    /** Where exact(er) re-rank scores come from. */
    public enum Rerank { NONE, RESIDUAL, FULL_PRECISION }

    private final QuantizedVectors codes;
    private final Metric metric;
    private final MemorySegment fullPrecision; // count * dim float32 rows, or null
    private final int nativeMetric;

    /**
     * @param fullPrecision the float32 vectors (row r at r * dimension * 4), or null if re-ranking uses
     *                      only the residual level
     */
    public QuantizedSearch(QuantizedVectors codes, Metric metric, MemorySegment fullPrecision) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.metric = Objects.requireNonNull(metric, "metric");
        if (metric == Metric.COSINE) {
            throw new IllegalArgumentException("for cosine, normalize the vectors and use INNER_PRODUCT");
        }
        this.nativeMetric = metric == Metric.L2 ? 1 : 0;
        long need = codes.count() * codes.quantizer().dimension() * 4L;
        if (fullPrecision != null && fullPrecision.byteSize() < need) {
            throw new IllegalArgumentException("full-precision segment holds " + fullPrecision.byteSize() + " bytes, "
                    + need + " needed");
        }
        this.fullPrecision = fullPrecision;
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

    /** Graph search over codes: max(ef, rerankDepth) beam, the best rerankDepth re-ranked, k returned. */
    public Hits searchGraph(HnswGraph graph, float[] query, int k, int ef, int rerankDepth, Rerank rerank) {
        Checks.requireVector(query, codes.quantizer().dimension(), "query");
        checkDepth(k, rerankDepth);
        float[] qt = codes.quantizer().prepareQuery(query, metric);
        HnswGraph.Result r = graph.searchCodes(codes.view(), qt, rerankDepth, Math.max(ef, rerankDepth), null);
        return rerank(query, qt, r.rows(), r.scores(), k, rerank, r.distanceComputations());
    }

    /** Exhaustive fused scan of the codes keeping rerankDepth candidates, re-ranked, k returned. */
    public Hits searchFlat(float[] query, int k, int rerankDepth, Rerank rerank) {
        Checks.requireVector(query, codes.quantizer().dimension(), "query");
        checkDepth(k, rerankDepth);
        float[] qt = codes.quantizer().prepareQuery(query, metric);
        CodeView v = codes.view();
        rerankDepth = Checks.clampDepth(rerankDepth, v.count()); // the buffers below are sized by it
        float[] hs = new float[rerankDepth];
        long[] hr = new long[rerankDepth];
        long n = panavec_quant_h.pv_quant_topk(nativeMetric, v.bits(), MemorySegment.ofArray(qt), v.rows(), v.count(),
                v.codeDimension(), 0, MemorySegment.NULL, rerankDepth, MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), 0);
        panavec_h.pv_topk_sort(nativeMetric, MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), n);
        return rerank(query, qt, Arrays.copyOf(hr, (int) n), Arrays.copyOf(hs, (int) n), k, rerank, v.count());
    }

    private static void checkDepth(int k, int rerankDepth) {
        Checks.requirePositiveK(k);
        if (rerankDepth < k) {
            throw new IllegalArgumentException("rerank depth " + rerankDepth + " must be >= k " + k);
        }
    }

    private Hits rerank(float[] query, float[] qt, long[] rows, float[] scores, int k, Rerank how, long scored) {
        if (how == Rerank.RESIDUAL && codes.quantizer().residualBytes() == 0) {
            throw new IllegalArgumentException(codes.quantizer().spec() + " has no residual level to re-rank with");
        }
        if (how == Rerank.FULL_PRECISION && fullPrecision == null) {
            throw new IllegalArgumentException("no full-precision vectors were given to re-rank with");
        }
        float[] s = scores.clone();
        Quantizer q = codes.quantizer();
        if (how == Rerank.RESIDUAL) {
            s = Rescoring.withResidual(q, nativeMetric, qt, codes.rows(), codes.residual(), rows);
        } else if (how == Rerank.FULL_PRECISION) {
            long rowBytes = q.dimension() * 4L;
            s = Rescoring.fullPrecision(nativeMetric, query, q.dimension(), r -> fullPrecision.asSlice(r * rowBytes, rowBytes), rows);
        }
        int[] best = Rescoring.best(rows, s, k, metric != Metric.L2);
        long[] outRows = new long[best.length];
        float[] outScores = new float[best.length];
        for (int i = 0; i < best.length; i++) {
            outRows[i] = rows[best[i]];
            outScores[i] = s[best[i]];
        }
        return new Hits(outRows, outScores, scored);
    }
}
