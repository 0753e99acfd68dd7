package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library as packaged in the bindings jar (run by failsafe after the jar is built): it needs only
 * glibc (its NEEDED entries, its newest GLIBC_ symbol version at most the floor), exports only the
 * pv_* ABI, and a search runs in a process that cannot see the apt packages' libraries.
 */
class SelfContainedLibraryIT {
    static final Set<String> GLIBC_LIBS = Set.of("libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2", "libpthread.so.0", "libdl.so.2");

    static Path jar;
    static ElfFile elf;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readPackagedLibrary() throws IOException {
        jar = Path.of(System.getProperty("panavec.bindings.jar", "missing: set by failsafe"));
        assertTrue(Files.isRegularFile(jar), "the packaged bindings jar " + jar);
        try (JarFile j = new JarFile(jar.toFile())) {
            ZipEntry e = j.getEntry(NativeLibrary.resource().substring(1));
            assertTrue(e != null, jar + " has no " + NativeLibrary.resource());
            try (InputStream in = j.getInputStream(e)) {
                elf = ElfFile.read(in.readAllBytes());
            }
        }
    }

    @Test
    void needsOnlyGlibc() {
        assertEquals(ElfFile.EM_X86_64, elf.machine);
        List<String> other = elf.needed.stream().filter(n -> !GLIBC_LIBS.contains(n)).toList();
        assertEquals(List.of(), other, "NEEDED entries that are not glibc's (all: " + elf.needed + ")");
        assertTrue(elf.needed.contains("libc.so.6"), elf.needed::toString);
    }

    @Test
    void runsOnTheStatedGlibcFloor() {
        int[] max = elf.maxGlibcVersion();
        String[] floor = NativeLibrary.GLIBC_FLOOR.split("\\.");
        int fMajor = Integer.parseInt(floor[0]), fMinor = Integer.parseInt(floor[1]);
        assertTrue(max[0] < fMajor || (max[0] == fMajor && max[1] <= fMinor), "needs GLIBC_" + max[0] + "." + max[1]
                + ", above the stated floor " + NativeLibrary.GLIBC_FLOOR + " (versions: " + elf.requiredVersions + ")");
        List<String> foreign = elf.requiredVersions.stream().filter(v -> !v.startsWith("GLIBC_")).toList();
        assertEquals(List.of(), foreign, "symbol versions of libraries other than glibc");
    }

    @Test
    void exportsOnlyTheAbi() {
        TreeSet<String> others = new TreeSet<>(elf.definedFunctions);
        others.removeIf(s -> s.startsWith("pv_"));
        assertEquals(Set.of(), others, "exported functions outside the pv_* ABI (FAISS, BLAS, OpenMP, C++ runtime must stay hidden)");
    }

    /** The directory the running JVM's libc comes from (/usr/lib/x86_64-linux-gnu on Debian). */
    private static Path systemLibDir() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int at = line.indexOf('/');
            if (at >= 0 && line.endsWith("/libc.so.6")) return Path.of(line.substring(at)).toRealPath().getParent();
        }
        throw new IOException("libc.so.6 is not mapped in this JVM");
    }

    @Test
    void searchesWhereTheAptLibrariesAreHidden() throws Exception {
        Path libDir = systemLibDir();
        // A directory with glibc alone, mounted over the system library directory in a private mount namespace.
        Path minimal = Files.createDirectory(tmp.resolve("glibc-only"));
        List<String> copied = new ArrayList<>();
        for (String name : List.of("libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2")) {
            Path src = libDir.resolve(name);
            if (Files.exists(src)) {
                Files.copy(src.toRealPath(), minimal.resolve(name));
                copied.add(name);
            }
        }
        List<String> unshare = unshareCommand();
        assumeTrue(unshare != null, "skipped: unshare -m (mount namespaces) is not permitted here, so the apt libraries cannot be hidden");
        String cp = jar + File.pathSeparator + Path.of("target", "test-classes").toAbsolutePath();
        String script = "mount --make-rprivate / && mount --bind " + minimal + " " + libDir + " && echo " + libDir + "/* && exec \"$@\"";
        List<String> prefix = new ArrayList<>(unshare);
        prefix.addAll(List.of("sh", "-c", script, "sh"));
        ChildJvm.Result r = ChildJvm.run(ChildJvm.command(prefix, List.of(), cp, OpenMpRuntimeTest.class), Map.of());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("libopenblas") == false && r.output().contains("libgomp") == false,
                "the child saw apt libraries: " + r.output());
        assertTrue(r.output().endsWith("ok workers 0 -> 1"), "2-thread FAISS build and search in a glibc-only process ("
                + copied + "): " + r.output());
    }

    /** unshare -m (as root) or unshare -r -m (a user namespace), whichever this machine permits; null if neither. */
    private static List<String> unshareCommand() throws InterruptedException {
        for (List<String> c : List.of(List.of("unshare", "-m"), List.of("unshare", "-r", "-m"))) {
            try {
                List<String> probe = new ArrayList<>(c);
                probe.addAll(List.of("sh", "-c", "mount --make-rprivate / && mount -t tmpfs none /mnt"));
                Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) return c;
            } catch (IOException e) {
                return null; // no unshare binary
            }
        }
        return null;
    }
}
