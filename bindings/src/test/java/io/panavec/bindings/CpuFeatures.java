package io.panavec.bindings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ISA level the CPU offers according to the kernel's /proc/cpuinfo flags (which Linux clears for
 * features the OS does not enable), read independently of the library's cpuid-based detection.
 */
final class CpuFeatures {
    static final Set<String> AVX2 = Set.of("avx", "avx2", "fma", "f16c", "sse4_2");
    static final Set<String> AVX512 = Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq");

    private static final Set<String> FLAGS = read();

    private CpuFeatures() {}

    private static Set<String> read() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("flags"))
                    .findFirst()
                    .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).collect(Collectors.toSet()))
                    .orElseThrow(() -> new IllegalStateException("/proc/cpuinfo has no flags line"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The best PV_ISA_* level whose features all appear in the flags. */
    static int level(Set<String> flags) {
        if (!flags.containsAll(AVX2)) return panavec_h.PV_ISA_SCALAR;
        return flags.containsAll(AVX512) ? panavec_h.PV_ISA_AVX512 : panavec_h.PV_ISA_AVX2;
    }

    static int level() {
        return level(FLAGS);
    }

    static Set<String> flags() {
        return FLAGS;
    }
}
