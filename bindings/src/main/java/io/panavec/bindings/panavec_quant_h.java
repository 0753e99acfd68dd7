// Generated in the style of jextract 22+ (--header-class-name panavec_quant_h) from
// native/include/panavec_quant.h; symbols resolve through NativeLibrary. Keep in sync with the header.

package io.panavec.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Low-level bindings for {@code panavec_quant.h}: scoring a prepared float query against quantized
 * code rows, and HNSW traversal over codes. Every method is a direct downcall that trusts its
 * arguments; validate them first. The scoring kernels are critical downcalls
 * ({@code Linker.Option.critical(true)}): they accept heap segments ({@code MemorySegment.ofArray}).
 * Thread safety: stateless; the kernels may run from any number of threads.
 */
@SuppressWarnings("unused")
public class panavec_quant_h {

    panavec_quant_h() {
        // Should not be called directly
    }

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));

    /** {@snippet lang=c : #define PV_QUANT_HEADER_BYTES 16 } */
    public static int PV_QUANT_HEADER_BYTES() {
        return 16;
    }

    /** {@snippet lang=c : #define PV_QUANT_QUERY_EXTRA 4 } */
    public static int PV_QUANT_QUERY_EXTRA() {
        return 4;
    }

    private static class pv_quant_padded_dim {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_LONG_LONG
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_quant_padded_dim", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_quant_padded_dim(int64_t dim)
     * }
     */
    public static FunctionDescriptor pv_quant_padded_dim$descriptor() {
        return pv_quant_padded_dim.DESC;
    }

    /** Downcall method handle for {@code pv_quant_padded_dim}. */
    public static MethodHandle pv_quant_padded_dim$handle() {
        return pv_quant_padded_dim.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_quant_padded_dim(int64_t dim)
     * }
     */
    public static long pv_quant_padded_dim(long dim) {
        var mh$ = pv_quant_padded_dim.HANDLE;
        try {
            return (long) mh$.invokeExact(dim);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_quant_row_bytes {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_INT
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_quant_row_bytes", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_quant_row_bytes(int32_t bits, int64_t dim, int32_t with_header)
     * }
     */
    public static FunctionDescriptor pv_quant_row_bytes$descriptor() {
        return pv_quant_row_bytes.DESC;
    }

    /** Downcall method handle for {@code pv_quant_row_bytes}. */
    public static MethodHandle pv_quant_row_bytes$handle() {
        return pv_quant_row_bytes.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_quant_row_bytes(int32_t bits, int64_t dim, int32_t with_header)
     * }
     */
    public static long pv_quant_row_bytes(int bits, long dim, int with_header) {
        var mh$ = pv_quant_row_bytes.HANDLE;
        try {
            return (long) mh$.invokeExact(bits, dim, with_header);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_quant_score {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_quant_h.C_FLOAT,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_LONG_LONG
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_quant_score", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * float pv_quant_score(int32_t metric, int32_t bits, const float *qt, const void *row, int64_t dim)
     * }
     */
    public static FunctionDescriptor pv_quant_score$descriptor() {
        return pv_quant_score.DESC;
    }

    /** Downcall method handle for {@code pv_quant_score}. */
    public static MethodHandle pv_quant_score$handle() {
        return pv_quant_score.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * float pv_quant_score(int32_t metric, int32_t bits, const float *qt, const void *row, int64_t dim)
     * }
     */
    public static float pv_quant_score(int metric, int bits, MemorySegment qt, MemorySegment row, long dim) {
        var mh$ = pv_quant_score.HANDLE;
        try {
            return (float) mh$.invokeExact(metric, bits, qt, row, dim);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_quant_score2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_quant_h.C_FLOAT,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_LONG_LONG
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_quant_score2", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * float pv_quant_score2(int32_t metric, int32_t bits, int32_t bits2, const float *qt, const void *row, const void *residual, int64_t dim)
     * }
     */
    public static FunctionDescriptor pv_quant_score2$descriptor() {
        return pv_quant_score2.DESC;
    }

    /** Downcall method handle for {@code pv_quant_score2}. */
    public static MethodHandle pv_quant_score2$handle() {
        return pv_quant_score2.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * float pv_quant_score2(int32_t metric, int32_t bits, int32_t bits2, const float *qt, const void *row, const void *residual, int64_t dim)
     * }
     */
    public static float pv_quant_score2(int metric, int bits, int bits2, MemorySegment qt, MemorySegment row, MemorySegment residual, long dim) {
        var mh$ = pv_quant_score2.HANDLE;
        try {
            return (float) mh$.invokeExact(metric, bits, bits2, qt, row, residual, dim);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_quant_scores {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            panavec_quant_h.C_INT,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_POINTER
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_quant_scores", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * void pv_quant_scores(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim, float *out)
     * }
     */
    public static FunctionDescriptor pv_quant_scores$descriptor() {
        return pv_quant_scores.DESC;
    }

    /** Downcall method handle for {@code pv_quant_scores}. */
    public static MethodHandle pv_quant_scores$handle() {
        return pv_quant_scores.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * void pv_quant_scores(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim, float *out)
     * }
     */
    public static void pv_quant_scores(int metric, int bits, MemorySegment qt, MemorySegment rows, long n, long dim, MemorySegment out) {
        var mh$ = pv_quant_scores.HANDLE;
        try {
            mh$.invokeExact(metric, bits, qt, rows, n, dim, out);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_quant_topk {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_LONG_LONG,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_LONG_LONG
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_quant_topk", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_quant_topk(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim, int64_t base_row, const uint64_t *allow, int64_t k, float *heap_scores, int64_t *heap_rows, int64_t heap_size)
     * }
     */
    public static FunctionDescriptor pv_quant_topk$descriptor() {
        return pv_quant_topk.DESC;
    }

    /** Downcall method handle for {@code pv_quant_topk}. */
    public static MethodHandle pv_quant_topk$handle() {
        return pv_quant_topk.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_quant_topk(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim, int64_t base_row, const uint64_t *allow, int64_t k, float *heap_scores, int64_t *heap_rows, int64_t heap_size)
     * }
     */
    public static long pv_quant_topk(int metric, int bits, MemorySegment qt, MemorySegment rows, long n, long dim, long base_row, MemorySegment allow, long k, MemorySegment heap_scores, MemorySegment heap_rows, long heap_size) {
        var mh$ = pv_quant_topk.HANDLE;
        try {
            return (long) mh$.invokeExact(metric, bits, qt, rows, n, dim, base_row, allow, k, heap_scores, heap_rows, heap_size);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_search_codes {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_quant_h.C_INT,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_INT,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_POINTER,
            panavec_quant_h.C_LONG_LONG
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_search_codes", DESC);
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_search_codes(const pv_hnsw *index, const pv_codes *codes, const float *qt, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static FunctionDescriptor pv_hnsw_search_codes$descriptor() {
        return pv_hnsw_search_codes.DESC;
    }

    /** Downcall method handle for {@code pv_hnsw_search_codes}. */
    public static MethodHandle pv_hnsw_search_codes$handle() {
        return pv_hnsw_search_codes.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_search_codes(const pv_hnsw *index, const pv_codes *codes, const float *qt, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static int pv_hnsw_search_codes(MemorySegment index, MemorySegment codes, MemorySegment qt, int k, int ef_search, MemorySegment allow, MemorySegment out_rows, MemorySegment out_scores, MemorySegment out_n_found, MemorySegment out_n_distance_computations, MemorySegment err, long errcap) {
        var mh$ = pv_hnsw_search_codes.HANDLE;
        try {
            return (int) mh$.invokeExact(index, codes, qt, k, ef_search, allow, out_rows, out_scores, out_n_found, out_n_distance_computations, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
