package io.panavec.engine;

import io.panavec.quant.LeanVecQuantizer;
import io.panavec.quant.Quantizer;
import io.panavec.quant.Rescoring;

import java.lang.foreign.MemorySegment;
import java.util.function.LongFunction;

/**
 * The second step of search-compressed-then-re-rank: re-scores candidate rows more exactly and keeps the
 * best k. {@link Exact}: the float32 rows (of the memory-mapped store); {@link Residual}: the residual level
 * of two-level codes, in RAM; {@link Secondary}: LeanVec's full-dimension secondary codes, in RAM; {@link MaxSim}: exact Chamfer of a multi-vector query against documents' token
 * sets. Stateless.
 */
public sealed interface Reranker permits Reranker.Exact, Reranker.Residual, Reranker.Secondary, Reranker.MaxSim {
    /** The label suffix results carry. */
    String label();

    /** Scores of {@code rows} for {@code query} (the original) or {@code prepared} (the codes' form of it). */
    float[] scores(float[] query, float[] prepared, long[] rows);

    /** Re-scores {@code c} and keeps the best {@code k}, best first (ties: lower row); the re-scored rows count as work. */
    default Candidates rerank(float[] query, float[] prepared, Candidates c, int k, boolean higherIsBetter) {
        float[] exact = scores(query, prepared, c.rows());
        int[] best = Candidates.best(c.rows(), exact, k, higherIsBetter);
        long[] rows = new long[best.length];
        float[] scores = new float[best.length];
        for (int i = 0; i < best.length; i++) {
            rows[i] = c.rows()[best[i]];
            scores[i] = exact[best[i]];
        }
        return new Candidates(rows, scores, c.scored() + c.size(), c.label() + "+" + label());
    }

    /** Exact scores of float32 rows {@code row.apply(r)} ({@code dimension} floats each). */
    record Exact(int nativeMetric, int dimension, LongFunction<MemorySegment> row) implements Reranker {
        @Override
        public String label() {
            return "rerank-float32";
        }

        @Override
        public float[] scores(float[] query, float[] prepared, long[] rows) {
            return Rescoring.fullPrecision(nativeMetric, query, dimension, row, rows);
        }
    }

    /** Two-level scores from primary and residual code rows (contiguous, as in {@code QuantizedVectors}). */
    record Residual(Quantizer quantizer, int nativeMetric, MemorySegment primary, MemorySegment residual) implements Reranker {
        @Override
        public String label() {
            return "rerank-residual";
        }

        @Override
        public float[] scores(float[] query, float[] prepared, long[] rows) {
            return Rescoring.withResidual(quantizer, nativeMetric, prepared, primary, residual, rows);
        }
    }

    /** LeanVec's secondary scores: the full-dimension LVQ rows (contiguous, as in {@code QuantizedVectors}), one native call. */
    record Secondary(LeanVecQuantizer quantizer, int nativeMetric, MemorySegment rows) implements Reranker {
        @Override
        public String label() {
            return "rerank-secondary";
        }

        @Override
        public float[] scores(float[] query, float[] prepared, long[] ids) {
            return Rescoring.secondary(quantizer, nativeMetric, query, rows, ids);
        }
    }

    /**
     * The re-ranker of codes from quantizer {@code q}: LeanVec's secondary codes or the residual level of two-level
     * LVQ when the codes have a second level ({@code second}: its rows), else {@code fullPrecision}.
     */
    static Reranker forCodes(Quantizer q, int nativeMetric, MemorySegment primary, MemorySegment second, Reranker fullPrecision) {
        if (q instanceof LeanVecQuantizer lv && lv.secondary() != null) {
            return new Secondary(lv, nativeMetric, second);
        }
        if (q.residualBytes() > 0) {
            return new Residual(q, nativeMetric, primary, second);
        }
        return fullPrecision;
    }

    /**
     * Exact Chamfer (MaxSim) scores: {@code query} holds a query's token vectors packed row-major, {@code rows} are
     * document rows whose token sets {@code chamfer} reads (io.panavec.multivector's memory-mapped token store).
     */
    record MaxSim(ChamferScores chamfer) implements Reranker {
        /** Chamfer similarity of packed query tokens against each document row. */
        @FunctionalInterface
        public interface ChamferScores {
            float[] of(float[] queryTokens, long[] documentRows);
        }

        @Override
        public String label() {
            return "maxsim";
        }

        @Override
        public float[] scores(float[] query, float[] prepared, long[] rows) {
            return chamfer.of(query, rows);
        }
    }
}
