package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading in child JVMs: the packaged library leaves nothing in the temporary directory (also when the
 * JVM is killed), and libraries broken on purpose through the panavec.library.path override fail with
 * an UnsatisfiedLinkError that names the library, the platform, the exact cause and what to do.
 */
class NativeLibraryLoadTest {
    @TempDir
    Path tmp;

    /** Child: loads the library, prints "loaded <abi>" or the error, then sleeps if asked to. */
    public static void main(String[] args) throws Exception {
        try {
            System.out.println("loaded " + panavec_h.pv_abi_version());
        } catch (Throwable t) {
            System.out.println("ERROR " + t);
            System.exit(3);
        }
        if (args.length > 0) Thread.sleep(Long.parseLong(args[0]));
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void thePackagedLibraryLeavesNoTemporaryFiles() throws Exception {
        Path t1 = Files.createDirectory(tmp.resolve("t1"));
        ChildJvm.Result r = ChildJvm.run(List.of("-Djava.io.tmpdir=" + t1), NativeLibraryLoadTest.class);
        assertEquals(0, r.exit(), r.output());
        assertEquals("loaded " + panavec_h.PV_ABI_VERSION, r.output());
        assertEquals(List.of(), files(t1), "left in java.io.tmpdir after a normal exit");

        Path t2 = Files.createDirectory(tmp.resolve("t2"));
        Process p = new ProcessBuilder(ChildJvm.command(List.of(), List.of("-Djava.io.tmpdir=" + t2),
                System.getProperty("java.class.path"), NativeLibraryLoadTest.class, "60000")).redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readNBytes(("loaded " + panavec_h.PV_ABI_VERSION).length()), StandardCharsets.UTF_8);
        assertEquals("loaded " + panavec_h.PV_ABI_VERSION, first);
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no deleteOnExit
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), files(t2), "left in java.io.tmpdir after kill -9");
    }

    /** Writes a copy of the library with some bytes replaced. */
    private Path broken(String name, Patch patch) throws IOException {
        byte[] lib = PackagedLibrary.loadedBytes();
        patch.apply(lib);
        Path p = tmp.resolve(name);
        Files.write(p, lib);
        return p;
    }

    interface Patch {
        void apply(byte[] lib);
    }

    /** Replaces the first NUL-terminated occurrence of from (same length) in the library. */
    private static Patch replaceString(String from, String to) {
        return lib -> {
            byte[] f = (from + "\0").getBytes(StandardCharsets.US_ASCII), t = (to + "\0").getBytes(StandardCharsets.US_ASCII);
            assertEquals(f.length, t.length);
            for (int i = 1; i + f.length <= lib.length; i++) {
                if (lib[i - 1] != 0) continue; // a whole string of the string table
                boolean match = true;
                for (int j = 0; j < f.length && match; j++) match = lib[i + j] == f[j];
                if (match) {
                    System.arraycopy(t, 0, lib, i, t.length);
                    return;
                }
            }
            throw new AssertionError(from + " not found in the library");
        };
    }

    private String loadFails(Path lib) throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of("-D" + NativeLibrary.PATH_PROPERTY + "=" + lib), NativeLibraryLoadTest.class);
        assertNotEquals(0, r.exit(), r.output());
        String error = r.output().lines().filter(l -> l.startsWith("ERROR ")).findFirst().orElse(r.output()); // the JVM may warn first
        assertTrue(error.startsWith("ERROR java.lang.UnsatisfiedLinkError: panavec: "), r.output());
        assertTrue(error.contains(lib.toString()), "names the library: " + error);
        assertTrue(error.contains("-D" + NativeLibrary.PATH_PROPERTY), "names where it came from: " + error);
        return error;
    }

    @Test
    void aMissingDependencyIsNamed() throws Exception {
        String out = loadFails(broken("libpanavec-missing-dep.so", replaceString("libm.so.6", "libpvnone")));
        assertTrue(out.contains("on linux-x86_64"), out);
        assertTrue(out.contains("it needs libpvnone, which is not installed or not on the library path"), out);
        assertTrue(out.contains("Install the package that provides libpvnone"), out);
        assertTrue(out.contains("Unset -D" + NativeLibrary.PATH_PROPERTY + " to use the library packaged in the panavec-bindings jar"), out);
    }

    @Test
    void anotherArchitectureIsNamed() throws Exception {
        String out = loadFails(broken("libpanavec-aarch64.so", lib -> {
            lib[18] = (byte) 183; // e_machine EM_AARCH64
            lib[19] = 0;
        }));
        assertTrue(out.contains("it is built for aarch64; this JVM runs on x86_64"), out);
        assertTrue(out.contains("Use a libpanavec built for linux-x86_64"), out);
    }

    @Test
    void aLibraryOfAnotherAbiIsNamed() throws Exception {
        String out = loadFails(broken("libpanavec-other-abi.so", replaceString("pv_abi_version", "pv_abi_versioX")));
        assertTrue(out.contains("it lacks 1 function(s) of these bindings (pv_abi_version)"), out);
    }

    @Test
    void notALibraryIsNamed() throws Exception {
        Path text = tmp.resolve("libpanavec-text.so");
        Files.writeString(text, "not a library at all, but long enough to have a header\n");
        String out = loadFails(text);
        assertTrue(out.contains("it is not an ELF shared library"), out);
    }
}
