package io.panavec.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Heap rows ↔ packed native row-major float32 blocks, the form native calls take. */
public final class Rows {
    private Rows() {}

    /** Copies {@code rows} (each {@code dim} floats, checked) back to back into a new segment of {@code arena}. */
    public static MemorySegment pack(Arena arena, float[][] rows, int dim) {
        MemorySegment seg = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1L, (long) rows.length * dim));
        for (int i = 0; i < rows.length; i++) {
            float[] v = rows[i];
            if (v == null || v.length != dim) {
                throw new IllegalArgumentException("vector " + i + " has dimension " + (v == null ? "null" : v.length)
                        + ", expected " + dim);
            }
            MemorySegment.copy(v, 0, seg, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, dim);
        }
        return seg;
    }
}
