package io.panavec.reliability;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchRequest;
import io.panavec.TestData;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.bindings.panavec_graph_h;
import io.panavec.bindings.panavec_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * Child process of {@link LeakLoopTest}: runs {@code cycles} of one loop over a small index with attributes and
 * prints, at checkpoints, what a leak would grow: the heap bytes libpanavec holds ({@code pv_alloc_live_bytes}:
 * its own code, the FAISS shim and FAISS, counted exactly by link-time allocation wrappers; the JVM's memory is
 * not in it), the process's memory mappings, open file descriptors and resident set. Loops ({@code spec} names
 * the index): {@code open} (open, search unfiltered and filtered, look ids up through the id map, close) and
 * {@code commit} (open, then one upsert with attributes, a commit and the searches each cycle, close every 50
 * cycles). Checkpoints are taken with no index open, so every object an index allocated should be gone. Line
 * format: {@code checkpoint <loop> <cycle> live=<bytes> blocks=<n> maps=<n> fds=<n> rss=<bytes>}.
 */
public final class LeakLoopChild {
    private static final int DIM = 16, ROWS = 300, COMMITS_PER_OPEN = 50;
    private static final Schema SCHEMA = Schema.builder().add("pos", AttributeType.KEYWORD).add("chars", AttributeType.INT).build();

    /** {@code -Dpanavec.leak.inject=N}: leak N empty native graphs per cycle (the check's own check). */
    private static final int INJECT = Integer.getInteger("panavec.leak.inject", 0);

    public static void main(String[] args) throws Exception {
        String loop = args[0];
        int cycles = Integer.parseInt(args[1]);
        int every = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        String spec = args[4];
        float[][] vectors = TestData.random(ROWS, DIM, 11);
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.INNER_PRODUCT).spec(spec)
                .schema(SCHEMA).threads(1).create()) {
            long[] ids = new long[ROWS];
            List<Map<String, Object>> attrs = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                ids[i] = i;
                attrs.add(attributes(i));
            }
            index.add(ids, vectors, attrs);
            index.commit();
        }
        checkpoint(loop, 0, every);
        if (loop.equals("open")) {
            for (int c = 1; c <= cycles; c++) {
                try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
                    use(index, vectors[c % ROWS]);
                }
                if (c % every == 0) checkpoint(loop, c, every);
            }
        } else {
            PanavecIndex index = PanavecIndex.open(dir, 1);
            for (int c = 1; c <= cycles; c++) {
                int id = c % ROWS;
                index.add(new long[] {id}, new float[][] {vectors[(c * 7) % ROWS]}, List.of(attributes(id)));
                index.commit();
                use(index, vectors[c % ROWS]);
                if (c % COMMITS_PER_OPEN == 0) {
                    index.close();
                    if (c % every == 0) checkpoint(loop, c, every);
                    index = PanavecIndex.open(dir, 1);
                }
            }
            index.close();
        }
        System.out.println("done");
    }

    private static Map<String, Object> attributes(int id) {
        return Map.of("pos", id % 3 == 0 ? "n" : "v", "chars", id);
    }

    private static void use(PanavecIndex index, float[] q) {
        for (int i = 0; i < INJECT; i++) leakOneGraph();
        if (index.search(SearchRequest.of(q, 10)).size() != 10
                || index.search(SearchRequest.of(q, 5).withFilter("pos = 'n' AND chars < 200")).size() != 5
                || index.rowOf(7).isEmpty() || index.attributesOf(8).isEmpty()) {
            throw new IllegalStateException("wrong answer");
        }
    }

    /** Creates an empty native graph and never frees it: what a forgotten close() of a per-open object does. */
    private static void leakOneGraph() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS), err = arena.allocate(256);
            if (panavec_graph_h.pv_hnsw_create(DIM, 0, 8, 40, 1L, out, err, 256) != 0) throw new IllegalStateException("pv_hnsw_create");
        }
    }

    private static void checkpoint(String loop, int cycle, int every) throws IOException, InterruptedException {
        // Native objects whose owners are only reachable from cleaners go once those owners are collected.
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        trimMalloc();
        long maps;
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            maps = lines.count();
        }
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            fds = s.count();
        }
        long rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1);
        System.out.println("checkpoint " + loop + " " + cycle + " live=" + panavec_h.pv_alloc_live_bytes() + " blocks="
                + panavec_h.pv_alloc_live_blocks() + " maps=" + maps + " fds=" + fds + " rss=" + rss);
        if (NMT && cycle > 0) {
            // -Dpanavec.leak.nmt=true with -XX:NativeMemoryTracking=summary: what the JVM itself tracks, against the
            // first checkpoint after the warm-up (for finding what grows; the test does not read it).
            System.out.println(diagnostic(cycle == every ? "baseline" : "summary.diff"));
        }
        System.out.flush();
    }

    private static final MethodHandle MALLOC_TRIM = Linker.nativeLinker().defaultLookup().find("malloc_trim")
            .map(f -> Linker.nativeLinker().downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)))
            .orElse(null);

    /**
     * Gives the pages of free malloc chunks back to the kernel (glibc {@code malloc_trim(0)}), so the resident set
     * counts memory in use rather than what malloc keeps after the JIT compiler and GC freed it: without this the
     * resident set rises by tens of MB over the first few thousand cycles while NMT's total falls.
     */
    private static void trimMalloc() {
        if (MALLOC_TRIM == null) return;
        try {
            int unused = (int) MALLOC_TRIM.invokeExact(0L);
        } catch (Throwable t) {
            throw new IllegalStateException("malloc_trim", t);
        }
    }

    private static final boolean NMT = Boolean.getBoolean("panavec.leak.nmt");

    private static String diagnostic(String what) {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[] {new String[] {what}}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            return "NMT: " + e;
        }
    }
}
