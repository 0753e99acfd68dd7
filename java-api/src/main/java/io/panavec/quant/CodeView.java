package io.panavec.quant;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Where {@code count} primary code rows live, in the form native code reads ({@code pv_codes} of
 * panavec_quant.h): one contiguous segment of rows of {@link CodePacking#rowBytes} bytes. Immutable;
 * valid while the segment is.
 */
public record CodeView(MemorySegment rows, long count, int codeDimension, int bits) {
    public CodeView {
        CodePacking.checkBits(bits);
        if (count < 0 || rows.byteSize() < count * CodePacking.rowBytes(bits, codeDimension)) {
            throw new IllegalArgumentException("code segment of " + rows.byteSize() + " bytes cannot hold " + count
                    + " rows of " + CodePacking.rowBytes(bits, codeDimension) + " bytes");
        }
    }

    /** Length of a query prepared for these codes. */
    public int preparedQueryLength() {
        return CodePacking.paddedDim(codeDimension) + CodePacking.QUERY_EXTRA;
    }

    /** Writes the pv_codes struct (and its one-entry chunk table) into arena. */
    public MemorySegment struct(Arena arena) {
        MemorySegment table = arena.allocate(ValueLayout.ADDRESS, 1);
        table.set(ValueLayout.ADDRESS, 0, rows);
        MemorySegment s = arena.allocate(32, 8);
        s.set(ValueLayout.ADDRESS, 0, table);
        s.set(ValueLayout.JAVA_LONG, 8, 40L); // one chunk: every row index >> 40 is 0
        s.set(ValueLayout.JAVA_LONG, 16, count);
        s.set(ValueLayout.JAVA_INT, 24, codeDimension);
        s.set(ValueLayout.JAVA_INT, 28, bits);
        return s;
    }
}
