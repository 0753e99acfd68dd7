package io.panavec.bench.embedding;

import io.panavec.bench.ExactScanReport;
import io.panavec.bench.TempDirs;
import io.panavec.embedding.EmbeddingTable;
import net.openhft.chronicle.map.ChronicleMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link EmbeddingLookupBench} on each given table (after preparing its panavec tables and its Chronicle Map in
 * a cache directory, untimed) and writes a Markdown report: keys/s per store, batch size and key distribution (JMH
 * medians over iterations), panavec's ratios to Chronicle Map and to the HashMap, and the int8 table's bytes and
 * reconstruction (mean cosine over every key) against the bars.
 *
 * <p>Usage: {@code EmbeddingLookupReport <report.md> <cache dir> <table>=<path> [<table>=<path>]} with tables
 * {@code wordnet} (a wordnet-minilm directory) and {@code tokens} (the token file prefix, ".../docs");
 * {@code -Demb.encodings=f32,int8,f16,pq48} the panavec tables (default f32,int8), {@code -Demb.residency=mapped,hugepages}
 * how each is read (default both: the mapped file, the default of the library, and the opt-in
 * {@link io.panavec.embedding.Residency#HUGE_PAGES} copy), {@code -Demb.warmups=2} and
 * {@code -Demb.iterations=3} the JMH iterations (1 s each); {@code -Demb.baselines=hashmap,chronicle},
 * {@code -Demb.batches=1,64,4096} and {@code -Demb.keys=uniform,zipf} a subset of the other parameters (so one run fits
 * a benchmark slot); {@code -Demb.prepareOnly=true} only builds the cache (run it
 * niced before the timed run, so the benchmark lock is not held while tables are built).
 */
public final class EmbeddingLookupReport {
    private EmbeddingLookupReport() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: EmbeddingLookupReport <report.md> <cache dir> wordnet=<dir> [tokens=<docs prefix>]");
            System.exit(2);
        }
        Path report = Path.of(args[0]), cache = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(cache);
        List<String> encodings = List.of(System.getProperty("emb.encodings", "f32,int8").split(","));
        int warmups = Integer.getInteger("emb.warmups", 2), iterations = Integer.getInteger("emb.iterations", 3);
        List<String> baselines = List.of(System.getProperty("emb.baselines", "hashmap,chronicle").split(","));
        List<String> residencies = List.of(System.getProperty("emb.residency", "mapped,hugepages").split(","));
        String[] batches = System.getProperty("emb.batches", "1,64,4096").split(","), keyDists = System.getProperty("emb.keys", "uniform,zipf").split(",");
        StringBuilder md = new StringBuilder("# Embedding-table batch look-ups: panavec vs HashMap<Long, float[]> vs Chronicle Map<Long, byte[]>\n\n");
        md.append("JMH (`EmbeddingLookupBench`), one thread, one fork per configuration, ").append(warmups).append(" warm-up + ").append(iterations).append(" measured iterations of 1 s").append("; keys/s = JMH median batches/s x batch. panavec decodes into a native "
                + "buffer (`lookup(long[], MemorySegment)`); the HashMap copies each `float[]` into a float[] batch buffer; Chronicle Map "
                + "(persisted, `getUsing` into a reused byte[]) converts the little-endian bytes into the same kind of buffer. "
                + "Keys: uniform over the table's keys, or Zipf(1) over a fixed random permutation of them. Before its iterations each "
                + "fork looks up every key once through the store's own path (untimed), so the table is resident; the faults column "
                + "counts the fork's page faults (minor/major) from then to its end: major 0 means nothing was read from disk while timed; "
                + "minor faults also come from the JVM's own heap and code (the HashMap rows, which map no file, show that level), and a "
                + "minor fault on a page-cache page costs about a microsecond. `panavec-<encoding>` reads the rows from the mapped "
                + "store file (the library's default, `Residency.MAPPED`: a read-only open advises the mappings for 2 MiB pages, which "
                + "the page cache grants to the pages it reads from then on); `panavec-<encoding>-hugepages` opens the table with the opt-in "
                + "`Residency.HUGE_PAGES` (the rows copied at open into anonymous memory advised for 2 MiB pages, costing a copy of the "
                + "rows); the 2 MiB column gives the fork's AnonHugePages / FilePmdMapped (MB) at its end: how much of it was mapped "
                + "with 2 MiB pages.\n\n");
        for (int a = 2; a < args.length; a++) {
            String[] tp = args[a].split("=", 2);
            String table = tp[0];
            Path path = Path.of(tp[1]).toAbsolutePath();
            if (Boolean.getBoolean("emb.prepareOnly")) { // build the cache (niced, outside the benchmark lock), measure nothing
                prepare(table, path, cache, encodings);
                continue;
            }
            Map<String, CompressionBudgetReport.Result> checks = prepare(table, path, cache, encodings);
            String loadBefore = CompressionBudgetReport.load(), memoryBefore = PageFaults.memory();
            List<String> stores = new ArrayList<>();
            for (String e : encodings) {
                for (String r : residencies) {
                    if (r.equals("mapped")) stores.add("panavec-" + e);
                    else if (r.equals("hugepages")) stores.add("panavec-" + e + EmbeddingLookupBench.HUGE_PAGES_SUFFIX);
                    else throw new IllegalArgumentException("emb.residency: mapped or hugepages, not " + r);
                }
            }
            for (String b : baselines) if (!b.isBlank()) stores.add(b);
            Path faults = cache.resolve(PageFaults.fileName(table));
            Files.deleteIfExists(faults);
            ChainedOptionsBuilder ob = new OptionsBuilder()
                    .include(EmbeddingLookupBench.class.getName().replace(".", "\\.") + "\\.")
                    .param("table", table).param("path", path.toString()).param("cacheDir", cache.toString())
                    .param("store", stores.toArray(new String[0])).param("batch", batches).param("keys", keyDists)
                    .forks(1).threads(1)
                    .warmupIterations(warmups).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                    .jvmArgsAppend(jvmArgs(table.equals("tokens") ? "-Xmx6g" : "-Xmx2g"));
            Map<String, Double> keysPerSecond = new LinkedHashMap<>();
            for (RunResult r : new Runner(ob.build()).run()) {
                List<Double> its = new ArrayList<>();
                r.getBenchmarkResults().forEach(br -> br.getIterationResults().forEach(ir -> its.add(ir.getPrimaryResult().getScore())));
                int batch = Integer.parseInt(r.getParams().getParam("batch"));
                keysPerSecond.put(r.getParams().getParam("store") + "|" + batch + "|" + r.getParams().getParam("keys"), ExactScanReport.median(its) * batch);
            }
            render(md, table, path, stores, keysPerSecond, PageFaults.read(faults), checks, dimension(table, path), loadBefore,
                    CompressionBudgetReport.load(), memoryBefore, PageFaults.memory());
            Files.writeString(report, md.toString() + "\n" + ExactScanReport.machine(loadBefore));
        }
        if (!Boolean.getBoolean("emb.prepareOnly")) System.out.println(md);
    }

    static int dimension(String table, Path path) throws IOException {
        try (KeyedTable t = KeyedTable.open(table, path)) {
            return t.dimension();
        }
    }

    static String[] jvmArgs(String heap) {
        return new String[] {"--enable-native-access=ALL-UNNAMED", heap,
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
                "--sun-misc-unsafe-memory-access=allow"};
    }

    /** Builds what the benchmark opens (kept in the cache between runs) and measures each panavec table's reconstruction. */
    static Map<String, CompressionBudgetReport.Result> prepare(String table, Path path, Path cache, List<String> encodings) throws IOException {
        Map<String, CompressionBudgetReport.Result> checks = new LinkedHashMap<>();
        try (KeyedTable source = KeyedTable.open(table, path)) {
            float[][] queries = new float[20][];
            int[] rows = new java.util.Random(5).ints(0, source.size()).distinct().limit(queries.length).toArray();
            for (int i = 0; i < queries.length; i++) queries[i] = source.file().read(rows[i]);
            CompressionBudgetReport.Truth truth = CompressionBudgetReport.truth(source, queries, rows);
            for (String e : encodings) {
                Path dir = cache.resolve(table + "-" + e);
                CompressedTable t;
                try {
                    t = new CompressedTable(e, EmbeddingTable.open(dir), null, Double.NaN);
                    if (t.table.size() != source.size()) throw new IOException(dir + " holds " + t.table.size() + " keys");
                } catch (IOException | RuntimeException stale) {
                    TempDirs.delete(dir);
                    t = CompressedTable.build(e, source, dir, 20_000, 7);
                }
                try (CompressedTable open = t) {
                    checks.put(e, CompressionBudgetReport.measure(open, source, queries, rows, truth));
                }
            }
            Path cmap = cache.resolve(table + "-chronicle.cmap");
            boolean fresh = !Files.exists(cmap);
            try (ChronicleMap<Long, byte[]> map = chronicle(cmap, source.size(), source.dimension())) {
                if (fresh || map.size() != source.size()) {
                    ByteBuffer b = ByteBuffer.allocate(source.dimension() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < source.size(); i++) {
                        b.clear();
                        for (float v : source.file().read(i)) b.putFloat(v);
                        map.put(source.keys()[i], b.array().clone());
                    }
                }
            }
        }
        return checks;
    }

    /** The plain Chronicle Map baseline: float32 rows as byte arrays, persisted to {@code file}. */
    static ChronicleMap<Long, byte[]> chronicle(Path file, long entries, int dim) throws IOException {
        return ChronicleMap.of(Long.class, byte[].class).name("embedding-baseline").entries(entries)
                .averageValueSize(dim * Float.BYTES).createPersistedTo(new File(file.toString()));
    }

    static void render(StringBuilder md, String table, Path path, List<String> stores, Map<String, Double> kps, Map<String, long[]> faults,
                       Map<String, CompressionBudgetReport.Result> checks, int dim, String loadBefore, String loadAfter,
                       String memoryBefore, String memoryAfter) {
        md.append("## ").append(table).append(" (").append(path.getFileName()).append(")\n\n");
        md.append("Load average (1/5/15 min): ").append(loadBefore).append(" before, ").append(loadAfter).append(" after.\n\n");
        md.append("Memory: ").append(memoryBefore).append(" before; ").append(memoryAfter).append(" after.\n\n");
        md.append("| store | batch | keys | keys/s | vs Chronicle Map | vs HashMap | faults while timed (minor/major) | RSS MB | 2 MiB pages MB (anon/file) |\n"
                + "|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (String store : stores) {
            for (int batch : new int[] {1, 64, 4096}) {
                for (String keys : new String[] {"uniform", "zipf"}) {
                    Double v = kps.get(store + "|" + batch + "|" + keys);
                    if (v == null) continue;
                    Double c = kps.get("chronicle|" + batch + "|" + keys), h = kps.get("hashmap|" + batch + "|" + keys);
                    long[] f = faults.get(store + "|" + batch + "|" + keys);
                    md.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %s | %s | %s | %s | %s |%n", store, batch, keys, v,
                            c == null ? "-" : String.format(Locale.ROOT, "%.2fx", v / c), h == null ? "-" : String.format(Locale.ROOT, "%.2fx", v / h),
                            f == null ? "-" : f[0] + "/" + f[1], f == null ? "-" : Long.toString(f[2]),
                            f == null || f[3] < 0 ? "-" : f[3] + "/" + f[4]));
                }
            }
        }
        md.append("\nBars (issue 16):\n\n");
        for (String mode : new String[] {"", EmbeddingLookupBench.HUGE_PAGES_SUFFIX}) {
            for (int batch : new int[] {64, 4096}) {
                for (String keys : new String[] {"uniform", "zipf"}) {
                    Double p = kps.get("panavec-f32" + mode + "|" + batch + "|" + keys), c = kps.get("chronicle|" + batch + "|" + keys);
                    if (p == null || c == null) continue;
                    md.append(String.format(Locale.ROOT, "- batched f32 look-up >= 3x Chronicle Map, batch %d, %s keys, %s: %.2fx -> %s%n", batch, keys,
                            mode.isEmpty() ? "rows mapped (default)" : "rows in 2 MiB pages (opt-in Residency.HUGE_PAGES)", p / c, p / c >= 3 ? "met" : "NOT met"));
                }
            }
        }
        CompressionBudgetReport.Result int8 = checks.get("int8");
        if (int8 != null) {
            double ratio = int8.bytesPerKey() / (4.0 * dim);
            md.append(String.format(Locale.ROOT, "- int8 at <= 0.27x the bytes keeps mean cosine >= 0.99: %.1f bytes/key = %.3fx float32, mean cosine %.5f "
                    + "(relative L2 %.4f, recall@10 %.3f on 20 keys) -> %s%n", int8.bytesPerKey(), ratio, int8.meanCosine(), int8.relL2(), int8.recall(),
                    ratio <= 0.27 && int8.meanCosine() >= 0.99 ? "met" : "NOT met"));
        }
        for (var e : checks.entrySet()) {
            CompressionBudgetReport.Result r = e.getValue();
            md.append(String.format(Locale.ROOT, "- panavec-%s table: %.1f bytes/key, mean cosine %.5f, relative L2 %.4f%n", e.getKey(), r.bytesPerKey(),
                    r.meanCosine(), r.relL2()));
        }
        md.append('\n');
    }
}
