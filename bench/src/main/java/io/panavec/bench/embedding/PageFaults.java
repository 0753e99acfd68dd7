package io.panavec.bench.embedding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This process's page faults (minor, major: {@code /proc/self/stat}) and resident set ({@code /proc/self/status}), and
 * the machine's page cache ({@code /proc/meminfo}): how a look-up benchmark shows that its table was resident while
 * it was timed. Each benchmark fork appends one line to a file in the cache directory; the report reads it.
 * Linux only (elsewhere every figure is -1).
 */
final class PageFaults {
    private PageFaults() {}

    static String fileName(String table) {
        return "faults-" + table + ".tsv";
    }

    /** {minor faults, major faults} of this process so far. */
    static long[] now() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
            return new long[] {Long.parseLong(f[7]), Long.parseLong(f[9])}; // fields 10 (minflt) and 12 (majflt)
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** A value in kB of a {@code /proc} status-style file ("Name:   123 kB"), or -1. */
    static long kb(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(name + ":")) return Long.parseLong(line.substring(name.length() + 1).replace("kB", "").trim());
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** "MemAvailable x GB, page cache (Cached) y GB": the machine's memory at this moment. */
    static String memory() {
        return String.format(java.util.Locale.ROOT, "MemAvailable %.1f GB, page cache (Cached) %.1f GB, MemTotal %.1f GB",
                kb("/proc/meminfo", "MemAvailable") / 1048576.0, kb("/proc/meminfo", "Cached") / 1048576.0, kb("/proc/meminfo", "MemTotal") / 1048576.0);
    }

    /**
     * Appends "store, batch, keys, minor, major faults since start, resident MB, MB in 2 MiB pages (anonymous, file
     * mappings)" as one tab-separated line; the huge-page figures are this process's {@code AnonHugePages} and
     * {@code FilePmdMapped} ({@code /proc/self/smaps_rollup}): whether its rows were read through 2 MiB pages.
     */
    static void appendLine(Path file, String store, int batch, String keys, long[] start, long[] end) {
        String rollup = "/proc/self/smaps_rollup";
        String line = String.join("\t", store, Integer.toString(batch), keys, Long.toString(end[0] - start[0]), Long.toString(end[1] - start[1]),
                Long.toString(kb("/proc/self/status", "VmRSS") / 1024), Long.toString(kb(rollup, "AnonHugePages") / 1024),
                Long.toString(kb(rollup, "FilePmdMapped") / 1024)) + "\n";
        try {
            Files.writeString(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("could not record page faults in " + file + ": " + e);
        }
    }

    /** The lines of {@link #appendLine} by "store|batch|keys": {minor, major, resident MB, anonymous and file MB in 2 MiB pages (-1: not recorded)}. */
    static Map<String, long[]> read(Path file) throws IOException {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (!Files.exists(file)) return out;
        List<String> lines = Files.readAllLines(file);
        for (String l : lines) {
            String[] f = l.split("\t");
            if (f.length == 6 || f.length == 8) {
                out.put(f[0] + "|" + f[1] + "|" + f[2], new long[] {Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
                        f.length == 8 ? Long.parseLong(f[6]) : -1, f.length == 8 ? Long.parseLong(f[7]) : -1});
            }
        }
        return out;
    }
}
