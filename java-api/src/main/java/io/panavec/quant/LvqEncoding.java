package io.panavec.quant;

import io.panavec.bindings.PanavecNativeException;
import io.panavec.bindings.panavec_quant_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The one LVQ encoder: {@code pv_lvq_encode} (native, blocked projections through the active level's score
 * tile), shared by {@link LvqQuantizer} and {@link LeanVecQuantizer}, plus the copy of float vectors into
 * native memory it reads. Callers validate vectors and segment sizes. Stateless and thread-safe.
 */
final class LvqEncoding {
    private static final int ERR_CAP = 512;

    private LvqEncoding() {}

    /**
     * Encodes {@code n} float32 vectors back to back in native memory {@code x}; {@code proj} (native,
     * codeDim x dim) or null; residual rows only if {@code bits2 > 0}.
     */
    static void encode(MemorySegment x, long n, int dim, MemorySegment mu, MemorySegment proj, int codeDim, int bits,
                       int bits2, boolean exactNorm, MemorySegment rows, MemorySegment residual) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(ERR_CAP);
            PanavecNativeException.check(panavec_quant_h.pv_lvq_encode(x, n, dim, mu, proj == null ? MemorySegment.NULL : proj,
                    codeDim, bits, bits2, exactNorm ? 1 : 0, rows, bits2 == 0 ? MemorySegment.NULL : residual, err, ERR_CAP), err);
        }
    }

    /** A native copy of {@code v}, living as long as {@code arena}. */
    static MemorySegment nativeCopy(Arena arena, float[] v) {
        return arena.allocateFrom(ValueLayout.JAVA_FLOAT, v);
    }

    /** The rows of {@code m} back to back in native memory of {@code arena}. */
    static MemorySegment nativeCopy(Arena arena, float[][] m) {
        int cols = m[0].length;
        MemorySegment s = arena.allocate((long) m.length * cols * Float.BYTES, 64);
        for (int r = 0; r < m.length; r++) {
            MemorySegment.copy(m[r], 0, s, ValueLayout.JAVA_FLOAT, (long) r * cols * Float.BYTES, cols);
        }
        return s;
    }

    /** One vector encoded through the batch path (a native copy of it first). */
    static void encodeOne(Quantizer q, float[] x, MemorySegment row, long off, MemorySegment residual, long residualOff) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment xs = nativeCopy(arena, x);
            MemorySegment r = arena.allocate(q.rowBytes(), 64);
            MemorySegment res = q.residualBytes() == 0 ? MemorySegment.NULL : arena.allocate(q.residualBytes(), 64);
            q.encodeRows(xs, 1, r, 0, res, 0);
            MemorySegment.copy(r, 0, row, off, q.rowBytes());
            if (q.residualBytes() > 0) {
                MemorySegment.copy(res, 0, residual, residualOff, q.residualBytes());
            }
        }
    }
}
