// In the style of jextract 22+ output (--header-class-name panavec_faiss_h) for
// native/include/panavec_faiss.h: keep it in step with the header.
package io.panavec.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * FFM bindings for {@code panavec_faiss.h}: one static method per C function, named as in C.
 * Low level: no validation happens here (see {@code io.panavec.faiss.FaissIndex}). Thread-safe:
 * the handles are immutable and resolved lazily per function.
 */
@SuppressWarnings("unused")
public final class panavec_faiss_h {
    private panavec_faiss_h() {}

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    public static final int PV_FAISS_HAS_HNSW = 1;
    public static final int PV_FAISS_HAS_IVF = 2;
    public static final int PV_FAISS_HAS_IDMAP = 4;
    public static final int PV_FAISS_HAS_TRANSFORM = 8;

    private static final class pv_faiss_index_factory {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_LONG, C_POINTER, C_INT, C_POINTER, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_factory");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_factory", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_factory(int64_t dim, const char *spec, int32_t metric, pv_faiss_index **out, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_factory$descriptor() {
        return pv_faiss_index_factory.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_factory(int64_t dim, const char *spec, int32_t metric, pv_faiss_index **out, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_factory$handle() {
        return pv_faiss_index_factory.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_factory(int64_t dim, const char *spec, int32_t metric, pv_faiss_index **out, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_factory$address() {
        return pv_faiss_index_factory.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_factory(int64_t dim, const char *spec, int32_t metric, pv_faiss_index **out, char *err, int64_t errcap) } */
    public static int pv_faiss_index_factory(long dim, MemorySegment spec, int metric, MemorySegment out, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_factory.HANDLE;
        try {
            return (int) mh$.invokeExact(dim, spec, metric, out, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_free {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_free");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_free", DESC);
    }

    /** {@snippet lang=c : void pv_faiss_index_free(pv_faiss_index *index) } */
    public static FunctionDescriptor pv_faiss_index_free$descriptor() {
        return pv_faiss_index_free.DESC;
    }

    /** {@snippet lang=c : void pv_faiss_index_free(pv_faiss_index *index) } */
    public static MethodHandle pv_faiss_index_free$handle() {
        return pv_faiss_index_free.HANDLE;
    }

    /** {@snippet lang=c : void pv_faiss_index_free(pv_faiss_index *index) } */
    public static MemorySegment pv_faiss_index_free$address() {
        return pv_faiss_index_free.ADDR;
    }

    /** {@snippet lang=c : void pv_faiss_index_free(pv_faiss_index *index) } */
    public static void pv_faiss_index_free(MemorySegment index) {
        var mh$ = pv_faiss_index_free.HANDLE;
        try {
            mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_dim {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_dim");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_dim", DESC);
    }

    /** {@snippet lang=c : int64_t pv_faiss_index_dim(pv_faiss_index *index) } */
    public static FunctionDescriptor pv_faiss_index_dim$descriptor() {
        return pv_faiss_index_dim.DESC;
    }

    /** {@snippet lang=c : int64_t pv_faiss_index_dim(pv_faiss_index *index) } */
    public static MethodHandle pv_faiss_index_dim$handle() {
        return pv_faiss_index_dim.HANDLE;
    }

    /** {@snippet lang=c : int64_t pv_faiss_index_dim(pv_faiss_index *index) } */
    public static MemorySegment pv_faiss_index_dim$address() {
        return pv_faiss_index_dim.ADDR;
    }

    /** {@snippet lang=c : int64_t pv_faiss_index_dim(pv_faiss_index *index) } */
    public static long pv_faiss_index_dim(MemorySegment index) {
        var mh$ = pv_faiss_index_dim.HANDLE;
        try {
            return (long) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_ntotal {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_ntotal");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_ntotal", DESC);
    }

    /** {@snippet lang=c : int64_t pv_faiss_index_ntotal(pv_faiss_index *index) } */
    public static FunctionDescriptor pv_faiss_index_ntotal$descriptor() {
        return pv_faiss_index_ntotal.DESC;
    }

    /** {@snippet lang=c : int64_t pv_faiss_index_ntotal(pv_faiss_index *index) } */
    public static MethodHandle pv_faiss_index_ntotal$handle() {
        return pv_faiss_index_ntotal.HANDLE;
    }

    /** {@snippet lang=c : int64_t pv_faiss_index_ntotal(pv_faiss_index *index) } */
    public static MemorySegment pv_faiss_index_ntotal$address() {
        return pv_faiss_index_ntotal.ADDR;
    }

    /** {@snippet lang=c : int64_t pv_faiss_index_ntotal(pv_faiss_index *index) } */
    public static long pv_faiss_index_ntotal(MemorySegment index) {
        var mh$ = pv_faiss_index_ntotal.HANDLE;
        try {
            return (long) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_is_trained {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_is_trained");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_is_trained", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_is_trained(pv_faiss_index *index) } */
    public static FunctionDescriptor pv_faiss_index_is_trained$descriptor() {
        return pv_faiss_index_is_trained.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_is_trained(pv_faiss_index *index) } */
    public static MethodHandle pv_faiss_index_is_trained$handle() {
        return pv_faiss_index_is_trained.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_is_trained(pv_faiss_index *index) } */
    public static MemorySegment pv_faiss_index_is_trained$address() {
        return pv_faiss_index_is_trained.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_is_trained(pv_faiss_index *index) } */
    public static int pv_faiss_index_is_trained(MemorySegment index) {
        var mh$ = pv_faiss_index_is_trained.HANDLE;
        try {
            return (int) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_metric {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_metric");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_metric", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_metric(pv_faiss_index *index) } */
    public static FunctionDescriptor pv_faiss_index_metric$descriptor() {
        return pv_faiss_index_metric.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_metric(pv_faiss_index *index) } */
    public static MethodHandle pv_faiss_index_metric$handle() {
        return pv_faiss_index_metric.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_metric(pv_faiss_index *index) } */
    public static MemorySegment pv_faiss_index_metric$address() {
        return pv_faiss_index_metric.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_metric(pv_faiss_index *index) } */
    public static int pv_faiss_index_metric(MemorySegment index) {
        var mh$ = pv_faiss_index_metric.HANDLE;
        try {
            return (int) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_features {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_features");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_features", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_features(pv_faiss_index *index) } */
    public static FunctionDescriptor pv_faiss_index_features$descriptor() {
        return pv_faiss_index_features.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_features(pv_faiss_index *index) } */
    public static MethodHandle pv_faiss_index_features$handle() {
        return pv_faiss_index_features.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_features(pv_faiss_index *index) } */
    public static MemorySegment pv_faiss_index_features$address() {
        return pv_faiss_index_features.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_features(pv_faiss_index *index) } */
    public static int pv_faiss_index_features(MemorySegment index) {
        var mh$ = pv_faiss_index_features.HANDLE;
        try {
            return (int) mh$.invokeExact(index);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_set_ef_construction {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_set_ef_construction");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_set_ef_construction", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_set_ef_construction(pv_faiss_index *index, int32_t ef_construction, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_set_ef_construction$descriptor() {
        return pv_faiss_index_set_ef_construction.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_set_ef_construction(pv_faiss_index *index, int32_t ef_construction, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_set_ef_construction$handle() {
        return pv_faiss_index_set_ef_construction.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_set_ef_construction(pv_faiss_index *index, int32_t ef_construction, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_set_ef_construction$address() {
        return pv_faiss_index_set_ef_construction.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_set_ef_construction(pv_faiss_index *index, int32_t ef_construction, char *err, int64_t errcap) } */
    public static int pv_faiss_index_set_ef_construction(MemorySegment index, int efConstruction, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_set_ef_construction.HANDLE;
        try {
            return (int) mh$.invokeExact(index, efConstruction, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_train {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_POINTER, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_train");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_train", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_train(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_train$descriptor() {
        return pv_faiss_index_train.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_train(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_train$handle() {
        return pv_faiss_index_train.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_train(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_train$address() {
        return pv_faiss_index_train.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_train(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) } */
    public static int pv_faiss_index_train(MemorySegment index, long n, MemorySegment x, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_train.HANDLE;
        try {
            return (int) mh$.invokeExact(index, n, x, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_add {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_POINTER, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_add");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_add", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_add(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_add$descriptor() {
        return pv_faiss_index_add.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_add(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_add$handle() {
        return pv_faiss_index_add.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_add(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_add$address() {
        return pv_faiss_index_add.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_add(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) } */
    public static int pv_faiss_index_add(MemorySegment index, long n, MemorySegment x, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_add.HANDLE;
        try {
            return (int) mh$.invokeExact(index, n, x, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_add_with_ids {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_POINTER, C_POINTER, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_add_with_ids");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_add_with_ids", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_add_with_ids(pv_faiss_index *index, int64_t n, const float *x, const int64_t *ids, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_add_with_ids$descriptor() {
        return pv_faiss_index_add_with_ids.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_add_with_ids(pv_faiss_index *index, int64_t n, const float *x, const int64_t *ids, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_add_with_ids$handle() {
        return pv_faiss_index_add_with_ids.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_add_with_ids(pv_faiss_index *index, int64_t n, const float *x, const int64_t *ids, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_add_with_ids$address() {
        return pv_faiss_index_add_with_ids.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_add_with_ids(pv_faiss_index *index, int64_t n, const float *x, const int64_t *ids, char *err, int64_t errcap) } */
    public static int pv_faiss_index_add_with_ids(MemorySegment index, long n, MemorySegment x, MemorySegment ids, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_add_with_ids.HANDLE;
        try {
            return (int) mh$.invokeExact(index, n, x, ids, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_remove_ids {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_POINTER, C_POINTER, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_remove_ids");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_remove_ids", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_remove_ids(pv_faiss_index *index, int64_t n, const int64_t *ids, int64_t *nremoved, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_remove_ids$descriptor() {
        return pv_faiss_index_remove_ids.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_remove_ids(pv_faiss_index *index, int64_t n, const int64_t *ids, int64_t *nremoved, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_remove_ids$handle() {
        return pv_faiss_index_remove_ids.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_remove_ids(pv_faiss_index *index, int64_t n, const int64_t *ids, int64_t *nremoved, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_remove_ids$address() {
        return pv_faiss_index_remove_ids.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_remove_ids(pv_faiss_index *index, int64_t n, const int64_t *ids, int64_t *nremoved, char *err, int64_t errcap) } */
    public static int pv_faiss_index_remove_ids(MemorySegment index, long n, MemorySegment ids, MemorySegment nremoved, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_remove_ids.HANDLE;
        try {
            return (int) mh$.invokeExact(index, n, ids, nremoved, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_search {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_POINTER, C_LONG, C_INT, C_INT, C_POINTER, C_LONG, C_POINTER, C_POINTER, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_search");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_search", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_search(pv_faiss_index *index, int64_t n, const float *x, int64_t k, int32_t ef_search, int32_t nprobe, const uint64_t *allow, int64_t allow_nbits, float *distances, int64_t *labels, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_search$descriptor() {
        return pv_faiss_index_search.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_search(pv_faiss_index *index, int64_t n, const float *x, int64_t k, int32_t ef_search, int32_t nprobe, const uint64_t *allow, int64_t allow_nbits, float *distances, int64_t *labels, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_search$handle() {
        return pv_faiss_index_search.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_search(pv_faiss_index *index, int64_t n, const float *x, int64_t k, int32_t ef_search, int32_t nprobe, const uint64_t *allow, int64_t allow_nbits, float *distances, int64_t *labels, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_search$address() {
        return pv_faiss_index_search.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_search(pv_faiss_index *index, int64_t n, const float *x, int64_t k, int32_t ef_search, int32_t nprobe, const uint64_t *allow, int64_t allow_nbits, float *distances, int64_t *labels, char *err, int64_t errcap) } */
    public static int pv_faiss_index_search(MemorySegment index, long n, MemorySegment x, long k, int ef_search, int nprobe, MemorySegment allow, long allow_nbits, MemorySegment distances, MemorySegment labels, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_search.HANDLE;
        try {
            return (int) mh$.invokeExact(index, n, x, k, ef_search, nprobe, allow, allow_nbits, distances, labels, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_range_search {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_POINTER, C_FLOAT, C_INT, C_INT, C_POINTER, C_LONG, C_POINTER, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_range_search");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_range_search", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_range_search(pv_faiss_index *index, int64_t n, const float *x, float radius, int32_t ef_search, int32_t nprobe, const uint64_t *allow, int64_t allow_nbits, pv_faiss_range_result **out, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_range_search$descriptor() {
        return pv_faiss_index_range_search.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_range_search(pv_faiss_index *index, int64_t n, const float *x, float radius, int32_t ef_search, int32_t nprobe, const uint64_t *allow, int64_t allow_nbits, pv_faiss_range_result **out, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_range_search$handle() {
        return pv_faiss_index_range_search.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_range_search(pv_faiss_index *index, int64_t n, const float *x, float radius, int32_t ef_search, int32_t nprobe, const uint64_t *allow, int64_t allow_nbits, pv_faiss_range_result **out, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_range_search$address() {
        return pv_faiss_index_range_search.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_range_search(pv_faiss_index *index, int64_t n, const float *x, float radius, int32_t ef_search, int32_t nprobe, const uint64_t *allow, int64_t allow_nbits, pv_faiss_range_result **out, char *err, int64_t errcap) } */
    public static int pv_faiss_index_range_search(MemorySegment index, long n, MemorySegment x, float radius, int ef_search, int nprobe, MemorySegment allow, long allow_nbits, MemorySegment out, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_range_search.HANDLE;
        try {
            return (int) mh$.invokeExact(index, n, x, radius, ef_search, nprobe, allow, allow_nbits, out, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_range_result_nq {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_range_result_nq");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_range_result_nq", DESC);
    }

    /** {@snippet lang=c : int64_t pv_faiss_range_result_nq(const pv_faiss_range_result *result) } */
    public static FunctionDescriptor pv_faiss_range_result_nq$descriptor() {
        return pv_faiss_range_result_nq.DESC;
    }

    /** {@snippet lang=c : int64_t pv_faiss_range_result_nq(const pv_faiss_range_result *result) } */
    public static MethodHandle pv_faiss_range_result_nq$handle() {
        return pv_faiss_range_result_nq.HANDLE;
    }

    /** {@snippet lang=c : int64_t pv_faiss_range_result_nq(const pv_faiss_range_result *result) } */
    public static MemorySegment pv_faiss_range_result_nq$address() {
        return pv_faiss_range_result_nq.ADDR;
    }

    /** {@snippet lang=c : int64_t pv_faiss_range_result_nq(const pv_faiss_range_result *result) } */
    public static long pv_faiss_range_result_nq(MemorySegment result) {
        var mh$ = pv_faiss_range_result_nq.HANDLE;
        try {
            return (long) mh$.invokeExact(result);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_range_result_size {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_LONG, C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_range_result_size");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_range_result_size", DESC);
    }

    /** {@snippet lang=c : int64_t pv_faiss_range_result_size(const pv_faiss_range_result *result) } */
    public static FunctionDescriptor pv_faiss_range_result_size$descriptor() {
        return pv_faiss_range_result_size.DESC;
    }

    /** {@snippet lang=c : int64_t pv_faiss_range_result_size(const pv_faiss_range_result *result) } */
    public static MethodHandle pv_faiss_range_result_size$handle() {
        return pv_faiss_range_result_size.HANDLE;
    }

    /** {@snippet lang=c : int64_t pv_faiss_range_result_size(const pv_faiss_range_result *result) } */
    public static MemorySegment pv_faiss_range_result_size$address() {
        return pv_faiss_range_result_size.ADDR;
    }

    /** {@snippet lang=c : int64_t pv_faiss_range_result_size(const pv_faiss_range_result *result) } */
    public static long pv_faiss_range_result_size(MemorySegment result) {
        var mh$ = pv_faiss_range_result_size.HANDLE;
        try {
            return (long) mh$.invokeExact(result);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_range_result_copy {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_POINTER, C_POINTER, C_POINTER, C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_range_result_copy");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_range_result_copy", DESC);
    }

    /** {@snippet lang=c : void pv_faiss_range_result_copy(const pv_faiss_range_result *result, int64_t *lims, int64_t *labels, float *distances) } */
    public static FunctionDescriptor pv_faiss_range_result_copy$descriptor() {
        return pv_faiss_range_result_copy.DESC;
    }

    /** {@snippet lang=c : void pv_faiss_range_result_copy(const pv_faiss_range_result *result, int64_t *lims, int64_t *labels, float *distances) } */
    public static MethodHandle pv_faiss_range_result_copy$handle() {
        return pv_faiss_range_result_copy.HANDLE;
    }

    /** {@snippet lang=c : void pv_faiss_range_result_copy(const pv_faiss_range_result *result, int64_t *lims, int64_t *labels, float *distances) } */
    public static MemorySegment pv_faiss_range_result_copy$address() {
        return pv_faiss_range_result_copy.ADDR;
    }

    /** {@snippet lang=c : void pv_faiss_range_result_copy(const pv_faiss_range_result *result, int64_t *lims, int64_t *labels, float *distances) } */
    public static void pv_faiss_range_result_copy(MemorySegment result, MemorySegment lims, MemorySegment labels, MemorySegment distances) {
        var mh$ = pv_faiss_range_result_copy.HANDLE;
        try {
            mh$.invokeExact(result, lims, labels, distances);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_range_result_free {
        static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(C_POINTER);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_range_result_free");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_range_result_free", DESC);
    }

    /** {@snippet lang=c : void pv_faiss_range_result_free(pv_faiss_range_result *result) } */
    public static FunctionDescriptor pv_faiss_range_result_free$descriptor() {
        return pv_faiss_range_result_free.DESC;
    }

    /** {@snippet lang=c : void pv_faiss_range_result_free(pv_faiss_range_result *result) } */
    public static MethodHandle pv_faiss_range_result_free$handle() {
        return pv_faiss_range_result_free.HANDLE;
    }

    /** {@snippet lang=c : void pv_faiss_range_result_free(pv_faiss_range_result *result) } */
    public static MemorySegment pv_faiss_range_result_free$address() {
        return pv_faiss_range_result_free.ADDR;
    }

    /** {@snippet lang=c : void pv_faiss_range_result_free(pv_faiss_range_result *result) } */
    public static void pv_faiss_range_result_free(MemorySegment result) {
        var mh$ = pv_faiss_range_result_free.HANDLE;
        try {
            mh$.invokeExact(result);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_write {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_write");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_write", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_write(pv_faiss_index *index, const char *path, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_write$descriptor() {
        return pv_faiss_index_write.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_write(pv_faiss_index *index, const char *path, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_write$handle() {
        return pv_faiss_index_write.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_write(pv_faiss_index *index, const char *path, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_write$address() {
        return pv_faiss_index_write.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_write(pv_faiss_index *index, const char *path, char *err, int64_t errcap) } */
    public static int pv_faiss_index_write(MemorySegment index, MemorySegment path, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_write.HANDLE;
        try {
            return (int) mh$.invokeExact(index, path, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_index_read {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_LONG);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_index_read");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_index_read", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_read(const char *path, pv_faiss_index **out, char *err, int64_t errcap) } */
    public static FunctionDescriptor pv_faiss_index_read$descriptor() {
        return pv_faiss_index_read.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_read(const char *path, pv_faiss_index **out, char *err, int64_t errcap) } */
    public static MethodHandle pv_faiss_index_read$handle() {
        return pv_faiss_index_read.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_read(const char *path, pv_faiss_index **out, char *err, int64_t errcap) } */
    public static MemorySegment pv_faiss_index_read$address() {
        return pv_faiss_index_read.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_index_read(const char *path, pv_faiss_index **out, char *err, int64_t errcap) } */
    public static int pv_faiss_index_read(MemorySegment path, MemorySegment out, MemorySegment err, long errcap) {
        var mh$ = pv_faiss_index_read.HANDLE;
        try {
            return (int) mh$.invokeExact(path, out, err, errcap);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_set_omp_threads {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT, C_INT);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_set_omp_threads");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_set_omp_threads", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_set_omp_threads(int32_t n) } */
    public static FunctionDescriptor pv_faiss_set_omp_threads$descriptor() {
        return pv_faiss_set_omp_threads.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_set_omp_threads(int32_t n) } */
    public static MethodHandle pv_faiss_set_omp_threads$handle() {
        return pv_faiss_set_omp_threads.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_set_omp_threads(int32_t n) } */
    public static MemorySegment pv_faiss_set_omp_threads$address() {
        return pv_faiss_set_omp_threads.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_set_omp_threads(int32_t n) } */
    public static int pv_faiss_set_omp_threads(int n) {
        var mh$ = pv_faiss_set_omp_threads.HANDLE;
        try {
            return (int) mh$.invokeExact(n);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }

    private static final class pv_faiss_get_omp_threads {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(C_INT);
        static final MemorySegment ADDR = NativeLibrary.symbol("pv_faiss_get_omp_threads");
        static final MethodHandle HANDLE = NativeLibrary.downcall("pv_faiss_get_omp_threads", DESC);
    }

    /** {@snippet lang=c : int32_t pv_faiss_get_omp_threads(void) } */
    public static FunctionDescriptor pv_faiss_get_omp_threads$descriptor() {
        return pv_faiss_get_omp_threads.DESC;
    }

    /** {@snippet lang=c : int32_t pv_faiss_get_omp_threads(void) } */
    public static MethodHandle pv_faiss_get_omp_threads$handle() {
        return pv_faiss_get_omp_threads.HANDLE;
    }

    /** {@snippet lang=c : int32_t pv_faiss_get_omp_threads(void) } */
    public static MemorySegment pv_faiss_get_omp_threads$address() {
        return pv_faiss_get_omp_threads.ADDR;
    }

    /** {@snippet lang=c : int32_t pv_faiss_get_omp_threads(void) } */
    public static int pv_faiss_get_omp_threads() {
        var mh$ = pv_faiss_get_omp_threads.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new AssertionError("should not reach here", ex);
        }
    }
}
