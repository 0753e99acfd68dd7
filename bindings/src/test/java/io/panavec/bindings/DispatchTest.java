package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatchTest {
    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    @Test
    void namesLevels() {
        assertEquals("scalar", Kernels.isaName(panavec_h.PV_ISA_SCALAR()));
        assertEquals("avx2", Kernels.isaName(panavec_h.PV_ISA_AVX2()));
        assertEquals("avx512", Kernels.isaName(panavec_h.PV_ISA_AVX512()));
        assertEquals("unknown", Kernels.isaName(9));
    }

    @Test
    void forcesEverySupportedLevelAndRefusesOthers() {
        int detected = Kernels.isaDetected();
        assertTrue(detected >= 0 && detected <= 2, "detected " + detected);
        assertTrue(Kernels.isaActive() <= detected);
        for (int isa = 0; isa <= detected; isa++) {
            Kernels.forceIsa(isa);
            assertEquals(isa, Kernels.isaActive());
        }
        if (detected < 2) {
            PanavecNativeException e = assertThrows(PanavecNativeException.class, () -> Kernels.forceIsa(detected + 1));
            assertEquals(panavec_h.PV_EUNSUPPORTED(), e.status());
        }
        PanavecNativeException e = assertThrows(PanavecNativeException.class, () -> Kernels.forceIsa(7));
        assertEquals(panavec_h.PV_EINVAL(), e.status());
        System.out.println("panavec kernels: detected " + Kernels.isaName(detected));
    }
}
