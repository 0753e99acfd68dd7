package io.panavec.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Byte counts for people: binary units with three significant digits, and the space a (sparse) file takes on disk. */
final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    // struct stat on Linux x86-64 and aarch64 (glibc): st_blocks (512-byte units) is the long at byte 64.
    private static final long STAT_SIZE = 256, ST_BLOCKS = 64;
    private static final MethodHandle STAT = lookupStat();

    private Sizes() {}

    /** {@code 15.0 MiB}, {@code 193 MiB}, {@code 1.21 GiB}, {@code 812 B}. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        // Rounding may reach 1024 (1023.96 KiB -> "1024 KiB"): step up a unit instead.
        if (Math.round(v) >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        String digits = v >= 99.95 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 9.995 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
        return digits + " " + UNITS[u];
    }

    /** Bytes allocated on disk for {@code file} (less than its length when sparse); empty where it cannot be asked. */
    static Optional<Long> onDisk(Path file) {
        if (STAT == null) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(STAT_SIZE, 8);
            int rc = (int) STAT.invokeExact(arena.allocateFrom(file.toAbsolutePath().toString()), buf);
            return rc == 0 ? Optional.of(buf.get(ValueLayout.JAVA_LONG, ST_BLOCKS) * 512) : Optional.empty();
        } catch (Throwable e) {
            return Optional.empty();
        }
    }

    /** "15.0 MiB on disk, 193 MiB apparent" for a sparse file; "193 MiB" when both agree or disk use is unknown. */
    static String describe(Path file) throws IOException {
        Optional<Long> disk = onDisk(file);
        return both(disk.orElse(-1L), Files.size(file));
    }

    private static String both(long disk, long apparent) {
        if (disk < 0 || human(disk).equals(human(apparent))) {
            return human(apparent);
        }
        return human(disk) + " on disk, " + human(apparent) + " apparent";
    }

    /** The files of a directory (not its subdirectories) together, as {@link #describe}. */
    static String describeDirectory(Path dir) throws IOException {
        long apparent = 0, disk = 0;
        boolean known = true;
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(f)) continue;
                apparent += Files.size(f);
                Optional<Long> d = onDisk(f);
                known &= d.isPresent();
                disk += d.orElse(0L);
            }
        }
        return both(known ? disk : -1, apparent);
    }

    private static MethodHandle lookupStat() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("stat").map(f -> linker.downcallHandle(f,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS))).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
