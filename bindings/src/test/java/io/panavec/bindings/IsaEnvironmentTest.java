package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PANAVEC_ISA picks the level at load; a level the CPU lacks falls back to the detected one. */
class IsaEnvironmentTest {
    /** Run in a child JVM: prints the active and detected levels. */
    public static void main(String[] args) {
        System.out.println(Kernels.isaActive() + " " + Kernels.isaDetected());
    }

    private static String runWith(String isa) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), IsaEnvironmentTest.class.getName()));
        pb.environment().put("PANAVEC_ISA", isa);
        String lib = System.getProperty(NativeLibrary.PATH_PROPERTY);
        if (lib != null) pb.environment().put(NativeLibrary.PATH_ENV, lib);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void environmentChoosesTheLevel() throws Exception {
        int detected = Kernels.isaDetected();
        assertEquals("0 " + detected, runWith("scalar"));
        assertEquals((detected >= 1 ? 1 : detected) + " " + detected, runWith("avx2"));
        assertEquals(detected + " " + detected, runWith("avx512"));
        assertEquals(detected + " " + detected, runWith("bogus"));
    }
}
