// Written by hand (panavec.def lists functions and constants, not structs); keep in step with pv_vectors in native/include/panavec_graph.h.

package io.panavec.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;
import java.util.function.Consumer;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * typedef struct {
 *     const void *const *chunks;
 *     int64_t rows_per_chunk_log2;
 *     int64_t count;
 *     int32_t dim;
 *     int32_t elem_type;
 * } pv_vectors
 * }
 * A read-only view of a vector store handed to the graph index. Thread safety: a pv_vectors
 * segment is plain memory; do not change it while a native call reads it.
 */
public class pv_vectors {

    pv_vectors() {
        // Should not be called directly
    }

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        panavec_graph_h.C_POINTER.withName("chunks"),
        panavec_graph_h.C_LONG.withName("rows_per_chunk_log2"),
        panavec_graph_h.C_LONG.withName("count"),
        panavec_graph_h.C_INT.withName("dim"),
        panavec_graph_h.C_INT.withName("elem_type")
    ).withName("pv_vectors");

    /** The layout of this struct. */
    public static final GroupLayout layout() {
        return $LAYOUT;
    }

    private static final AddressLayout chunks$LAYOUT = (AddressLayout)$LAYOUT.select(groupElement("chunks"));

    /** Layout for field: {@code const void *const *chunks} */
    public static final AddressLayout chunks$layout() {
        return chunks$LAYOUT;
    }

    private static final long chunks$OFFSET = $LAYOUT.byteOffset(groupElement("chunks"));

    /** Offset for field: {@code const void *const *chunks} */
    public static final long chunks$offset() {
        return chunks$OFFSET;
    }

    /** Getter for field: {@code const void *const *chunks} */
    public static MemorySegment chunks(MemorySegment struct) {
        return struct.get(chunks$LAYOUT, chunks$OFFSET);
    }

    /** Setter for field: {@code const void *const *chunks} */
    public static void chunks(MemorySegment struct, MemorySegment fieldValue) {
        struct.set(chunks$LAYOUT, chunks$OFFSET, fieldValue);
    }

    private static final OfLong rows_per_chunk_log2$LAYOUT = (OfLong)$LAYOUT.select(groupElement("rows_per_chunk_log2"));

    /** Layout for field: {@code int64_t rows_per_chunk_log2} */
    public static final OfLong rows_per_chunk_log2$layout() {
        return rows_per_chunk_log2$LAYOUT;
    }

    private static final long rows_per_chunk_log2$OFFSET = $LAYOUT.byteOffset(groupElement("rows_per_chunk_log2"));

    /** Offset for field: {@code int64_t rows_per_chunk_log2} */
    public static final long rows_per_chunk_log2$offset() {
        return rows_per_chunk_log2$OFFSET;
    }

    /** Getter for field: {@code int64_t rows_per_chunk_log2} */
    public static long rows_per_chunk_log2(MemorySegment struct) {
        return struct.get(rows_per_chunk_log2$LAYOUT, rows_per_chunk_log2$OFFSET);
    }

    /** Setter for field: {@code int64_t rows_per_chunk_log2} */
    public static void rows_per_chunk_log2(MemorySegment struct, long fieldValue) {
        struct.set(rows_per_chunk_log2$LAYOUT, rows_per_chunk_log2$OFFSET, fieldValue);
    }

    private static final OfLong count$LAYOUT = (OfLong)$LAYOUT.select(groupElement("count"));

    /** Layout for field: {@code int64_t count} */
    public static final OfLong count$layout() {
        return count$LAYOUT;
    }

    private static final long count$OFFSET = $LAYOUT.byteOffset(groupElement("count"));

    /** Offset for field: {@code int64_t count} */
    public static final long count$offset() {
        return count$OFFSET;
    }

    /** Getter for field: {@code int64_t count} */
    public static long count(MemorySegment struct) {
        return struct.get(count$LAYOUT, count$OFFSET);
    }

    /** Setter for field: {@code int64_t count} */
    public static void count(MemorySegment struct, long fieldValue) {
        struct.set(count$LAYOUT, count$OFFSET, fieldValue);
    }

    private static final OfInt dim$LAYOUT = (OfInt)$LAYOUT.select(groupElement("dim"));

    /** Layout for field: {@code int32_t dim} */
    public static final OfInt dim$layout() {
        return dim$LAYOUT;
    }

    private static final long dim$OFFSET = $LAYOUT.byteOffset(groupElement("dim"));

    /** Offset for field: {@code int32_t dim} */
    public static final long dim$offset() {
        return dim$OFFSET;
    }

    /** Getter for field: {@code int32_t dim} */
    public static int dim(MemorySegment struct) {
        return struct.get(dim$LAYOUT, dim$OFFSET);
    }

    /** Setter for field: {@code int32_t dim} */
    public static void dim(MemorySegment struct, int fieldValue) {
        struct.set(dim$LAYOUT, dim$OFFSET, fieldValue);
    }

    private static final OfInt elem_type$LAYOUT = (OfInt)$LAYOUT.select(groupElement("elem_type"));

    /** Layout for field: {@code int32_t elem_type} */
    public static final OfInt elem_type$layout() {
        return elem_type$LAYOUT;
    }

    private static final long elem_type$OFFSET = $LAYOUT.byteOffset(groupElement("elem_type"));

    /** Offset for field: {@code int32_t elem_type} */
    public static final long elem_type$offset() {
        return elem_type$OFFSET;
    }

    /** Getter for field: {@code int32_t elem_type} */
    public static int elem_type(MemorySegment struct) {
        return struct.get(elem_type$LAYOUT, elem_type$OFFSET);
    }

    /** Setter for field: {@code int32_t elem_type} */
    public static void elem_type(MemorySegment struct, int fieldValue) {
        struct.set(elem_type$LAYOUT, elem_type$OFFSET, fieldValue);
    }

    /** Obtains a slice of {@code arrayParam} which selects the array element at {@code index}. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(layout().byteSize() * index);
    }

    /** The size (in bytes) of this struct. */
    public static long sizeof() { return layout().byteSize(); }

    /** Allocate a segment of size {@code layout().byteSize()} using {@code allocator}. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(layout());
    }

    /** Allocate an array of size {@code elementCount} using {@code allocator}. */
    public static MemorySegment allocateArray(long elementCount, SegmentAllocator allocator) {
        return allocator.allocate(MemoryLayout.sequenceLayout(elementCount, layout()));
    }

    /** Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any). */
    public static MemorySegment reinterpret(MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
        return reinterpret(addr, 1, arena, cleanup);
    }

    /** Reinterprets {@code addr} using target {@code arena} and {@code cleanupAction} (if any). */
    public static MemorySegment reinterpret(MemorySegment addr, long elementCount, Arena arena, Consumer<MemorySegment> cleanup) {
        return addr.reinterpret(layout().byteSize() * elementCount, arena, cleanup);
    }
}
