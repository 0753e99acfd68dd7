package io.panavec.quant;

import io.panavec.bindings.panavec_h;
import io.panavec.bindings.panavec_quant_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongFunction;

/**
 * Re-scores a candidate list in one native call: with the residual level of two-level codes or LeanVec's
 * secondary codes ({@code pv_quant_scores_rows}), or with full-precision float32 rows gathered into one buffer and
 * scored by {@code pv_f32_scores}. Callers validate the rows.
 * Stateless and thread-safe.
 */
public final class Rescoring {
    private Rescoring() {}

    /**
     * Two-level scores of {@code ids} (each below the rows' count): primary rows and residual rows
     * contiguous, as in {@link QuantizedVectors}.
     */
    public static float[] withResidual(Quantizer q, int nativeMetric, float[] preparedQuery, MemorySegment rows,
                                       MemorySegment residual, long[] ids) {
        if (q.residualBytes() == 0) {
            throw new IllegalArgumentException(q.spec() + " has no residual level to re-rank with");
        }
        float[] out = new float[ids.length];
        panavec_quant_h.pv_quant_scores_rows(nativeMetric, q.spec().bits(), q.spec().residualBits(),
                MemorySegment.ofArray(preparedQuery), rows, residual, MemorySegment.ofArray(ids), ids.length,
                q.codeDimension(), MemorySegment.ofArray(out));
        return out;
    }

    /** Scores of {@code ids} from LeanVec's secondary rows (full-dimension LVQ rows with header, contiguous). */
    public static float[] secondary(LeanVecQuantizer q, int nativeMetric, float[] query, MemorySegment rows, long[] ids) {
        LvqQuantizer s = q.secondary();
        float[] qt = q.prepareSecondaryQuery(query);
        float[] out = new float[ids.length];
        panavec_quant_h.pv_quant_scores_rows(nativeMetric, s.spec().bits(), 0, MemorySegment.ofArray(qt), rows, MemorySegment.NULL,
                MemorySegment.ofArray(ids), ids.length, s.codeDimension(), MemorySegment.ofArray(out));
        return out;
    }

    /** Exact scores of float32 rows {@code row.apply(id)} (dimension floats each) against {@code query}. */
    public static float[] fullPrecision(int nativeMetric, float[] query, int dimension, LongFunction<MemorySegment> row,
                                        long[] ids) {
        float[] out = new float[ids.length];
        if (ids.length == 0) {
            return out;
        }
        long rowBytes = dimension * 4L;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment gathered = arena.allocate(rowBytes * ids.length, 64);
            for (int i = 0; i < ids.length; i++) {
                MemorySegment.copy(row.apply(ids[i]), 0, gathered, i * rowBytes, rowBytes);
            }
            MemorySegment o = arena.allocate(ValueLayout.JAVA_FLOAT, ids.length);
            panavec_h.pv_f32_scores(nativeMetric, MemorySegment.ofArray(query), gathered, ids.length, dimension, o);
            MemorySegment.copy(o, ValueLayout.JAVA_FLOAT, 0, out, 0, ids.length);
        }
        return out;
    }
}
