package io.panavec.bindings;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.stream.IntStream;

/**
 * The ISA levels kernel tests run at, and switching to one. Which levels the CPU has comes from
 * /proc/cpuinfo ({@link CpuFeatures}), not from the library's detection: a level the CPU has must
 * switch on (a detection that misses it fails the test instead of skipping it); only a level the CPU
 * lacks is skipped.
 */
final class IsaLevels {
    /** The level active when the tests started, restored after each test. */
    static final int INITIAL = Kernels.isaActive();

    private IsaLevels() {}

    /**
     * The levels to test: all three, or only the one PANAVEC_ISA names when it is set (the surefire
     * run with PANAVEC_ISA=scalar covers the kernel and graph tests at that level).
     */
    static IntStream levels() {
        String forced = System.getenv("PANAVEC_ISA");
        int only = forced == null ? -1 : switch (forced) {
            case "scalar" -> panavec_h.PV_ISA_SCALAR;
            case "avx2" -> panavec_h.PV_ISA_AVX2;
            case "avx512" -> panavec_h.PV_ISA_AVX512;
            default -> -1;
        };
        return only >= 0 ? IntStream.of(only) : IntStream.rangeClosed(panavec_h.PV_ISA_SCALAR, panavec_h.PV_ISA_AVX512);
    }

    static void use(int isa) {
        assumeTrue(isa <= CpuFeatures.level(), () -> "skipped: /proc/cpuinfo shows no " + Kernels.isaName(isa)
                + " on this CPU (its best level is " + Kernels.isaName(CpuFeatures.level()) + ")");
        Kernels.forceIsa(isa); // throws when the CPU has the level but detection did not find it
    }

    static void restore() {
        Kernels.forceIsa(INITIAL);
    }
}
