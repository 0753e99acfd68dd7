package io.panavec.bench.ann;

import io.panavec.io.VectorFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The side-by-side approximate-search benchmark: in one JVM, builds panavec HNSW, Lucene HNSW, JVector and
 * FAISS IndexHNSWFlat over the same base vectors (2 threads each, one after another), then sweeps each
 * engine's effort knob single-threaded on every query set (engines interleaved at each effort), and writes
 * a Markdown report: curves, build times, bytes per vector, and QPS ratios at recall@10 ≥ 0.90 / 0.95 / 0.99.
 *
 * <p>Usage: {@code AnnReport <data dir> <report.md> [quick]}. The data directory holds base.fvecs and, per
 * query set NAME, NAME.fvecs and NAME-groundtruth.ivecs (nearest by inner product, best first); every such
 * pair is a query set ({@code queries} first). The report names the data directory and each ground-truth
 * file, and checks the file against brute force on its first queries. Efforts are swept up to 1,600, each
 * engine until its recall stops rising; a bar counts as met only when both engines reached the target.
 * Quick mode: the first 20,000 base vectors, 200 queries per set, exact ground truth recomputed by brute
 * force, fewer effort values.
 *
 * <p>Thread safety: a program, run once from {@link #main}.
 */
public final class AnnReport {
    static final int K = 10;
    static final int BUILD_THREADS = 2;
    static final int TIMED_PASSES = 3;
    static final double[] TARGETS = {0.90, 0.95, 0.99};
    /** Far enough for every engine to reach 0.99 on harder data; an engine leaves the sweep once its recall stops rising. */
    static final int[] EFFORTS = {10, 16, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 320, 400, 512, 640, 800, 1024, 1280, 1600};
    static final int[] QUICK_EFFORTS = {10, 32, 100, 400, 1600};
    /** The targets with a ratio table (and bars). */
    static final double[] RATIO_TARGETS = {0.95, 0.99};
    /**
     * An engine also leaves the sweep once it reached this recall (default the highest target, 0.99: every ratio is
     * read at the smallest effort reaching a target, so higher efforts add nothing to the tables but minutes; set
     * {@code -Dann.stopAt=1.01} for whole curves).
     */
    static final double STOP_AT = Double.parseDouble(System.getProperty("ann.stopAt", "0.99"));
    /** "Stopped rising": two steps in a row each added less than this much recall. */
    static final double PLATEAU = 0.001;
    /** Queries of each set checked against brute force to confirm the ground-truth file means inner product. */
    static final int GROUND_TRUTH_CHECK = 20;
    /** The bars (panavec QPS over the other's at the same target): Lucene 2x (issue 13), JVector 1.2x, FAISS 2x. */
    static final double BAR_LUCENE = 2.0, BAR_JVECTOR = 1.2, BAR_FAISS = 2.0;

    private AnnReport() {}

    /** What was built: an engine, its build seconds and bytes per vector. */
    record Built(AnnEngine engine, double buildSeconds, double bytesPerVector) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("quick"))) {
            System.err.println("usage: AnnReport <data dir> <report.md> [quick]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        boolean quick = args.length == 3;

        String loadBefore = loadAverage();
        AnnMetric metric = AnnMetric.RUN;
        float[][] base = readVectors(data.resolve("base.fvecs"));
        double baseNormError = metric == AnnMetric.IP ? normalize(base) : normError(base); // L2 ranks the vectors as they are
        List<QuerySet> sets = new ArrayList<>();
        Map<String, String> truthNotes = new LinkedHashMap<>();
        for (String name : querySetNames(data)) {
            float[][] q = readVectors(data.resolve(name + ".fvecs"));
            if (metric == AnnMetric.IP) normalize(q);
            int[][] gt = VectorFile.readIvecs(data.resolve(name + "-groundtruth.ivecs"));
            QuerySet set = new QuerySet(name, q, gt);
            sets.add(set);
            truthNotes.put(name, name + "-groundtruth.ivecs (top-" + gt[0].length + "; " + checkGroundTruth(base, set) + ")");
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException(data + ": no NAME.fvecs with NAME-groundtruth.ivecs beside base.fvecs");
        }
        float[][] trainQueries = splitTrainingQueries(sets, System.getProperty("ann.trainQueries", ""));
        if (quick) {
            base = Arrays.copyOf(base, Math.min(20_000, base.length));
            for (int i = 0; i < sets.size(); i++) {
                QuerySet s = sets.get(i).head(200);
                sets.set(i, new QuerySet(s.name(), s.queries(), ExactNeighbors.topK(base, s.queries(), K, metric)));
                truthNotes.put(s.name(), "brute force over the subset (quick mode), not " + s.name() + "-groundtruth.ivecs");
            }
        }
        int maxEffort = Integer.getInteger("ann.maxEffort", Integer.MAX_VALUE); // a shorter run: efforts up to this one
        int[] efforts = Arrays.stream(quick ? QUICK_EFFORTS : EFFORTS).filter(e -> e <= maxEffort).toArray();
        log("base %d x %d, %s (max |norm-1|%s: %.2e), query sets %s%s",
                base.length, base[0].length, metric.text(), metric == AnnMetric.IP ? " before normalizing" : "", baseNormError,
                sets.stream().map(s -> s.name() + "=" + s.size()).toList(), quick ? " [quick]" : "");

        List<AnnEngine> engines = engines(trainQueries);
        List<Built> built = new ArrayList<>();
        try {
            for (AnnEngine e : engines) {
                System.gc();
                log("building %s ...", e.name());
                double s = e.build(base, BUILD_THREADS);
                double bpv = e.bytesPerVector();
                built.add(new Built(e, s, bpv));
                log("built %s in %.1f s, %.0f bytes/vector", e.name(), s, bpv);
            }
            System.gc();
            QpsMeter meter = new QpsMeter(K, TIMED_PASSES);
            Map<String, Map<String, Curve>> curves = new LinkedHashMap<>();
            for (QuerySet set : sets) {
                Map<String, Curve> bySet = new LinkedHashMap<>();
                for (Built b : built) {
                    bySet.put(b.engine().name(), new Curve(b.engine().name()));
                    meter.pass(b.engine(), set, 100); // JIT warm-up of the whole search path
                }
                for (int effort : efforts) {
                    for (Built b : built) { // interleaved: drifts in machine load hit every engine alike
                        if (leftTheSweep(bySet.get(b.engine().name()), STOP_AT)) continue;
                        CurvePoint p = meter.measure(b.engine(), set, effort);
                        bySet.get(b.engine().name()).add(p);
                        log("%-14s %-34s effort %4d  recall %.4f  %8.0f QPS", set.name(), b.engine().name(), effort, p.recall(), p.qps());
                    }
                }
                curves.put(set.name(), bySet);
            }
            log("checksum %d", meter.checksum());
            String md = markdown(dataName(data), truthNotes, built, curves, base.length, base[0].length, quick, loadBefore + " → " + loadAverage());
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md);
            System.out.println(md);
            log("wrote %s", out);
        } finally {
            for (AnnEngine e : engines) {
                e.close();
            }
        }
    }

    /**
     * The engines, in report order: the panavec float32 graph, one panavec graph per quantization of
     * {@code -Dann.quant} (comma list of QuantSpec names, default {@code lvq4x8}; each walks its codes and re-ranks
     * the whole beam), then the peers of {@code -Dann.peers} (comma list of lucene, jvector, faiss; default all; FAISS
     * builds HNSW{M},Flat for each M of {@code -Dann.faissM}, default 32,16).
     */
    static List<AnnEngine> engines(float[][] trainQueries) {
        List<AnnEngine> engines = new ArrayList<>();
        engines.add(new PanavecHnswEngine(16, 100));
        for (String q : System.getProperty("ann.quant", "lvq4x8").split(",")) {
            if (!q.isBlank()) engines.add(new PanavecHnswEngine(16, 100, q.trim(), trainQueries));
        }
        List<String> peers = List.of(System.getProperty("ann.peers", "lucene,jvector,faiss").split(","));
        if (peers.contains("lucene")) engines.add(new LuceneHnswEngine(16, 100));
        if (peers.contains("jvector")) engines.add(new JVectorEngine(16, 100));
        if (peers.contains("faiss")) {
            for (String m : System.getProperty("ann.faissM", "32,16").split(",")) engines.add(new FaissHnswEngine(Integer.parseInt(m.trim())));
        }
        return engines;
    }

    /**
     * {@code -Dann.trainQueries=SET:N}: the first N queries of query set SET become the sample LeanVec-OOD learns
     * from, and SET is measured on its other queries only (every engine alike), so no measured query was seen in
     * training. Returns the sample (null without the property).
     */
    static float[][] splitTrainingQueries(List<QuerySet> sets, String spec) {
        if (spec.isBlank()) return null;
        int colon = spec.lastIndexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        for (int i = 0; i < sets.size(); i++) {
            QuerySet s = sets.get(i);
            if (!s.name().equals(name)) continue;
            int n = colon < 0 ? s.size() / 2 : Integer.parseInt(spec.substring(colon + 1));
            if (n < 1 || n >= s.size()) throw new IllegalArgumentException("ann.trainQueries: " + n + " of " + s.size() + " queries of " + name);
            sets.set(i, new QuerySet(name + " (held out: " + (s.size() - n) + " queries after the " + n + " LeanVec-OOD learns from)",
                    Arrays.copyOfRange(s.queries(), n, s.size()), Arrays.copyOfRange(s.groundTruth(), n, s.size())));
            return Arrays.copyOf(s.queries(), n);
        }
        throw new IllegalArgumentException("ann.trainQueries: no query set " + name);
    }

    /** Every NAME with NAME.fvecs and NAME-groundtruth.ivecs in {@code data}, "queries" first, then by name. */
    static List<String> querySetNames(Path data) throws IOException {
        List<String> names = new ArrayList<>();
        try (var files = Files.list(data)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String file = f.getFileName().toString();
                if (file.endsWith("-groundtruth.ivecs")) {
                    String name = file.substring(0, file.length() - "-groundtruth.ivecs".length());
                    if (!name.equals("base") && Files.isRegularFile(data.resolve(name + ".fvecs"))) names.add(name);
                }
            }
        }
        names.sort((a, b) -> a.equals("queries") ? -1 : b.equals("queries") ? 1 : a.compareTo(b));
        return names;
    }

    /** The data directory's own name (what the report is about, whatever data set it is). */
    static String dataName(Path data) {
        Path name = data.toAbsolutePath().normalize().getFileName();
        return name == null ? data.toString() : name.toString();
    }

    /**
     * How well the file's top-10 agrees with brute force by the run's metric over the base (normalized for inner
     * product) on its first queries: a file made for another metric shows here, rather than as a silently low recall.
     */
    static String checkGroundTruth(float[][] base, QuerySet set) {
        QuerySet head = set.head(GROUND_TRUTH_CHECK);
        AnnMetric metric = AnnMetric.RUN;
        int[][] exact = ExactNeighbors.topK(base, head.queries(), K, metric);
        double agree = Recall.mean(K, exact, head.groundTruth());
        String note = String.format(Locale.ROOT, "its top-%d agrees with brute-force %s on the first %d queries at %.4f", K, metric.text(), head.size(), agree);
        if (agree < 0.99) {
            note += " — WARNING: not a ground truth of this base by " + metric.text() + "; recall below is against the file";
            log("%s: %s", set.name(), note);
        }
        return note;
    }

    /** Whether {@code c} is done: it reached {@code stopAt}, or its recall stopped rising. */
    static boolean leftTheSweep(Curve c, double stopAt) {
        return c.firstReaching(stopAt).isPresent() || stoppedRising(c);
    }

    /** Whether the last two steps of {@code c} each added less than {@link #PLATEAU} recall. */
    static boolean stoppedRising(Curve c) {
        List<CurvePoint> p = c.points();
        int n = p.size();
        return n >= 3 && p.get(n - 1).recall() - p.get(n - 2).recall() < PLATEAU && p.get(n - 2).recall() - p.get(n - 3).recall() < PLATEAU;
    }

    static String jvectorVersion() {
        try (var in = AnnReport.class.getResourceAsStream("/META-INF/maven/io.github.jbellis/jvector-base/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "?");
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "? (no pom.properties on the class path)";
    }

    static String markdown(String dataName, Map<String, String> truthNotes, List<Built> built, Map<String, Map<String, Curve>> curves,
                           int n, int dim, boolean quick, String load) {
        StringBuilder md = new StringBuilder();
        md.append("# Approximate search side by side: ").append(dataName).append(quick ? " (QUICK MODE: 20k base, 200 queries)" : "").append("\n\n");
        md.append("- Date: ").append(LocalDate.now()).append("\n");
        md.append("- CPU: ").append(cpuModel()).append(" (").append(simdFlags()).append("), ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores visible; machine shared with other engineers, so absolute numbers carry noise; ratios were measured in the same run, engines interleaved at each effort\n");
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(", Lucene ").append(org.apache.lucene.util.Version.LATEST).append(", JVector ").append(jvectorVersion()).append(" (").append(JVectorEngine.provider())
                .append("), FAISS 1.7.3 via panavec's shim\n");
        md.append("- Data: `").append(dataName).append("`, ").append(n).append(" x ").append(dim).append(" base vectors (`base.fvecs`, ").append(AnnMetric.RUN == AnnMetric.IP ? "normalized, inner product" : "as they are, " + AnnMetric.RUN.text())
                .append(" for every engine); recall@").append(K)
                .append(" against each query set's ground truth:\n");
        for (var t : truthNotes.entrySet()) {
            md.append("  - `").append(t.getKey()).append("`: ").append(t.getValue()).append("\n");
        }
        md.append("- Efforts: ").append(Arrays.toString(Arrays.stream(quick ? QUICK_EFFORTS : EFFORTS)
                        .filter(e -> e <= Integer.getInteger("ann.maxEffort", Integer.MAX_VALUE)).toArray()))
                .append(System.getProperty("ann.maxEffort") == null ? "" : " (capped by -Dann.maxEffort)").append(", each engine until its recall stops rising (two steps in a row each adding < ")
                .append(PLATEAU).append(") or once it reached ").append(STOP_AT).append("; `–` = not measured after that\n");
        md.append("- Load average (1/5/15 min, `/proc/loadavg`), start → end: ").append(load).append("\n");
        md.append("- Build: ").append(BUILD_THREADS).append(" threads per engine, engines one after another. Search: one thread, one query at a time; ")
                .append("per point a warm-up pass then ").append(TIMED_PASSES).append(" timed passes over the query set, median QPS reported\n");
        md.append("- Command: `AnnReport <data dir> <report.md>").append(quick ? " quick" : "").append("`");
        for (String p : new String[] {"ann.metric", "ann.quant", "ann.peers", "ann.faissM", "ann.trainQueries", "ann.maxEffort", "ann.stopAt", "ann.rerank"}) {
            if (System.getProperty(p) != null) md.append(" -D").append(p).append('=').append(System.getProperty(p));
        }
        md.append(" (see bench/README.md)\n\n");

        md.append("## Build\n\n| engine | build s | bytes/vector | counted as | effort knob |\n|---|---:|---:|---|---|\n");
        for (Built b : built) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %s | %s |%n", b.engine().name(), b.buildSeconds(),
                    b.bytesPerVector(), b.engine().bytesNote(), b.engine().effortName()));
        }
        md.append('\n');

        for (var set : curves.entrySet()) {
            String setName = set.getKey();
            Map<String, Curve> bySet = set.getValue();
            md.append("## ").append(setName).append("\n\n");
            md.append("Smallest measured effort reaching each recall@10 target (effort / recall / QPS):\n\n| engine |");
            for (double t : TARGETS) md.append(String.format(Locale.ROOT, " ≥ %.2f |", t));
            md.append("\n|---|");
            for (int i = 0; i < TARGETS.length; i++) md.append("---|");
            md.append('\n');
            for (Curve c : bySet.values()) {
                md.append("| ").append(c.engine()).append(" |");
                for (double t : TARGETS) md.append(' ').append(cell(c, t)).append(" |");
                md.append('\n');
            }
            md.append('\n').append(ratios(built, bySet)).append('\n');
            for (double target : new double[] {0.95, 0.99}) {
                String lean = QuantComparison.table(built, bySet, target);
                if (!lean.isEmpty()) md.append(lean).append('\n');
            }

            md.append("Full curves (recall@10 / QPS):\n\n| effort |");
            for (Curve c : bySet.values()) md.append(' ').append(c.engine()).append(" |");
            md.append("\n|---:|");
            for (int i = 0; i < bySet.size(); i++) md.append("---|");
            md.append('\n');
            List<Integer> efforts = bySet.values().stream().flatMap(c -> c.points().stream()).map(CurvePoint::effort).distinct().sorted().toList();
            for (int e : efforts) {
                md.append("| ").append(e).append(" |");
                for (Curve c : bySet.values()) {
                    Optional<CurvePoint> p = c.at(e);
                    md.append(p.map(x -> String.format(Locale.ROOT, " %.4f / %.0f |", x.recall(), x.qps())).orElse(" – |"));
                }
                md.append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** The ratio tables at each of {@link #RATIO_TARGETS} with the bars, one per panavec engine. */
    static String ratios(List<Built> built, Map<String, Curve> bySet) {
        StringBuilder md = new StringBuilder();
        for (Curve panavec : bySet.values()) {
            if (panavec.engine().startsWith("panavec")) {
                for (double target : RATIO_TARGETS) {
                    md.append(ratios(built, bySet, panavec, target)).append('\n');
                }
            }
        }
        return md.toString().stripTrailing() + "\n";
    }

    /** A bar is met only when both engines reached the target and the ratio clears it. */
    private static String ratios(List<Built> built, Map<String, Curve> bySet, Curve panavec, double target) {
        Optional<CurvePoint> mine = panavec.firstReaching(target);
        String t = String.format(Locale.ROOT, "%.2f", target);
        StringBuilder md = new StringBuilder(panavec.engine() + ": QPS over each engine's at recall@10 ≥ " + t + ":\n\n| vs | ratio | bar | met |\n|---|---:|---:|---|\n");
        double bestFaissQps = -1;
        for (Curve c : bySet.values()) {
            if (c.engine().startsWith("panavec")) continue;
            Optional<CurvePoint> theirs = c.firstReaching(target);
            double bar = c.engine().startsWith("lucene") ? BAR_LUCENE : c.engine().startsWith("jvector") ? BAR_JVECTOR : BAR_FAISS;
            if (c.engine().startsWith("faiss") && theirs.isPresent()) bestFaissQps = Math.max(bestFaissQps, theirs.get().qps());
            if (mine.isEmpty() || theirs.isEmpty()) {
                String who = mine.isEmpty() && theirs.isEmpty() ? "neither" : mine.isEmpty() ? "panavec" : c.engine();
                md.append("| ").append(c.engine()).append(" | n/a (").append(who).append(mine.isEmpty() && theirs.isEmpty() ? " reached " : " never reached ")
                        .append(t).append(") | ").append(bar).append("x | no (not measured at ").append(t).append(") |\n");
                continue;
            }
            double r = mine.get().qps() / theirs.get().qps();
            md.append(String.format(Locale.ROOT, "| %s | %.2fx | %.1fx | %s |%n", c.engine(), r, bar, r >= bar ? "yes" : "no"));
        }
        if (mine.isPresent() && bestFaissQps > 0) {
            double r = mine.get().qps() / bestFaissQps;
            md.append(String.format(Locale.ROOT, "| best FAISS config | %.2fx | %.1fx | %s |%n", r, BAR_FAISS, r >= BAR_FAISS ? "yes" : "no"));
        }
        double panavecBuild = built.stream().filter(b -> b.engine().name().equals(panavec.engine())).findFirst().orElseThrow().buildSeconds();
        Optional<Built> lucene = built.stream().filter(b -> b.engine().name().startsWith("lucene")).findFirst(); // absent under -Dann.peers without lucene
        lucene.ifPresent(l -> md.append(String.format(Locale.ROOT, "| build time vs Lucene | %.2fx of Lucene's | ≤ 1.0x | %s |%n",
                panavecBuild / l.buildSeconds(), panavecBuild <= l.buildSeconds() ? "yes" : "no")));
        return md.toString();
    }

    static String cell(Curve c, double target) {
        return c.firstReaching(target)
                .map(p -> String.format(Locale.ROOT, "%d / %.4f / %.0f", p.effort(), p.recall(), p.qps()))
                .orElseGet(() -> c.best().map(b -> String.format(Locale.ROOT, "not reached (max %.4f at %d)", b.recall(), b.effort())).orElse("–"));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** The SIMD levels the CPU reports (panavec and FAISS pick their kernels from these at run time). */
    static String simdFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    List<String> flags = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    String isa = flags.contains("avx512f") ? "AVX-512" : flags.contains("avx2") && flags.contains("fma") ? "AVX2+FMA" : "no AVX2";
                    String forced = System.getenv("PANAVEC_ISA");
                    return isa + (forced == null ? "" : ", PANAVEC_ISA=" + forced);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return "SIMD level unknown";
    }

    static float[][] readVectors(Path file) throws IOException {
        try (VectorFile f = VectorFile.open(file)) {
            return f.readAll();
        }
    }

    /** The largest |norm - 1| of the rows (left as they are). */
    static double normError(float[][] v) {
        double worst = 0;
        for (float[] row : v) {
            double s = 0;
            for (float x : row) s += (double) x * x;
            worst = Math.max(worst, Math.abs(Math.sqrt(s) - 1));
        }
        return worst;
    }

    /** Scales rows to unit length in place (Lucene's DOT_PRODUCT requires it); returns the largest |norm - 1| seen. */
    static double normalize(float[][] v) {
        double worst = 0;
        for (float[] row : v) {
            double s = 0;
            for (float x : row) s += (double) x * x;
            double norm = Math.sqrt(s);
            worst = Math.max(worst, Math.abs(norm - 1));
            if (norm > 0) {
                for (int i = 0; i < row.length; i++) row[i] = (float) (row[i] / norm);
            }
        }
        return worst;
    }

    private static void log(String fmt, Object... a) {
        System.err.printf(Locale.ROOT, "[annbench] " + fmt + "%n", a);
    }
}
