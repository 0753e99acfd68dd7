// Written in the style of jextract 22+ (--header-class-name panavec_multivector_h) from
// native/include/panavec_multivector.h, by hand (jextract is not installed here); symbols resolve
// through NativeLibrary. Keep in sync with the header.

package io.panavec.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Low-level bindings for {@code panavec_multivector.h}: MUVERA FDE encoding and Chamfer / MaxSim
 * scoring. Every method is a direct downcall that trusts its arguments; validate them first. All but
 * {@code pv_chamfer_docs} are critical downcalls (they accept heap segments); {@code pv_chamfer_docs}
 * may run long and takes native memory only. Thread safety: stateless.
 */
@SuppressWarnings("unused")
public class panavec_multivector_h {

    panavec_multivector_h() {
        // Should not be called directly
    }

    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));

    /** {@snippet lang=c : #define PV_FDE_QUERY 0 } */
    public static int PV_FDE_QUERY() {
        return 0;
    }

    /** {@snippet lang=c : #define PV_FDE_DOCUMENT 1 } */
    public static int PV_FDE_DOCUMENT() {
        return 1;
    }

    /** {@snippet lang=c : #define PV_FDE_MAX_KSIM 20 } */
    public static int PV_FDE_MAX_KSIM() {
        return 20;
    }

    /** The layout of {@code pv_fde_params}. */
    public static final StructLayout PV_FDE_PARAMS = MemoryLayout.structLayout(
            C_INT.withName("dim"),
            C_INT.withName("reps"),
            C_INT.withName("ksim"),
            C_INT.withName("dproj"),
            C_INT.withName("dfinal"),
            C_INT.withName("fill_empty"),
            C_POINTER.withName("simhash"),
            C_POINTER.withName("proj"),
            C_POINTER.withName("sketch_index"),
            C_POINTER.withName("sketch_sign")).withName("pv_fde_params");

    private static class pv_fde_raw_dim {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_fde_raw_dim", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_fde_raw_dim(const pv_fde_params *p)
     * }
     */
    public static FunctionDescriptor pv_fde_raw_dim$descriptor() {
        return pv_fde_raw_dim.DESC;
    }

    /** Downcall method handle for {@code pv_fde_raw_dim}. */
    public static MethodHandle pv_fde_raw_dim$handle() {
        return pv_fde_raw_dim.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_fde_raw_dim(const pv_fde_params *p)
     * }
     */
    public static long pv_fde_raw_dim(MemorySegment p) {
        var mh$ = pv_fde_raw_dim.HANDLE;
        try {
            return (long) mh$.invokeExact(p);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_fde_dim {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_fde_dim", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_fde_dim(const pv_fde_params *p)
     * }
     */
    public static FunctionDescriptor pv_fde_dim$descriptor() {
        return pv_fde_dim.DESC;
    }

    /** Downcall method handle for {@code pv_fde_dim}. */
    public static MethodHandle pv_fde_dim$handle() {
        return pv_fde_dim.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_fde_dim(const pv_fde_params *p)
     * }
     */
    public static long pv_fde_dim(MemorySegment p) {
        var mh$ = pv_fde_dim.HANDLE;
        try {
            return (long) mh$.invokeExact(p);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_fde_scratch_floats {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_LONG_LONG
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_fde_scratch_floats", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_fde_scratch_floats(const pv_fde_params *p, int64_t n)
     * }
     */
    public static FunctionDescriptor pv_fde_scratch_floats$descriptor() {
        return pv_fde_scratch_floats.DESC;
    }

    /** Downcall method handle for {@code pv_fde_scratch_floats}. */
    public static MethodHandle pv_fde_scratch_floats$handle() {
        return pv_fde_scratch_floats.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * int64_t pv_fde_scratch_floats(const pv_fde_params *p, int64_t n)
     * }
     */
    public static long pv_fde_scratch_floats(MemorySegment p, long n) {
        var mh$ = pv_fde_scratch_floats.HANDLE;
        try {
            return (long) mh$.invokeExact(p, n);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_fde_encode {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_INT,
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_POINTER
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_fde_encode", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * void pv_fde_encode(const pv_fde_params *p, int32_t kind, const float *tokens, int64_t n, float *out, float *scratch)
     * }
     */
    public static FunctionDescriptor pv_fde_encode$descriptor() {
        return pv_fde_encode.DESC;
    }

    /** Downcall method handle for {@code pv_fde_encode}. */
    public static MethodHandle pv_fde_encode$handle() {
        return pv_fde_encode.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * void pv_fde_encode(const pv_fde_params *p, int32_t kind, const float *tokens, int64_t n, float *out, float *scratch)
     * }
     */
    public static void pv_fde_encode(MemorySegment p, int kind, MemorySegment tokens, long n, MemorySegment out, MemorySegment scratch) {
        var mh$ = pv_fde_encode.HANDLE;
        try {
            mh$.invokeExact(p, kind, tokens, n, out, scratch);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_maxsim_f32 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_maxsim_f32", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * void pv_maxsim_f32(const float *q, int64_t nq, const float *x, int64_t nx, int64_t dim, float *qmax)
     * }
     */
    public static FunctionDescriptor pv_maxsim_f32$descriptor() {
        return pv_maxsim_f32.DESC;
    }

    /** Downcall method handle for {@code pv_maxsim_f32}. */
    public static MethodHandle pv_maxsim_f32$handle() {
        return pv_maxsim_f32.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * void pv_maxsim_f32(const float *q, int64_t nq, const float *x, int64_t nx, int64_t dim, float *qmax)
     * }
     */
    public static void pv_maxsim_f32(MemorySegment q, long nq, MemorySegment x, long nx, long dim, MemorySegment qmax) {
        var mh$ = pv_maxsim_f32.HANDLE;
        try {
            mh$.invokeExact(q, nq, x, nx, dim, qmax);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_maxsim_f16 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_maxsim_f16", DESC, Linker.Option.critical(true));
    }

    /**
     * {@snippet lang=c :
     * void pv_maxsim_f16(const float *q, int64_t nq, const uint16_t *x, int64_t nx, int64_t dim, float *qmax)
     * }
     */
    public static FunctionDescriptor pv_maxsim_f16$descriptor() {
        return pv_maxsim_f16.DESC;
    }

    /** Downcall method handle for {@code pv_maxsim_f16}. */
    public static MethodHandle pv_maxsim_f16$handle() {
        return pv_maxsim_f16.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * void pv_maxsim_f16(const float *q, int64_t nq, const uint16_t *x, int64_t nx, int64_t dim, float *qmax)
     * }
     */
    public static void pv_maxsim_f16(MemorySegment q, long nq, MemorySegment x, long nx, long dim, MemorySegment qmax) {
        var mh$ = pv_maxsim_f16.HANDLE;
        try {
            mh$.invokeExact(q, nq, x, nx, dim, qmax);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class pv_chamfer_docs {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_LONG_LONG,
            panavec_multivector_h.C_POINTER,
            panavec_multivector_h.C_POINTER
        );

        public static final MethodHandle HANDLE = NativeLibrary.downcall("pv_chamfer_docs", DESC);
    }

    /**
     * {@snippet lang=c :
     * void pv_chamfer_docs(const pv_vectors *tokens, const float *q, int64_t nq, const int64_t *ranges, int64_t ndocs, float *scratch, float *out)
     * }
     */
    public static FunctionDescriptor pv_chamfer_docs$descriptor() {
        return pv_chamfer_docs.DESC;
    }

    /** Downcall method handle for {@code pv_chamfer_docs}. */
    public static MethodHandle pv_chamfer_docs$handle() {
        return pv_chamfer_docs.HANDLE;
    }

    /**
     * {@snippet lang=c :
     * void pv_chamfer_docs(const pv_vectors *tokens, const float *q, int64_t nq, const int64_t *ranges, int64_t ndocs, float *scratch, float *out)
     * }
     */
    public static void pv_chamfer_docs(MemorySegment tokens, MemorySegment q, long nq, MemorySegment ranges, long ndocs, MemorySegment scratch, MemorySegment out) {
        var mh$ = pv_chamfer_docs.HANDLE;
        try {
            mh$.invokeExact(tokens, q, nq, ranges, ndocs, scratch, out);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
