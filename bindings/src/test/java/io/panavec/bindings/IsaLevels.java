package io.panavec.bindings;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Switches the kernels to a level for a test, skipping (with a message) levels this CPU lacks. */
final class IsaLevels {
    /** The level active when the tests started, restored after each test. */
    static final int INITIAL = Kernels.isaActive();

    private IsaLevels() {}

    static void use(int isa) {
        assumeTrue(Kernels.isSupported(isa), () -> "skipped: this CPU lacks ISA level " + Kernels.isaName(isa)
                + " (detected " + Kernels.isaName(Kernels.isaDetected()) + ")");
        Kernels.forceIsa(isa);
    }

    static void restore() {
        Kernels.forceIsa(INITIAL);
    }
}
