package io.panavec.bench;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchRequest;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.bindings.panavec_h;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.management.ObjectName;

/**
 * Soak: a long mixed workload on one HNSW index with attributes (searches, filtered searches, adds that
 * replace ids, deletes, commits, a compaction and a close/reopen now and then), printing resident memory and
 * the JVM's native-memory total every {@code every} operations, so growth shows as a trend.
 *
 * <pre>java @scripts/jvm.options -XX:NativeMemoryTracking=summary -cp bench/target/benchmarks.jar \
 *     io.panavec.bench.SoakBench [ops=1000000] [every=100000] [dim=64] [dir]</pre>
 * RSS is VmRSS of /proc/self/status; "nmt" is the committed total of jcmd VM.native_memory (0 without
 * -XX:NativeMemoryTracking): RSS growing while nmt and the heap stay flat is memory allocated outside the
 * JVM (native library, Chronicle Map, mappings). "lib" is the heap libpanavec holds ({@code pv_alloc_live_bytes}: its
 * own allocations, FAISS's included, counted exactly) and "graph" the graph's share of it ({@code graphBytes}): lib
 * growing faster than graph would be a leak in the library.
 */
public final class SoakBench {
    public static void main(String[] args) throws Exception {
        long ops = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long every = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        int dim = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("soak").resolve("index");
        Schema schema = Schema.builder().add("pos", AttributeType.KEYWORD).add("n", AttributeType.INT).build();
        Random rnd = new Random(42);
        PanavecIndex index = PanavecIndex.builder(dir).dimension(dim).metric(Metric.INNER_PRODUCT).spec("hnsw:M=16,efc=64")
                .schema(schema).threads(1).create();
        long nextId = 0;
        long searches = 0, adds = 0, deletes = 0, commits = 0, reopens = 0;
        long t0 = System.nanoTime();
        System.out.println("ops rows searches adds deletes commits reopens rss_kib nmt_kib heap_kib lib_kib graph_kib seconds");
        for (long op = 1; op <= ops; op++) {
            int kind = rnd.nextInt(1000);
            if (kind < 700 || nextId == 0) {
                if (nextId > 0) index.search(SearchRequest.of(vector(rnd, dim), 10).withEfSearch(32));
                else kind = 900;
                searches++;
            } else if (kind < 800) {
                index.search(SearchRequest.of(vector(rnd, dim), 10).withFilter(rnd.nextBoolean() ? "pos = 'n'" : "n < 50"));
                searches++;
            }
            if (kind >= 800 && kind < 950) { // a batch of 8: new ids, or ids again (upserts)
                long[] ids = new long[8];
                float[][] v = new float[8][];
                List<Map<String, Object>> attrs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    ids[i] = rnd.nextInt(4) == 0 && nextId > 0 ? (long) rnd.nextInt((int) Math.min(nextId, Integer.MAX_VALUE)) : nextId++;
                    v[i] = vector(rnd, dim);
                    attrs.add(Map.of("pos", rnd.nextBoolean() ? "n" : "v", "n", (long) rnd.nextInt(100)));
                }
                index.add(ids, v, attrs);
                adds += 8;
            } else if (kind >= 950 && kind < 990 && nextId > 0) {
                index.delete(rnd.nextInt((int) Math.min(nextId, Integer.MAX_VALUE)));
                deletes++;
            } else if (kind >= 990) {
                index.commit();
                commits++;
            }
            if (op % (every / 2) == 0) { // a reopen: the open/close cycle is where native memory leaked before
                index.commit();
                index.close();
                index = PanavecIndex.open(dir, 1);
                reopens++;
            }
            if (op % every == 0) {
                System.gc();
                System.out.printf("%d %d %d %d %d %d %d %d %d %d %d %d %.0f%n", op, index.rows(), searches, adds, deletes, commits, reopens,
                        rssKib(), nmtKib(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024,
                        panavec_h.pv_alloc_live_bytes() / 1024, index.graphBytes() / 1024, (System.nanoTime() - t0) / 1e9);
                System.out.flush();
            }
        }
        index.close();
    }

    private static float[] vector(Random rnd, int dim) {
        float[] v = new float[dim];
        double n = 0;
        for (int j = 0; j < dim; j++) {
            v[j] = (float) rnd.nextGaussian();
            n += v[j] * v[j];
        }
        for (int j = 0; j < dim; j++) v[j] /= (float) Math.sqrt(n);
        return v;
    }

    static long rssKib() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** Committed KiB of the JVM's native memory tracking summary, 0 when tracking is off. */
    static long nmtKib() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            for (String line : out.toString().split("\n")) {
                int at = line.indexOf("committed=");
                if (line.startsWith("Total:") && at >= 0) {
                    return Long.parseLong(line.substring(at + 10).replaceAll("KB.*", "").trim());
                }
            }
        } catch (Exception e) {
            // tracking off
        }
        return 0;
    }
}
