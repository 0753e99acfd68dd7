package io.panavec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.panavec.PanavecIndex;
import io.panavec.SearchRequest;
import io.panavec.filter.Filter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code panavec bench}: sweeps one search effort (--ef, --nprobe or --rerank) over an index with ground truth;
 * per value, recall@k and the fastest of three timed passes after a warm-up (QPS, p50/p95/p99 latency). Writes
 * a table, a JSON file and a PNG plot of recall against QPS.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sweeps --ef, --nprobe or --rerank: recall@k, queries/s and latency per value; a table, JSON and a PNG plot.", "",
                "For each value: recall@k against the ground truth, queries/s and latency percentiles (p50/p95/p99, "
                        + "HdrHistogram) of the fastest of --passes timed passes after --warmups untimed ones. Prints a table "
                        + "and writes PREFIX.json and PREFIX.png (recall against queries/s; --compare adds earlier runs' JSON "
                        + "files to the plot).", ""})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    QueryOptions query;

    @Option(names = "--ef", split = ",", paramLabel = "N", description = "HNSW search beams to sweep, e.g. 10,20,40,80,160.")
    List<Integer> ef = List.of();

    @Option(names = "--nprobe", split = ",", paramLabel = "N", description = "IVF lists probed to sweep.")
    List<Integer> nprobe = List.of();

    @Option(names = "--rerank", split = ",", paramLabel = "N", description = "Re-rank depths (quantized indexes) to sweep.")
    List<Integer> rerank = List.of();

    @Option(names = "--out", paramLabel = "PREFIX", defaultValue = "panavec-bench",
            description = "Writes PREFIX.json and PREFIX.png (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--compare", paramLabel = "FILE.json", description = "Earlier bench results to draw beside this run.")
    List<Path> compare = List.of();

    /** One value of the sweep, measured. */
    record Point(int ef, int nprobe, int rerank, double recall, double qps, double seconds,
                 double p50Millis, double p95Millis, double p99Millis, Map<String, Integer> strategies) {
        int value(String parameter) {
            return switch (parameter) {
                case "nprobe" -> nprobe;
                case "rerank" -> rerank;
                default -> ef;
            };
        }
    }

    /** A whole run, as written to PREFIX.json. */
    record Run(String panavec, String date, String index, String spec, String metric, long vectors, int dimension,
               String queriesFile, int queries, String groundTruth, int k, int threads, int warmups, int passes, String filter,
               String parameter, int cpus, double[] loadBefore, double[] loadAfter, List<Point> points) {
        String label() {
            return spec + (filter == null ? "" : " [" + filter + "]") + (threads == 1 ? "" : ", " + threads + " threads");
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws IOException {
        query.check(spec);
        String parameter = sweptParameter();
        List<Integer> values = switch (parameter) {
            case "nprobe" -> nprobe;
            case "rerank" -> rerank;
            default -> ef.isEmpty() ? List.of(0) : ef;
        };
        for (List<Integer> l : List.of(ef, nprobe, rerank)) {
            for (int v : l) if (v < 0) throw new UsageException(spec, "sweep values must be at least 0, got " + v);
        }
        Filter filter = query.filter(spec);
        long[][] truth = query.readGroundTruth().orElseThrow(() -> new UsageException(spec,
                "bench measures recall: give --groundtruth FILE (or an .hdf5 --queries file with a 'neighbors' dataset)"));
        List<Run> earlier = new ArrayList<>();
        for (Path c : compare) {
            io.panavec.cli.input.InputFiles.requireFile(c);
            earlier.add(JSON.readValue(c.toFile(), Run.class));
        }

        double[] loadBefore = loadAverage();
        List<Point> points = new ArrayList<>();
        Run run;
        try (PanavecIndex index = query.open()) {
            float[][] queries = query.readQueries(index);
            long total = (long) values.size() * (query.warmups + query.passes) * queries.length;
            try (Progress p = Progress.start("bench " + parameter, total, "queries")) {
                for (int v : values) {
                    int e = parameter.equals("ef") ? v : single(ef);
                    int np = parameter.equals("nprobe") ? v : single(nprobe);
                    int rr = parameter.equals("rerank") ? v : single(rerank);
                    QueryRunner.Pass pass = QueryRunner.best(index, queries, q -> SearchRequest.of(q, query.k).withEfSearch(e)
                            .withNprobe(np).withRerank(rr).withFilter(filter), query.threads, query.warmups, query.passes, p);
                    points.add(new Point(e, np, rr, QueryRunner.recall(pass.results(), truth, query.k), pass.qps(), pass.seconds(),
                            pass.percentileMillis(50), pass.percentileMillis(95), pass.percentileMillis(99), pass.strategies()));
                }
            }
            run = new Run(Main.Version.number(), Instant.now().toString(), query.index.toString(), index.spec().text(),
                    index.metric().toString(), index.size(), index.dimension(), query.queries.toString(), queries.length,
                    query.groundTruthFile().toString(), query.k, query.threads, query.warmups, query.passes,
                    filter == null ? null : Filter.text(filter), parameter, Runtime.getRuntime().availableProcessors(),
                    loadBefore, loadAverage(), points);
        }
        System.out.print(table(run));
        Path json = Path.of(out + ".json"), png = Path.of(out + ".png");
        if (json.getParent() != null) Files.createDirectories(json.getParent());
        JSON.writeValue(json.toFile(), run);
        List<Run> all = new ArrayList<>(earlier);
        all.add(run);
        BenchChart.write(png, all);
        System.out.println("wrote " + json + " and " + png);
        return 0;
    }

    /** The option with more than one value (at most one may have), else ef. */
    private String sweptParameter() {
        List<String> swept = new ArrayList<>();
        if (ef.size() > 1) swept.add("ef");
        if (nprobe.size() > 1) swept.add("nprobe");
        if (rerank.size() > 1) swept.add("rerank");
        if (swept.size() > 1) {
            throw new UsageException(spec, "sweep one of --ef, --nprobe, --rerank at a time (several values given for " + swept + ")");
        }
        return swept.isEmpty() ? (!nprobe.isEmpty() && ef.isEmpty() ? "nprobe" : !rerank.isEmpty() && ef.isEmpty() ? "rerank" : "ef")
                : swept.get(0);
    }

    /** The fixed value of an option that is not swept (0: the index's default). */
    private static int single(List<Integer> values) {
        return values.isEmpty() ? 0 : values.get(0);
    }

    static String table(Run run) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "index %s: %s, %s, %,d vectors, dim %d%n", run.index(), run.spec(), run.metric(),
                run.vectors(), run.dimension()));
        b.append(String.format(Locale.ROOT, "queries: %,d from %s, k=%d, %d thread%s, fastest of %d passes after %d warm-up%s%n",
                run.queries(), run.queriesFile(), run.k(), run.threads(), run.threads() == 1 ? "" : "s", run.passes(), run.warmups(),
                run.filter() == null ? "" : ", filter " + run.filter()));
        b.append(String.format(Locale.ROOT, "load average before %s, after %s (%d CPUs)%n%n", load(run.loadBefore()), load(run.loadAfter()),
                run.cpus()));
        String p = run.parameter();
        b.append(String.format(Locale.ROOT, "| %6s | recall@%-3d | %9s | %8s | %8s | %8s |%n", p, run.k(), "QPS", "p50 ms", "p95 ms", "p99 ms"));
        b.append("|-------:|-----------:|----------:|---------:|---------:|---------:|\n");
        for (Point pt : run.points()) {
            b.append(String.format(Locale.ROOT, "| %6d | %10.4f | %9.1f | %8.3f | %8.3f | %8.3f |%n", pt.value(p), pt.recall(), pt.qps(),
                    pt.p50Millis(), pt.p95Millis(), pt.p99Millis()));
        }
        return b.toString();
    }

    private static String load(double[] l) {
        return l == null || l.length == 0 ? "unknown" : String.format(Locale.ROOT, "%.2f %.2f %.2f", l[0], l[1], l[2]);
    }

    /** The 1, 5 and 15 minute load averages (/proc/loadavg), or an empty array where there is none. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[0];
        }
    }
}
