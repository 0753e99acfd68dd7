// Generated in the style of jextract 22+ (--header-class-name panavec_graph_h) from
// native/include/panavec_graph.h; symbols resolve through NativeLibrary. Keep in sync with the header.

package io.panavec.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.stream.Collectors;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Low-level bindings for {@code panavec_graph.h}: the HNSW graph index. Every method is a direct
 * downcall that trusts its arguments; validate them first (see the header for each contract).
 * Thread safety: the methods themselves are stateless; what may run concurrently on one index is
 * stated in the header (searches with each other and with one writer).
 */
@SuppressWarnings("unused")
public class panavec_graph_h {

    panavec_graph_h() {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.ofAuto();
    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
        String traceArgs = Arrays.stream(args)
                .map(Object::toString)
                .collect(Collectors.joining(", "));
        System.out.printf("%s(%s)\n", name, traceArgs);
    }

    static MemorySegment findOrThrow(String symbol) {
        return NativeLibrary.symbol(symbol);
    }

    static MethodHandle upcallHandle(Class<?> fi, String name, FunctionDescriptor fdesc) {
        try {
            return MethodHandles.lookup().findVirtual(fi, name, fdesc.toMethodType());
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    private static final int PV_HNSW_FORMAT_VERSION = (int)1L;

    /**
     * {@snippet lang=c :
     * #define PV_HNSW_FORMAT_VERSION 1
     * }
     */
    public static int PV_HNSW_FORMAT_VERSION() {
        return PV_HNSW_FORMAT_VERSION;
    }

    private static final int PV_HNSW_MAX_M = (int)256L;

    /**
     * {@snippet lang=c :
     * #define PV_HNSW_MAX_M 256
     * }
     */
    public static int PV_HNSW_MAX_M() {
        return PV_HNSW_MAX_M;
    }

    private static final long PV_HNSW_MAX_ROWS = (long)2147483647L;

    /**
     * {@snippet lang=c :
     * #define PV_HNSW_MAX_ROWS 2147483647LL
     * }
     */
    public static long PV_HNSW_MAX_ROWS() {
        return PV_HNSW_MAX_ROWS;
    }

    private static class pv_hnsw_create {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_LONG,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_create");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_create", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_create(int32_t dim, int32_t metric, int32_t m, int32_t ef_construction, uint64_t seed, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static FunctionDescriptor pv_hnsw_create$descriptor() {
        return pv_hnsw_create.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_create(int32_t dim, int32_t metric, int32_t m, int32_t ef_construction, uint64_t seed, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static MethodHandle pv_hnsw_create$handle() {
        return pv_hnsw_create.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_create(int32_t dim, int32_t metric, int32_t m, int32_t ef_construction, uint64_t seed, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static MemorySegment pv_hnsw_create$address() {
        return pv_hnsw_create.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_create(int32_t dim, int32_t metric, int32_t m, int32_t ef_construction, uint64_t seed, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static int pv_hnsw_create(int dim, int metric, int m, int ef_construction, long seed, MemorySegment out, MemorySegment err, long errcap) {
        var mh$ = pv_hnsw_create.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_create", dim, metric, m, ef_construction, seed, out, err, errcap);
            }
                return (int) mh$.invokeExact(dim, metric, m, ef_construction, seed, out, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_free {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            panavec_graph_h.C_POINTER
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_free");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_free", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * void pv_hnsw_free(pv_hnsw *index)
     * }
     */
    public static FunctionDescriptor pv_hnsw_free$descriptor() {
        return pv_hnsw_free.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * void pv_hnsw_free(pv_hnsw *index)
     * }
     */
    public static MethodHandle pv_hnsw_free$handle() {
        return pv_hnsw_free.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * void pv_hnsw_free(pv_hnsw *index)
     * }
     */
    public static MemorySegment pv_hnsw_free$address() {
        return pv_hnsw_free.ADDR;
    }

    /**
     * {@snippet lang=c :
     * void pv_hnsw_free(pv_hnsw *index)
     * }
     */
    public static void pv_hnsw_free(MemorySegment index) {
        var mh$ = pv_hnsw_free.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_free", index);
            }
                mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_add_range {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG,
            panavec_graph_h.C_LONG,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_add_range");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_add_range", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_add_range(pv_hnsw *index, const pv_vectors *vectors, int64_t first_row, int64_t n, int32_t n_threads, char *err, int64_t errcap)
     * }
     */
    public static FunctionDescriptor pv_hnsw_add_range$descriptor() {
        return pv_hnsw_add_range.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_add_range(pv_hnsw *index, const pv_vectors *vectors, int64_t first_row, int64_t n, int32_t n_threads, char *err, int64_t errcap)
     * }
     */
    public static MethodHandle pv_hnsw_add_range$handle() {
        return pv_hnsw_add_range.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_add_range(pv_hnsw *index, const pv_vectors *vectors, int64_t first_row, int64_t n, int32_t n_threads, char *err, int64_t errcap)
     * }
     */
    public static MemorySegment pv_hnsw_add_range$address() {
        return pv_hnsw_add_range.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_add_range(pv_hnsw *index, const pv_vectors *vectors, int64_t first_row, int64_t n, int32_t n_threads, char *err, int64_t errcap)
     * }
     */
    public static int pv_hnsw_add_range(MemorySegment index, MemorySegment vectors, long first_row, long n, int n_threads, MemorySegment err, long errcap) {
        var mh$ = pv_hnsw_add_range.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_add_range", index, vectors, first_row, n, n_threads, err, errcap);
            }
                return (int) mh$.invokeExact(index, vectors, first_row, n, n_threads, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_search {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_search");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_search", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_search(const pv_hnsw *index, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static FunctionDescriptor pv_hnsw_search$descriptor() {
        return pv_hnsw_search.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_search(const pv_hnsw *index, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static MethodHandle pv_hnsw_search$handle() {
        return pv_hnsw_search.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_search(const pv_hnsw *index, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static MemorySegment pv_hnsw_search$address() {
        return pv_hnsw_search.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_search(const pv_hnsw *index, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static int pv_hnsw_search(MemorySegment index, MemorySegment vectors, MemorySegment query, int k, int ef_search, MemorySegment allow, MemorySegment out_rows, MemorySegment out_scores, MemorySegment out_n_found, MemorySegment out_n_distance_computations, MemorySegment err, long errcap) {
        var mh$ = pv_hnsw_search.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_search", index, vectors, query, k, ef_search, allow, out_rows, out_scores, out_n_found, out_n_distance_computations, err, errcap);
            }
                return (int) mh$.invokeExact(index, vectors, query, k, ef_search, allow, out_rows, out_scores, out_n_found, out_n_distance_computations, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_search_filtered {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_search_filtered");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_search_filtered", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_search_filtered(const pv_hnsw *index, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static FunctionDescriptor pv_hnsw_search_filtered$descriptor() {
        return pv_hnsw_search_filtered.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_search_filtered(const pv_hnsw *index, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static MethodHandle pv_hnsw_search_filtered$handle() {
        return pv_hnsw_search_filtered.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_search_filtered(const pv_hnsw *index, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static MemorySegment pv_hnsw_search_filtered$address() {
        return pv_hnsw_search_filtered.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_search_filtered(const pv_hnsw *index, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap)
     * }
     */
    public static int pv_hnsw_search_filtered(MemorySegment index, MemorySegment vectors, MemorySegment query, int k, int ef_search, MemorySegment allow, MemorySegment out_rows, MemorySegment out_scores, MemorySegment out_n_found, MemorySegment out_n_distance_computations, MemorySegment err, long errcap) {
        var mh$ = pv_hnsw_search_filtered.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_search_filtered", index, vectors, query, k, ef_search, allow, out_rows, out_scores, out_n_found, out_n_distance_computations, err, errcap);
            }
                return (int) mh$.invokeExact(index, vectors, query, k, ef_search, allow, out_rows, out_scores, out_n_found, out_n_distance_computations, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_mark_deleted {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_mark_deleted");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_mark_deleted", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_mark_deleted(pv_hnsw *index, int64_t row, char *err, int64_t errcap)
     * }
     */
    public static FunctionDescriptor pv_hnsw_mark_deleted$descriptor() {
        return pv_hnsw_mark_deleted.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_mark_deleted(pv_hnsw *index, int64_t row, char *err, int64_t errcap)
     * }
     */
    public static MethodHandle pv_hnsw_mark_deleted$handle() {
        return pv_hnsw_mark_deleted.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_mark_deleted(pv_hnsw *index, int64_t row, char *err, int64_t errcap)
     * }
     */
    public static MemorySegment pv_hnsw_mark_deleted$address() {
        return pv_hnsw_mark_deleted.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_mark_deleted(pv_hnsw *index, int64_t row, char *err, int64_t errcap)
     * }
     */
    public static int pv_hnsw_mark_deleted(MemorySegment index, long row, MemorySegment err, long errcap) {
        var mh$ = pv_hnsw_mark_deleted.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_mark_deleted", index, row, err, errcap);
            }
                return (int) mh$.invokeExact(index, row, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_is_deleted {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_is_deleted");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_is_deleted", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_is_deleted(const pv_hnsw *index, int64_t row)
     * }
     */
    public static FunctionDescriptor pv_hnsw_is_deleted$descriptor() {
        return pv_hnsw_is_deleted.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_is_deleted(const pv_hnsw *index, int64_t row)
     * }
     */
    public static MethodHandle pv_hnsw_is_deleted$handle() {
        return pv_hnsw_is_deleted.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_is_deleted(const pv_hnsw *index, int64_t row)
     * }
     */
    public static MemorySegment pv_hnsw_is_deleted$address() {
        return pv_hnsw_is_deleted.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_is_deleted(const pv_hnsw *index, int64_t row)
     * }
     */
    public static int pv_hnsw_is_deleted(MemorySegment index, long row) {
        var mh$ = pv_hnsw_is_deleted.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_is_deleted", index, row);
            }
                return (int) mh$.invokeExact(index, row);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_rebuild {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_rebuild");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_rebuild", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_rebuild(const pv_hnsw *index, const pv_vectors *vectors, int32_t n_threads, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static FunctionDescriptor pv_hnsw_rebuild$descriptor() {
        return pv_hnsw_rebuild.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_rebuild(const pv_hnsw *index, const pv_vectors *vectors, int32_t n_threads, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static MethodHandle pv_hnsw_rebuild$handle() {
        return pv_hnsw_rebuild.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_rebuild(const pv_hnsw *index, const pv_vectors *vectors, int32_t n_threads, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static MemorySegment pv_hnsw_rebuild$address() {
        return pv_hnsw_rebuild.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_rebuild(const pv_hnsw *index, const pv_vectors *vectors, int32_t n_threads, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static int pv_hnsw_rebuild(MemorySegment index, MemorySegment vectors, int n_threads, MemorySegment out, MemorySegment err, long errcap) {
        var mh$ = pv_hnsw_rebuild.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_rebuild", index, vectors, n_threads, out, err, errcap);
            }
                return (int) mh$.invokeExact(index, vectors, n_threads, out, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_count {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_LONG,
            panavec_graph_h.C_POINTER
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_count");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_count", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t pv_hnsw_count(const pv_hnsw *index)
     * }
     */
    public static FunctionDescriptor pv_hnsw_count$descriptor() {
        return pv_hnsw_count.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t pv_hnsw_count(const pv_hnsw *index)
     * }
     */
    public static MethodHandle pv_hnsw_count$handle() {
        return pv_hnsw_count.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t pv_hnsw_count(const pv_hnsw *index)
     * }
     */
    public static MemorySegment pv_hnsw_count$address() {
        return pv_hnsw_count.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_hnsw_count(const pv_hnsw *index)
     * }
     */
    public static long pv_hnsw_count(MemorySegment index) {
        var mh$ = pv_hnsw_count.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_count", index);
            }
                return (long) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_deleted_count {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_LONG,
            panavec_graph_h.C_POINTER
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_deleted_count");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_deleted_count", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t pv_hnsw_deleted_count(const pv_hnsw *index)
     * }
     */
    public static FunctionDescriptor pv_hnsw_deleted_count$descriptor() {
        return pv_hnsw_deleted_count.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t pv_hnsw_deleted_count(const pv_hnsw *index)
     * }
     */
    public static MethodHandle pv_hnsw_deleted_count$handle() {
        return pv_hnsw_deleted_count.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t pv_hnsw_deleted_count(const pv_hnsw *index)
     * }
     */
    public static MemorySegment pv_hnsw_deleted_count$address() {
        return pv_hnsw_deleted_count.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_hnsw_deleted_count(const pv_hnsw *index)
     * }
     */
    public static long pv_hnsw_deleted_count(MemorySegment index) {
        var mh$ = pv_hnsw_deleted_count.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_deleted_count", index);
            }
                return (long) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_dim {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_dim");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_dim", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_dim(const pv_hnsw *index)
     * }
     */
    public static FunctionDescriptor pv_hnsw_dim$descriptor() {
        return pv_hnsw_dim.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_dim(const pv_hnsw *index)
     * }
     */
    public static MethodHandle pv_hnsw_dim$handle() {
        return pv_hnsw_dim.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_dim(const pv_hnsw *index)
     * }
     */
    public static MemorySegment pv_hnsw_dim$address() {
        return pv_hnsw_dim.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_dim(const pv_hnsw *index)
     * }
     */
    public static int pv_hnsw_dim(MemorySegment index) {
        var mh$ = pv_hnsw_dim.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_dim", index);
            }
                return (int) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_metric {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_metric");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_metric", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_metric(const pv_hnsw *index)
     * }
     */
    public static FunctionDescriptor pv_hnsw_metric$descriptor() {
        return pv_hnsw_metric.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_metric(const pv_hnsw *index)
     * }
     */
    public static MethodHandle pv_hnsw_metric$handle() {
        return pv_hnsw_metric.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_metric(const pv_hnsw *index)
     * }
     */
    public static MemorySegment pv_hnsw_metric$address() {
        return pv_hnsw_metric.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_metric(const pv_hnsw *index)
     * }
     */
    public static int pv_hnsw_metric(MemorySegment index) {
        var mh$ = pv_hnsw_metric.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_metric", index);
            }
                return (int) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_m {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_m");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_m", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_m(const pv_hnsw *index)
     * }
     */
    public static FunctionDescriptor pv_hnsw_m$descriptor() {
        return pv_hnsw_m.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_m(const pv_hnsw *index)
     * }
     */
    public static MethodHandle pv_hnsw_m$handle() {
        return pv_hnsw_m.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_m(const pv_hnsw *index)
     * }
     */
    public static MemorySegment pv_hnsw_m$address() {
        return pv_hnsw_m.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_m(const pv_hnsw *index)
     * }
     */
    public static int pv_hnsw_m(MemorySegment index) {
        var mh$ = pv_hnsw_m.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_m", index);
            }
                return (int) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_ef_construction {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_ef_construction");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_ef_construction", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_ef_construction(const pv_hnsw *index)
     * }
     */
    public static FunctionDescriptor pv_hnsw_ef_construction$descriptor() {
        return pv_hnsw_ef_construction.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_ef_construction(const pv_hnsw *index)
     * }
     */
    public static MethodHandle pv_hnsw_ef_construction$handle() {
        return pv_hnsw_ef_construction.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_ef_construction(const pv_hnsw *index)
     * }
     */
    public static MemorySegment pv_hnsw_ef_construction$address() {
        return pv_hnsw_ef_construction.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_ef_construction(const pv_hnsw *index)
     * }
     */
    public static int pv_hnsw_ef_construction(MemorySegment index) {
        var mh$ = pv_hnsw_ef_construction.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_ef_construction", index);
            }
                return (int) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_memory_bytes {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_LONG,
            panavec_graph_h.C_POINTER
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_memory_bytes");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_memory_bytes", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int64_t pv_hnsw_memory_bytes(const pv_hnsw *index)
     * }
     */
    public static FunctionDescriptor pv_hnsw_memory_bytes$descriptor() {
        return pv_hnsw_memory_bytes.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int64_t pv_hnsw_memory_bytes(const pv_hnsw *index)
     * }
     */
    public static MethodHandle pv_hnsw_memory_bytes$handle() {
        return pv_hnsw_memory_bytes.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int64_t pv_hnsw_memory_bytes(const pv_hnsw *index)
     * }
     */
    public static MemorySegment pv_hnsw_memory_bytes$address() {
        return pv_hnsw_memory_bytes.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_hnsw_memory_bytes(const pv_hnsw *index)
     * }
     */
    public static long pv_hnsw_memory_bytes(MemorySegment index) {
        var mh$ = pv_hnsw_memory_bytes.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_memory_bytes", index);
            }
                return (long) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_save {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_save");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_save", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_save(const pv_hnsw *index, const char *path, char *err, int64_t errcap)
     * }
     */
    public static FunctionDescriptor pv_hnsw_save$descriptor() {
        return pv_hnsw_save.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_save(const pv_hnsw *index, const char *path, char *err, int64_t errcap)
     * }
     */
    public static MethodHandle pv_hnsw_save$handle() {
        return pv_hnsw_save.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_save(const pv_hnsw *index, const char *path, char *err, int64_t errcap)
     * }
     */
    public static MemorySegment pv_hnsw_save$address() {
        return pv_hnsw_save.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_save(const pv_hnsw *index, const char *path, char *err, int64_t errcap)
     * }
     */
    public static int pv_hnsw_save(MemorySegment index, MemorySegment path, MemorySegment err, long errcap) {
        var mh$ = pv_hnsw_save.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_save", index, path, err, errcap);
            }
                return (int) mh$.invokeExact(index, path, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_hnsw_load {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_INT,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_POINTER,
            panavec_graph_h.C_LONG
        );

        public static final MemorySegment ADDR = panavec_graph_h.findOrThrow("pv_hnsw_load");

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_hnsw_load", DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_load(const char *path, int32_t expected_dim, int32_t expected_metric, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static FunctionDescriptor pv_hnsw_load$descriptor() {
        return pv_hnsw_load.DESC;
    }

    /**
     * Downcall method handle for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_load(const char *path, int32_t expected_dim, int32_t expected_metric, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static MethodHandle pv_hnsw_load$handle() {
        return pv_hnsw_load.HANDLE;
    }

    /**
     * Address for:
     * {@snippet lang=c :
     * int32_t pv_hnsw_load(const char *path, int32_t expected_dim, int32_t expected_metric, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static MemorySegment pv_hnsw_load$address() {
        return pv_hnsw_load.ADDR;
    }

    /**
     * {@snippet lang=c :
     * int32_t pv_hnsw_load(const char *path, int32_t expected_dim, int32_t expected_metric, pv_hnsw **out, char *err, int64_t errcap)
     * }
     */
    public static int pv_hnsw_load(MemorySegment path, int expected_dim, int expected_metric, MemorySegment out, MemorySegment err, long errcap) {
        var mh$ = pv_hnsw_load.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("pv_hnsw_load", path, expected_dim, expected_metric, out, err, errcap);
            }
                return (int) mh$.invokeExact(path, expected_dim, expected_metric, out, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
