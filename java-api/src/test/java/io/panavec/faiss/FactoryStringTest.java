package io.panavec.faiss;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.ChildJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Factory strings with zero or absurd parameters are refused before FAISS sees them (issue 10, item 6). */
class FactoryStringTest {
    /** Each of these crashed (SIGSEGV, SIGFPE, abort) or hung the JVM in FAISS 1.7.3; the hang goes last. */
    private static final List<String> CRASHERS = List.of("HNSW0,Flat", "IVF16_HNSW0,Flat", "IVF16,PQ0", "IVF0,Flat", "HNSW1,Flat",
            "IVF16,PQ3", "PQ0", "OPQ0,Flat", "PCA0,Flat", "IVF99999999999,Flat", "NSG0,Flat");

    @Test
    void crashingStringsAreRefusedInAChildJvm() {
        ChildJvm.Result r = ChildJvm.run(FactoryProbe.class, Duration.ofSeconds(90), CRASHERS.toArray(String[]::new));
        assertFalse(r.crashed(), r.toString());
        assertEquals(0, r.exitCode(), r.toString());
        for (String spec : CRASHERS) {
            assertTrue(r.output().contains(spec + " refused: "), spec + " not refused: " + r);
        }
    }

    @Test
    void supportedStringsBuildAndSearch() {
        List<String> good = List.of("Flat", "IDMap,Flat", "HNSW8,Flat", "HNSW", "HNSW8,SQ8", "IVF8,Flat", "IVF8_HNSW8,Flat", "IVF8,SQ8",
                "IVF8,PQ4x4", "IVF4,PQ8x6np", "PQ4x4", "SQfp16", "PCA8,IVF8,Flat", "L2norm,Flat", "RR16,Flat", "OPQ4,IVF8,PQ4x4");
        ChildJvm.Result r = ChildJvm.run(FactoryProbe.class, Duration.ofSeconds(120), good.toArray(String[]::new));
        assertFalse(r.crashed(), r.toString());
        for (String spec : good) {
            assertTrue(r.output().contains(spec + " built ("), spec + " did not build: " + r);
        }
    }

    @Test
    void refusalNamesTheComponentAndListsWhatIsSupported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FactoryString.check("IVF16,PQ0", 16));
        assertTrue(e.getMessage().contains("PQ0: M must be in 1..16"), e.getMessage());
        assertTrue(e.getMessage().contains("Supported: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FactoryString.check("NSG32,Flat", 16));
        assertTrue(e.getMessage().contains("'NSG32,Flat' is not an index panavec can check"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FactoryString.check("IVF16,PQ5", 16)); // 5 does not divide 16
        assertThrows(IllegalArgumentException.class, () -> FactoryString.check("IVF16,PQ4x17", 16));
        assertThrows(IllegalArgumentException.class, () -> FactoryString.check("PCA32,Flat", 16)); // PCA cannot widen
        assertThrows(IllegalArgumentException.class, () -> FactoryString.check("Flat,", 16));
        assertThrows(IllegalArgumentException.class, () -> FactoryString.check(" Flat", 16));
        FactoryString.check("OPQ4_8,IVF8,PQ4", 16); // OPQ to 8 dimensions, PQ4 divides 8
        assertThrows(IllegalArgumentException.class, () -> FactoryString.check("OPQ4_8,IVF8,PQ16", 16));
    }
}
