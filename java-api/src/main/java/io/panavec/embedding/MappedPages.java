package io.panavec.embedding;

import io.panavec.bindings.panavec_embedding_h;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The 2 MiB page advice of a read-only table's file mappings ({@link Residency#MAPPED}), and how much of a table's
 * memory the OS really maps with 2 MiB pages. A batch look-up reads rows in no order, so over a table beyond the TLB's
 * reach nearly every row costs a page walk with 4 kB pages; advised mappings read pages into the page cache as 2 MiB
 * folios (Linux with transparent huge pages {@code madvise} or {@code always}, a file system with large folios), which
 * the kernel maps with 2 MiB pages without any copy. Pages the page cache already holds in small folios stay small
 * unless the kernel collapses file pages ({@code MADV_COLLAPSE} on regular files needs
 * {@code CONFIG_READ_ONLY_THP_FOR_FS}); the advice never fails a table's open.
 *
 * <p>Thread-safe: stateless.
 */
final class MappedPages {
    private static final Path SMAPS = Path.of("/proc/self/smaps");
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private MappedPages() {}

    /**
     * Whether a read-only table whose mappings span {@code bytes} is advised: when they fit in half the machine's
     * memory ({@code MemTotal}). A page-cache miss through an advised mapping reads a whole 2 MiB folio, which pays off
     * when the table stays cached (a serving table read all over), but multiplies the reads of a table far beyond
     * memory that is read sparsely; without {@code /proc/meminfo} (not Linux) there are no file huge pages to ask for.
     */
    static boolean worthAdvising(long bytes) {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemTotal:")) {
                    long total = Long.parseLong(line.substring("MemTotal:".length()).trim().split("\\s+")[0]) * 1024;
                    return bytes <= total / 2;
                }
            }
        } catch (IOException | SecurityException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /**
     * Advises {@code mapping} (a read-only file mapping) for 2 MiB pages and collapses its ranges already cached,
     * where the kernel does; returns the bytes collapsed, or -1 when the OS refused the advice.
     */
    static long advise(MemorySegment mapping) {
        if (mapping.byteSize() == 0 || !mapping.isMapped()) return 0; // only file mappings: a copy was faulted in already
        return panavec_embedding_h.pv_emb_advise_mapped(mapping, mapping.byteSize(), 1);
    }

    /**
     * Bytes of {@code regions} the OS maps with 2 MiB pages now ({@code FilePmdMapped} plus {@code AnonHugePages} of
     * the mappings overlapping them in {@code /proc/self/smaps}, counted per mapping, so a mapping larger than its
     * region counts whole), or -1 where that file is not readable (not Linux). Reads the whole smaps file: a
     * diagnostic, not for a hot path.
     */
    static long hugeBytes(List<MemorySegment> regions) {
        if (regions.isEmpty()) return 0;
        List<String> lines;
        try {
            lines = Files.readAllLines(SMAPS);
        } catch (IOException | SecurityException e) {
            return -1;
        }
        return hugeBytes(lines, regions);
    }

    /** As {@link #hugeBytes(List)}, over the lines of an smaps file. */
    static long hugeBytes(List<String> lines, List<MemorySegment> regions) {
        long total = 0;
        boolean overlaps = false;
        for (String line : lines) {
            int dash = line.indexOf('-'), space = line.indexOf(' ');
            if (dash > 0 && space > dash && isHex(line, 0, dash)) {
                long lo = Long.parseUnsignedLong(line, 0, dash, 16), hi = Long.parseUnsignedLong(line, dash + 1, space, 16);
                overlaps = false;
                for (MemorySegment r : regions) {
                    long a = r.address(), b = a + r.byteSize();
                    if (r.byteSize() > 0 && Long.compareUnsigned(a, hi) < 0 && Long.compareUnsigned(lo, b) < 0) overlaps = true;
                }
            } else if (overlaps && (line.startsWith("FilePmdMapped:") || line.startsWith("AnonHugePages:"))) {
                String[] f = line.trim().split("\\s+");
                total += Long.parseLong(f[1]) * 1024;
            }
        }
        return total;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) return false;
        }
        return to > from;
    }
}
