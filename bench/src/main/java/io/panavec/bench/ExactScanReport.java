package io.panavec.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the exact-scan benchmarks and the bandwidth probe in one run, at one thread and at two, and writes a
 * Markdown report: queries/s (median of iterations), GB/s scanned, the fraction of the streaming-read
 * bandwidth measured in the same run, and ratios against the competitors.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector
 * -cp bench/target/benchmarks.jar io.panavec.bench.ExactScanReport <wordnet-minilm dir> <report.md> [quick]}
 */
public final class ExactScanReport {
    private ExactScanReport() {}

    public static void main(String[] args) throws RunnerException, IOException {
        if (args.length < 2) {
            System.err.println("usage: ExactScanReport <wordnet-minilm dir> <report.md> [quick]");
            System.exit(2);
        }
        Path data = Path.of(args[0]).toAbsolutePath();
        Path report = Path.of(args[1]);
        boolean quick = args.length > 2 && args[2].equals("quick");
        long n;
        int dim;
        try (var f = io.panavec.io.VectorFile.open(data.resolve("base.fvecs"))) {
            n = f.count();
            dim = f.dimension();
        }
        String loadBefore = loadAverage();
        Map<String, Double> qps = new LinkedHashMap<>();
        // -Dscan.types=I8 (or F32|F16|I8, a regex alternation) and -Dscan.threads=1 run a subset; the bandwidth probe always runs.
        String types = System.getProperty("scan.types", "F32|F16|I8");
        int[] threadCounts = java.util.Arrays.stream(System.getProperty("scan.threads", "1,2").split(",")).mapToInt(t -> Integer.parseInt(t.trim())).toArray();
        for (int threads : threadCounts) {
            ChainedOptionsBuilder ob = new OptionsBuilder()
                    .include("io\\.panavec\\.bench\\.(Scan(" + types + ")Bench|BandwidthBench)\\.")
                    .param("dataDir", data.toString())
                    .threads(threads)
                    .forks(1)
                    .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 1 : 2))
                    .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx4g",
                            // what PanavecIndex's Chronicle Map needs (as scripts/jvm.options)
                            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
                            "--sun-misc-unsafe-memory-access=allow");
            for (RunResult r : new Runner(ob.build()).run()) {
                String name = r.getParams().getBenchmark().replace("io.panavec.bench.", "");
                List<Double> its = new ArrayList<>();
                r.getBenchmarkResults().forEach(br -> br.getIterationResults()
                        .forEach(ir -> its.add(ir.getPrimaryResult().getScore())));
                qps.put(name + "@" + threads, median(its));
            }
        }
        String md = render(qps, n, dim, data) + "\n" + machine(loadBefore);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, md);
        System.out.println(md);
    }

    /** CPU, kernel level and load: the context a reader needs to weigh the numbers. */
    public static String machine(String loadBefore) {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            // not Linux: leave it unknown
        }
        return String.format(Locale.ROOT, "Machine: %s, %d cores; panavec kernels: %s; load average %s at start, %s at end.%n",
                cpu, Runtime.getRuntime().availableProcessors(),
                io.panavec.bindings.Kernels.isaName(io.panavec.bindings.Kernels.isaActive()), loadBefore, loadAverage());
    }

    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    public static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int m = s.size();
        return m == 0 ? Double.NaN : m % 2 == 1 ? s.get(m / 2) : (s.get(m / 2 - 1) + s.get(m / 2)) / 2;
    }

    static String render(Map<String, Double> qps, long n, int dim, Path data) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Exact scan: panavec vs plain Java, Lucene VectorUtil, FAISS IndexFlatIP\n\n");
        sb.append(String.format(Locale.ROOT, "Run %s on %s: %,d x %d vectors, top-10 inner product, one query per call. "
                + "Queries/s are JMH medians over iterations; with 2 threads, total over both.%n%n",
                LocalDate.now(), data.getFileName(), n, dim));
        double[] bw = new double[3];
        for (int t = 1; t <= 2; t++) {
            Double ops = qps.get("BandwidthBench.streamSum@" + t);
            bw[t] = ops == null ? Double.NaN : ops * n * dim * 4 / 1e9;
        }
        sb.append(String.format(Locale.ROOT, "Streaming-read bandwidth measured in this run: %.2f GB/s (1 thread), %.2f GB/s (2 threads).%n%n", bw[1], bw[2]));
        sb.append("| benchmark | threads | queries/s | GB/s scanned | of bandwidth |\n|---|---|---|---|---|\n");
        for (var e : qps.entrySet()) {
            String[] nt = e.getKey().split("@");
            if (nt[0].startsWith("Bandwidth")) continue;
            int t = Integer.parseInt(nt[1]);
            int bytes = nt[0].startsWith("ScanF16") ? 2 : nt[0].startsWith("ScanI8") ? 1 : 4;
            double gbs = e.getValue() * n * dim * bytes / 1e9;
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f | %.0f%% |%n", nt[0], t, e.getValue(), gbs, 100 * gbs / bw[t]));
        }
        sb.append("\nRatios (panavec / other, same thread count):\n\n| type | vs | 1 thread | 2 threads |\n|---|---|---|---|\n");
        for (String type : new String[] {"ScanF32Bench", "ScanF16Bench", "ScanI8Bench"}) {
            for (String other : new String[] {"plainJava", "luceneVectorUtil", "faissFlatIP"}) {
                Double a1 = qps.get(type + ".panavec@1"), b1 = qps.get(type + "." + other + "@1");
                Double a2 = qps.get(type + ".panavec@2"), b2 = qps.get(type + "." + other + "@2");
                if (a1 == null || b1 == null) continue;
                sb.append(String.format(Locale.ROOT, "| %s | %s | %.2fx | %s |%n", type, other, a1 / b1,
                        a2 == null || b2 == null ? "-" : String.format(Locale.ROOT, "%.2fx", a2 / b2)));
            }
        }
        return sb.toString();
    }
}
