package io.panavec.quant;

import io.panavec.bindings.panavec_h;
import io.panavec.bindings.panavec_quant_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongFunction;

/**
 * Re-scores a candidate list in one native call: with the residual level of two-level codes or LeanVec's
 * secondary codes ({@code pv_quant_scores_rows}), or with full-precision float32 rows scored in place by
 * {@code pv_f32_scores_at}. Callers validate the rows.
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

    /**
     * Exact scores of float32 rows {@code row.apply(id)} (dimension floats each) against {@code query}. Rows in
     * native memory (the mapped store) are scored where they lie ({@code pv_f32_scores_at}); the caller keeps them
     * mapped for the call (searches hold the index's read lifecycle). Rows on the heap are gathered first.
     */
    public static float[] fullPrecision(int nativeMetric, float[] query, int dimension, LongFunction<MemorySegment> row,
                                        long[] ids) {
        float[] out = new float[ids.length];
        if (ids.length == 0) {
            return out;
        }
        long rowBytes = dimension * 4L;
        if (query.length < dimension) {
            throw new IllegalArgumentException("query has " + query.length + " floats, rows have " + dimension);
        }
        long[] addresses = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            MemorySegment r = row.apply(ids[i]);
            if (!r.isNative() || r.byteSize() < rowBytes) {
                return gathered(nativeMetric, query, dimension, row, ids);
            }
            addresses[i] = r.address();
        }
        panavec_h.pv_f32_scores_at(nativeMetric, MemorySegment.ofArray(query), MemorySegment.ofArray(addresses), ids.length,
                dimension, MemorySegment.ofArray(out));
        return out;
    }

    /** As {@link #fullPrecision}, copying every row into one native buffer first (rows that are not all native). */
    private static float[] gathered(int nativeMetric, float[] query, int dimension, LongFunction<MemorySegment> row, long[] ids) {
        float[] out = new float[ids.length];
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
