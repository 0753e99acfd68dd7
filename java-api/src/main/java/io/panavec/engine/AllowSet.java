package io.panavec.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The rows a query may return, as native memory in the layout every native search takes (bit r of 64-bit
 * word r/64): made once per query (or shared by the queries of one cached filter) and handed to the
 * kernels, the graph and FAISS as the same segment, never copied to the heap and back. Bits at and past
 * {@link #rows()} are zero, and the segment may be longer than the rows need (slack for rows committed
 * while a query runs, which it then does not return).
 *
 * <p>Immutable while searched; thread-safe for reading.
 */
public final class AllowSet {
    private final MemorySegment words;
    private final long rows;
    private final long count;

    /**
     * @param words at least {@code (rows + 63) / 64} words, zero past row {@code rows - 1}
     * @param rows rows the set ranges over
     * @param count bits set
     */
    public AllowSet(MemorySegment words, long rows, long count) {
        this.words = Objects.requireNonNull(words, "words");
        if (rows < 0 || count < 0 || count > rows || words.byteSize() < ((rows + 63) >>> 6) * 8) {
            throw new IllegalArgumentException("allow set of " + words.byteSize() + " bytes cannot range over " + rows
                    + " rows with " + count + " set");
        }
        this.rows = rows;
        this.count = count;
    }

    /** The native words, for a downcall. */
    public MemorySegment words() {
        return words;
    }

    /** Rows the set ranges over. */
    public long rows() {
        return rows;
    }

    /** Rows allowed. */
    public long count() {
        return count;
    }

    /** Bits the words can hold (what a native search may be told it covers). */
    public long capacityBits() {
        return words.byteSize() * 8;
    }

    public boolean contains(long row) {
        return row >= 0 && row < rows && (words.getAtIndex(ValueLayout.JAVA_LONG, row >>> 6) & (1L << row)) != 0;
    }

    /** The fraction of rows allowed. */
    public double selectivity() {
        return rows == 0 ? 0 : (double) count / rows;
    }
}
