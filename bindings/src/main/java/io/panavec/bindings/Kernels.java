package io.panavec.bindings;

import java.lang.foreign.MemorySegment;

/**
 * The run-time ISA level of libpanavec's kernels: which level the CPU supports, which is in use,
 * and switching it (for tests and benchmarks). The kernels themselves are called through
 * {@link panavec_h}, after the caller has validated the arguments.
 *
 * <p>Thread-safe: switching while other threads score is allowed; a call in flight finishes at
 * the level it started with.
 */
public final class Kernels {
    private Kernels() {}

    /** The best level this CPU and build support ({@code PV_ISA_*}). */
    public static int isaDetected() {
        return panavec_h.pv_isa_detected();
    }

    /** The level in use ({@code PV_ISA_*}). */
    public static int isaActive() {
        return panavec_h.pv_isa_active();
    }

    /** "scalar", "avx2", "avx512" or "unknown". */
    public static String isaName(int isa) {
        MemorySegment name = panavec_h.pv_isa_name(isa);
        return name.reinterpret(32).getString(0);
    }

    /** Whether the CPU supports a level. */
    public static boolean isSupported(int isa) {
        return isa >= panavec_h.PV_ISA_SCALAR() && isa <= isaDetected();
    }

    /**
     * Switches the level in use.
     *
     * @throws PanavecNativeException PV_EUNSUPPORTED if the CPU lacks it, PV_EINVAL if it is not a level
     */
    public static void forceIsa(int isa) {
        int status = panavec_h.pv_isa_force(isa);
        if (status != panavec_h.PV_OK()) {
            throw new PanavecNativeException(status, "cannot switch the kernels to ISA level " + isa + " (" + isaName(isa)
                    + "); this CPU supports up to " + isaName(isaDetected()));
        }
    }
}
