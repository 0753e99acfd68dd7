package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library loads from the jar by default, and from panavec.library.path / PANAVEC_LIBRARY_PATH when set. */
class NativeLibraryOverrideTest {
    @TempDir
    Path tmp;

    /** Child JVM: prints where the library came from and the ABI version it reports. */
    public static void main(String[] args) {
        System.out.println(NativeLibrary.path() + " " + panavec_h.pv_abi_version());
    }

    private static String[] run(String property, String env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (property != null) cmd.add("-D" + NativeLibrary.PATH_PROPERTY + "=" + property);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NativeLibraryOverrideTest.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(NativeLibrary.PATH_ENV);
        if (env != null) pb.environment().put(NativeLibrary.PATH_ENV, env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new String[] {Integer.toString(p.waitFor()), out};
    }

    @Test
    void loadsFromTheJarByDefaultAndFromAnOverrideWhenAsked() throws Exception {
        String[] byDefault = run(null, null);
        assertEquals("0", byDefault[0], byDefault[1]);
        assertTrue(byDefault[1].contains("panavec-native"), "extracted from the jar resources: " + byDefault[1]);

        Path copy = tmp.resolve("libpanavec-copy.so");
        Files.write(copy, PackagedLibrary.loadedBytes());
        String[] byProperty = run(copy.toString(), null);
        assertEquals("0", byProperty[0], byProperty[1]);
        assertEquals(copy + " " + panavec_h.pv_abi_version(), byProperty[1]);

        String[] byEnv = run(null, copy.toString());
        assertEquals(copy + " " + panavec_h.pv_abi_version(), byEnv[1]);

        String[] missing = run(tmp.resolve("nope.so").toString(), null);
        assertNotEquals("0", missing[0]);
        assertTrue(missing[1].contains("which is not a file"), missing[1]);
    }
}
