// Generated in the style of jextract 22+ (--header-class-name panavec_batch_h) from
// native/include/panavec_batch.h; symbols resolve through NativeLibrary. Keep in sync with the header.

package io.panavec.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Low-level bindings for {@code panavec_batch.h}: the blocked multi-query top-k scan. The downcall is not
 * critical (one call scores a block of queries against a block of rows, long enough that it must not hold
 * off the garbage collector): pass native segments. It trusts its arguments beyond what it checks itself;
 * validate them first. Thread safety: stateless.
 */
@SuppressWarnings("unused")
public class panavec_batch_h {

    panavec_batch_h() {
        // Should not be called directly
    }

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));

    private static class pv_topk_batch {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_batch_h.C_INT,
            panavec_batch_h.C_INT,
            panavec_batch_h.C_INT,
            panavec_batch_h.C_POINTER,
            panavec_batch_h.C_LONG_LONG,
            panavec_batch_h.C_POINTER,
            panavec_batch_h.C_LONG_LONG,
            panavec_batch_h.C_LONG_LONG,
            panavec_batch_h.C_LONG_LONG,
            panavec_batch_h.C_POINTER,
            panavec_batch_h.C_LONG_LONG,
            panavec_batch_h.C_POINTER,
            panavec_batch_h.C_POINTER,
            panavec_batch_h.C_POINTER
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_topk_batch", DESC);
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_topk_batch(int32_t metric, int32_t elem, const float *queries, int64_t nq, const void *x, int64_t n, int64_t dim, int64_t base_row, const uint64_t *allow, int64_t k, float *heap_scores, int64_t *heap_rows, int64_t *heap_sizes)
     * }
     */
    public static FunctionDescriptor pv_topk_batch$descriptor() {
        return pv_topk_batch.DESC;
    }

    /** Downcall method handle for {@code pv_topk_batch}. */
    public static MethodHandle pv_topk_batch$handle() {
        return pv_topk_batch.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_topk_batch(int32_t metric, int32_t elem, const float *queries, int64_t nq, const void *x, int64_t n, int64_t dim, int64_t base_row, const uint64_t *allow, int64_t k, float *heap_scores, int64_t *heap_rows, int64_t *heap_sizes)
     * }
     */
    public static int pv_topk_batch(int metric, int elem, MemorySegment queries, long nq, MemorySegment x, long n, long dim,
                                    long base_row, MemorySegment allow, long k, MemorySegment heap_scores,
                                    MemorySegment heap_rows, MemorySegment heap_sizes) {
        var mh$ = pv_topk_batch.HANDLE;
        try {
            return (int) mh$.invokeExact(metric, elem, queries, nq, x, n, dim, base_row, allow, k, heap_scores, heap_rows,
                    heap_sizes);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
