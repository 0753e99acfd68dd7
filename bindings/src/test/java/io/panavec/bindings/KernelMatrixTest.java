package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel test matrix, derived from panavec.def: every kernel of the list (PV_KERNEL, and
 * PV_ISA_KERNEL through its tested_by function) is covered by a test method that runs at every ISA
 * level. Adding a kernel to the list without such a test fails here. Also: the detected level is the
 * one /proc/cpuinfo shows, so a broken detection cannot skip the kernel tests of a level the CPU has.
 */
class KernelMatrixTest {
    private static final String LEVELS = "io.panavec.bindings.IsaLevels#levels";

    /** exported function -> the level-parameterized test methods that cover it. */
    static Map<String, List<String>> coverage() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(KernelMatrixTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(KernelMatrixTest.class.getPackageName().replace('.', '/'));
        Map<String, List<String>> covered = new TreeMap<>();
        List<String> misplaced = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName(KernelMatrixTest.class.getPackageName() + "." + name, false,
                        KernelMatrixTest.class.getClassLoader());
                for (Method m : c.getDeclaredMethods()) {
                    Covers cov = m.getAnnotation(Covers.class);
                    if (cov == null) continue;
                    MethodSource src = m.getAnnotation(MethodSource.class);
                    if (m.getAnnotation(ParameterizedTest.class) == null || src == null || !Arrays.asList(src.value()).equals(List.of(LEVELS))) {
                        misplaced.add(c.getSimpleName() + "#" + m.getName());
                        continue;
                    }
                    for (String s : cov.value()) covered.computeIfAbsent(s, k -> new ArrayList<>()).add(c.getSimpleName() + "#" + m.getName());
                }
            }
        }
        assertTrue(misplaced.isEmpty(), "@Covers methods must be @ParameterizedTest @MethodSource(\"" + LEVELS + "\"): " + misplaced);
        return covered;
    }

    @Test
    void everyKernelHasATestAtEveryLevel() throws Exception {
        Map<String, List<String>> covered = coverage();
        Set<String> exported = Set.copyOf(PanavecDef.FUNCTIONS.stream().filter(f -> f.kind() != PanavecDef.Kind.ISA_KERNEL)
                .map(PanavecDef.Function::symbol).toList());
        List<String> missing = new ArrayList<>();
        StringBuilder matrix = new StringBuilder("kernel test matrix (levels " + IsaLevels.levels().boxed().toList() + "):\n");
        for (PanavecDef.Function f : PanavecDef.FUNCTIONS) {
            String via = switch (f.kind()) {
                case KERNEL -> f.symbol();
                case ISA_KERNEL -> f.testedBy();
                case FUNCTION -> null;
            };
            if (via == null) continue;
            List<String> tests = covered.get(via);
            if (tests == null) missing.add(f.symbol() + (via.equals(f.symbol()) ? "" : " (through " + via + ")"));
            else matrix.append("  ").append(f.symbol()).append(" <- ").append(tests).append('\n');
        }
        System.out.print(matrix);
        for (String s : covered.keySet()) assertTrue(exported.contains(s), "@Covers names " + s + ", which panavec.def does not export");
        if (!missing.isEmpty()) fail("kernels of panavec.def with no @Covers test at every ISA level: " + missing);
    }

    @Test
    void detectionFindsTheLevelTheCpuOffers() {
        int cpu = CpuFeatures.level(), detected = Kernels.isaDetected();
        assertEquals(cpu, detected, "/proc/cpuinfo shows " + Kernels.isaName(cpu) + " (flags " + CpuFeatures.AVX2 + " / "
                + CpuFeatures.AVX512 + "), the library detected " + Kernels.isaName(detected));
    }

    @Test
    void cpuinfoLevelsAreRead() {
        assertEquals(panavec_h.PV_ISA_SCALAR, CpuFeatures.level(Set.of("sse2", "avx2")));
        assertEquals(panavec_h.PV_ISA_AVX2, CpuFeatures.level(Set.of("avx", "avx2", "fma", "f16c", "sse4_2", "avx512f")));
        assertEquals(panavec_h.PV_ISA_AVX512, CpuFeatures.level(Set.of("avx", "avx2", "fma", "f16c", "sse4_2", "avx512f",
                "avx512bw", "avx512vl", "avx512dq")));
        assertTrue(CpuFeatures.flags().contains("sse2"), "x86-64 always has sse2: " + CpuFeatures.flags());
    }
}
