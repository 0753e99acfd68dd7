package io.panavec.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Element types as the tests see them: vectors are kept as their exact float values (halves
 * decoded by {@link Float#float16ToFloat}, bytes widened) for the double-precision reference, and
 * encoded into segments for the kernels.
 */
enum Elem {
    F32(4), F16(2), I8(1);

    final int bytes;

    Elem(int bytes) {
        this.bytes = bytes;
    }

    /** Writes rows of values into a fresh native segment starting offsetBytes past a 64-byte boundary. */
    MemorySegment encode(Arena arena, float[][] rows, int dim, long offsetBytes) {
        MemorySegment base = arena.allocate(offsetBytes + (long) rows.length * dim * bytes + 64, 64);
        MemorySegment seg = base.asSlice(offsetBytes, (long) rows.length * dim * bytes);
        for (int r = 0; r < rows.length; r++) {
            for (int i = 0; i < dim; i++) {
                long at = ((long) r * dim + i) * bytes;
                switch (this) {
                    case F32 -> seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, rows[r][i]);
                    case F16 -> seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, Float.floatToFloat16(rows[r][i]));
                    case I8 -> seg.set(ValueLayout.JAVA_BYTE, at, (byte) rows[r][i]);
                }
            }
        }
        return seg;
    }

    /** The query: f32 for F32 and F16 vectors, i8 for I8. */
    MemorySegment encodeQuery(Arena arena, float[] q, long offsetBytes) {
        return (this == I8 ? I8 : F32).encode(arena, new float[][] {q}, q.length, offsetBytes);
    }

    /** The query as a heap segment (the critical downcalls accept heap memory). */
    MemorySegment heapQuery(float[] q) {
        if (this != I8) {
            return MemorySegment.ofArray(q.clone());
        }
        byte[] b = new byte[q.length];
        for (int i = 0; i < q.length; i++) b[i] = (byte) q[i];
        return MemorySegment.ofArray(b);
    }

    /** A vector as a heap segment of this element type. */
    MemorySegment heapVector(float[] x) {
        return switch (this) {
            case F32 -> MemorySegment.ofArray(x.clone());
            case F16 -> {
                short[] h = new short[x.length];
                for (int i = 0; i < x.length; i++) h[i] = Float.floatToFloat16(x[i]);
                yield MemorySegment.ofArray(h);
            }
            case I8 -> heapQuery(x);
        };
    }

    float score(int metric, MemorySegment q, MemorySegment x, int dim) {
        return switch (this) {
            case F32 -> panavec_h.pv_f32_score(metric, q, x, dim);
            case F16 -> panavec_h.pv_f16_score(metric, q, x, dim);
            case I8 -> panavec_h.pv_i8_score(metric, q, x, dim);
        };
    }

    void scores(int metric, MemorySegment q, MemorySegment x, int n, int dim, MemorySegment out) {
        switch (this) {
            case F32 -> panavec_h.pv_f32_scores(metric, q, x, n, dim, out);
            case F16 -> panavec_h.pv_f16_scores(metric, q, x, n, dim, out);
            case I8 -> panavec_h.pv_i8_scores(metric, q, x, n, dim, out);
        }
    }

    long topk(int metric, MemorySegment q, MemorySegment x, long n, int dim, long baseRow, MemorySegment allow,
              long k, MemorySegment heapScores, MemorySegment heapRows, long heapSize) {
        return switch (this) {
            case F32 -> panavec_h.pv_f32_topk(metric, q, x, n, dim, baseRow, allow, k, heapScores, heapRows, heapSize);
            case F16 -> panavec_h.pv_f16_topk(metric, q, x, n, dim, baseRow, allow, k, heapScores, heapRows, heapSize);
            case I8 -> panavec_h.pv_i8_topk(metric, q, x, n, dim, baseRow, allow, k, heapScores, heapRows, heapSize);
        };
    }
}
