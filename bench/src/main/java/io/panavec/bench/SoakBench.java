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
 * Ids come from a fixed space ({@code -Dsoak.ids}, default 20,000): once it is full every add is an upsert, so
 * the live set stays bounded while the append-only store keeps growing by the rows the upserts write (the
 * store never shrinks; a compaction rebuilds only the graph). Each add op is a batch of {@code -Dsoak.batch}
 * rows (default 4); {@code -Dsoak.commits} commits per 10,000 operations (default 10), since a commit writes the
 * whole graph. Every {@code every / 2} operations the index is committed, closed and reopened; every
 * {@code every} it is compacted. Columns: "rss" VmRSS, "anon" RssAnon (heap, malloc, anonymous mappings: where a
 * leak shows) and "file" RssFile (mapped store pages and jars, which follow the store) of /proc/self/status;
 * "nmt" the committed total of the JVM's native memory tracking (0 without -XX:NativeMemoryTracking); "heap" the
 * Java heap after a GC; "lib" the heap libpanavec holds ({@code pv_alloc_live_bytes}: its own allocations,
 * FAISS's included, counted exactly) and "graph" the graph's share of it ({@code graphBytes}): lib growing faster
 * than graph would be a leak in the library; "store_kib" the index directory's size on disk.
 */
public final class SoakBench {
    public static void main(String[] args) throws Exception {
        long ops = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long every = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        int dim = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("soak").resolve("index");
        int idSpace = Integer.getInteger("soak.ids", 20_000);
        int batch = Integer.getInteger("soak.batch", 4);
        int commitsPer10k = Integer.getInteger("soak.commits", 10);
        Schema schema = Schema.builder().add("pos", AttributeType.KEYWORD).add("n", AttributeType.INT).build();
        Random rnd = new Random(42);
        PanavecIndex index = PanavecIndex.builder(dir).dimension(dim).metric(Metric.INNER_PRODUCT).spec("hnsw:M=16,efc=64")
                .schema(schema).threads(1).create();
        System.out.printf("# ops=%d every=%d dim=%d ids=%d batch=%d commits/10000=%d%n", ops, every, dim, idSpace, batch, commitsPer10k);
        long nextId = 0;
        long searches = 0, filtered = 0, adds = 0, deletes = 0, commits = 0, reopens = 0, compactions = 0;
        long t0 = System.nanoTime();
        System.out.println("ops live rows searches filtered adds deletes commits reopens compactions rss_kib anon_kib file_kib nmt_kib heap_kib lib_kib graph_kib store_kib seconds");
        for (long op = 1; op <= ops; op++) {
            int kind = nextId == 0 ? 8000 : rnd.nextInt(10_000); // per 10,000: 70% searches, 10% filtered, 15% adds, the rest deletes and commits
            if (kind < 7000) {
                index.search(SearchRequest.of(vector(rnd, dim), 10).withEfSearch(32));
                searches++;
            } else if (kind < 8000) {
                index.search(SearchRequest.of(vector(rnd, dim), 10).withFilter(rnd.nextBoolean() ? "pos = 'n'" : "n < 50"));
                filtered++;
            } else if (kind < 9500) { // a batch: new ids while the space lasts (1 in 4 an upsert), then upserts only
                long[] ids = new long[batch];
                float[][] v = new float[batch][];
                List<Map<String, Object>> attrs = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    boolean fresh = nextId < idSpace && (nextId == 0 || rnd.nextInt(4) != 0);
                    ids[i] = fresh ? nextId++ : rnd.nextInt((int) nextId);
                    v[i] = vector(rnd, dim);
                    attrs.add(Map.of("pos", rnd.nextBoolean() ? "n" : "v", "n", (long) rnd.nextInt(100)));
                }
                index.add(ids, v, attrs);
                adds += batch;
            } else if (kind < 10_000 - commitsPer10k) {
                index.delete(rnd.nextInt((int) nextId));
                deletes++;
            } else {
                index.commit();
                commits++;
            }
            if (op % every == 0) {
                index.compact();
                compactions++;
            }
            if (op % (every / 2) == 0) { // a reopen: the open/close cycle is where native memory leaked before
                index.commit();
                index.close();
                index = PanavecIndex.open(dir, 1);
                reopens++;
            }
            if (op % every == 0) {
                System.gc();
                Map<String, Long> status = status();
                System.out.printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %.0f%n", op, index.size(), index.rows(), searches,
                        filtered, adds, deletes, commits, reopens, compactions, status.get("VmRSS"), status.get("RssAnon"),
                        status.get("RssFile"), nmtKib(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024,
                        panavec_h.pv_alloc_live_bytes() / 1024, index.graphBytes() / 1024, dirKib(dir), (System.nanoTime() - t0) / 1e9);
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

    /** The KiB counters of /proc/self/status (VmRSS, RssAnon, RssFile, ...). */
    static Map<String, Long> status() throws java.io.IOException {
        Map<String, Long> kib = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.endsWith(" kB")) {
                kib.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1, line.length() - 3).trim()));
            }
        }
        return kib;
    }

    static long dirKib(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum() / 1024;
        }
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
