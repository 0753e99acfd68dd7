package io.panavec.reliability;

import io.panavec.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No native leak in long loops (issue 10 item 16): a child JVM ({@link LeakLoopChild}) runs cycles of open / search
 * (unfiltered, filtered) / id look-ups / close, or of upsert / commit / search on an index reopened every 50
 * cycles, over an index with attributes, and reports at checkpoints with no index open the heap bytes libpanavec
 * holds, its mappings, file descriptors and resident set.
 * <ul>
 *   <li>library heap ({@code pv_alloc_live_bytes}, exact: only the library's own allocations are counted, so the
 *       JVM's malloc noise is not in it): from the first checkpoint (one-time set-up such as the OpenMP pool
 *       and OpenBLAS buffers is done by then) to the last it may not grow at all: every native object an open
 *       made is freed by its close. A leaked empty graph per cycle ({@code -Dpanavec.leak.inject=1}) fails it;</li>
 *   <li>mappings: at most 30 more (the JIT's code heap and metaspace may map a few regions; one leaked
 *       mapping per cycle adds one per cycle);</li>
 *   <li>file descriptors: at most 2 more;</li>
 *   <li>resident set: a guard against what neither counts (Chronicle Map's off-heap memory, Arenas never
 *       closed): less than 64 MiB more, against a heap capped at 128 MiB.</li>
 * </ul>
 * {@code -Dpanavec.leak.cycles=N} runs longer loops.
 */
class LeakLoopTest {
    private static final int CYCLES = Integer.getInteger("panavec.leak.cycles", 200);
    private static final int EVERY = 50;
    private static final Pattern LINE = Pattern.compile(
            "checkpoint (\\w+) (\\d+) live=(-?\\d+) blocks=(-?\\d+) maps=(\\d+) fds=(\\d+) rss=(-?\\d+)");

    @TempDir
    Path tmp;

    private record Checkpoint(int cycle, long live, long blocks, long maps, long fds, long rss) {}

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"open|hnsw:M=8,efc=40", "open|faiss:HNSW16,Flat", "open|hnsw:M=8,efc=40,quant=sq8",
            "commit|hnsw:M=8,efc=40"})
    void aLongLoopLeavesNoLibraryMemoryMappingsOrDescriptors(String loop, String spec) {
        ChildJvm.Result r = ChildJvm.run(LeakLoopChild.class, Duration.ofMinutes(10),
                List.of("-Xmx128m", "-Dpanavec.leak.inject=" + Integer.getInteger("panavec.leak.inject", 0)),
                loop, Integer.toString(CYCLES), Integer.toString(EVERY), tmp.resolve(loop).toString(), spec);
        assertEquals(0, r.exitCode(), r.toString());
        List<Checkpoint> points = new ArrayList<>();
        for (String line : r.output().lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                points.add(new Checkpoint(Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                        Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7))));
            }
        }
        assertEquals(CYCLES / EVERY + 1, points.size(), r.toString());
        Checkpoint from = points.get(1), to = points.get(points.size() - 1);
        int cycles = to.cycle() - from.cycle();
        String trace = loop + " loop over " + spec + ", cycles " + from.cycle() + " -> " + to.cycle() + ":\n" + r.output();
        long live = to.live() - from.live(), blocks = to.blocks() - from.blocks(), maps = to.maps() - from.maps(),
                fds = to.fds() - from.fds(), rss = to.rss() - from.rss();
        System.out.println("leak loop " + loop + " " + spec + ": over " + cycles + " cycles, library heap " + signed(live)
                + " bytes in " + signed(blocks) + " blocks, mappings " + signed(maps) + ", descriptors " + signed(fds)
                + ", resident " + signed(rss) + " bytes");
        assertTrue(live <= 0 && blocks <= 0, "libpanavec holds " + live + " more bytes in " + blocks + " more blocks; " + trace);
        assertTrue(maps <= 30, "mappings grew by " + maps + "; " + trace);
        assertTrue(fds <= 2, "file descriptors grew by " + fds + "; " + trace);
        assertTrue(rss < 64L << 20, "resident set grew by " + rss + "; " + trace);
    }

    private static String signed(long v) {
        return (v >= 0 ? "+" : "") + v;
    }
}
