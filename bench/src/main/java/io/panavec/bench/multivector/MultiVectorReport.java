package io.panavec.bench.multivector;

import io.panavec.bench.multivector.Routes.Answer;
import io.panavec.bench.multivector.Routes.Route;
import io.panavec.io.VectorFile;
import io.panavec.multivector.FdeConfig;
import io.panavec.multivector.MultiVectorIndex;
import io.panavec.store.ElementType;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;

/**
 * Multi-vector retrieval side by side (issue 14): exact Chamfer scan, the pooled-vector route (panavec HNSW and
 * Lucene's LateInteractionRescorer), the token-level route, and panavec MUVERA at several settings; recall@10
 * against exact Chamfer top-10 (the ground truth of ../shared/tools/multivector/chamfer-groundtruth.sh), single-
 * thread QPS, documents re-ranked per query, RAM bytes per document, build seconds.
 *
 * <p>Usage: {@code MultiVectorReport <data dir> <report.md> [docs N] [queries Q] [exact-queries E] [muvera SPEC;SPEC..]}
 * where the data dir holds {@code docs.*}, {@code queries.*}, {@code queries-words.*} (tokens .fvecs/.npy and
 * offsets .ivecs) and {@code queries-chamfer-groundtruth.ivecs}, {@code queries-words-chamfer-groundtruth.ivecs}
 * computed over the same first N documents ({@code --max-docs N}). A MUVERA SPEC is {@code <fde config>|<index spec>[|f16]}.
 * Per route: one warm-up pass of the first 20 queries at every knob of every set; then per knob a warm-up pass over
 * the first 20 queries and the timed passes over Q queries.
 */
public final class MultiVectorReport {
    private static final List<Integer> CANDIDATES = List.of(20, 50, 100, 200, 400, 800);
    /** MUVERA needs deeper candidate lists than the pooled route on this model's tokens (see the results). */
    private static final List<Integer> MUVERA_CANDIDATES = List.of(20, 50, 100, 200, 400, 800, 1600);
    /** LateInteractionRescorer re-scores on the heap, at a few documents per millisecond: 800 bounds its run time. */
    private static final List<Integer> LUCENE_CANDIDATES = CANDIDATES;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path report = Path.of(args[1]);
        int docsLimit = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int queryLimit = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        int exactQueries = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        String muveraSpecs = args.length > 5 ? args[5]
                : "fde:r=20,k=3,d=32,final=2048|hnsw:M=16,efc=100;fde:r=20,k=3,d=32,final=2048|hnsw:M=16,efc=100,quant=lvq4;"
                + "fde:r=20,k=3,d=32,final=2048|faiss:PQ256";
        StringBuilder out = new StringBuilder();
        String load0 = load();
        long t0 = System.nanoTime();
        TokenData docs = TokenData.read(data, "docs", docsLimit);
        int offset = Integer.getInteger("mv.queryOffset", 0);
        List<QuerySet> sets = List.of(QuerySet.read(data, "queries", offset, queryLimit, docs.size()),
                QuerySet.read(data, "queries-words", offset, queryLimit, docs.size()));
        System.err.printf("loaded %d docs (%d tokens), %d + %d queries in %.0f s%n", docs.size(), docs.tokens(),
                sets.get(0).size(), sets.get(1).size(), (System.nanoTime() - t0) / 1e9);
        String reuse = System.getProperty("mv.work"); // a work directory of an earlier run: its MUVERA indexes are reopened
        Path work = reuse != null ? Path.of(reuse) : Files.createTempDirectory("mvbench");
        List<Route> routes = new ArrayList<>();
        out.append("# Multi-vector retrieval: MUVERA vs exact, pooled-vector and token-level routes\n\n");
        out.append(String.format(Locale.ROOT, "- Data: %s: first %d documents (%d token vectors, %.2f per document, 384-d float32), %d gloss and %d word queries (from query %d on); "
                        + "ground truth: exact Chamfer top-10 from chamfer-groundtruth.sh over the same documents.%n",
                data.getFileName(), docs.size(), docs.tokens(), (double) docs.tokens() / docs.size(), sets.get(0).size(), sets.get(1).size(), offset));
        out.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.arch")).append("; JVM ").append(System.getProperty("java.version"))
                .append("; build threads 2, search one thread, one query at a time.\n");
        out.append("- Load before the run: ").append(load0).append("\n");
        out.append("- Timing: per route a warm-up pass of the first 20 queries at every knob of every set (JIT), then per knob a warm-up pass over the first 20 queries and " + PASSES + " timed passes; QPS is queries / wall seconds of the median pass.\n");
        out.append("  The exact scan is timed on the first ").append(exactQueries).append(" queries of each set.\n");
        out.append("- RAM per document: what the search structure holds in memory; token vectors are read from the memory-mapped store "
                + "for the re-ranked documents only (float32 tokens of a document: ")
                .append(Math.round(4.0 * 384 * docs.tokens() / docs.size())).append(" bytes on average).\n\n");

        if (reuse != null) warm(work);
        List<Result> results = new ArrayList<>();
        Set<String> wanted = Set.of(System.getProperty("mv.routes", "muvera,exact,pooled,lucene,tokens").split(","));
        try {
            // The MUVERA routes first; the first one's token store also serves the exact scan and the re-rank of the other
            // routes, the others are closed and deleted once measured (each holds its own copy of the tokens).
            // The first MUVERA setting's token store also serves the exact scan and the re-rank of the other routes; the
            // other MUVERA settings run after the pooled and Lucene routes and are deleted once measured (each holds its
            // own copy of the tokens). The token-level route, the slowest to build, comes last.
            List<Routes.Muvera> muvera = new ArrayList<>();
            for (String s : muveraSpecs.split(";")) {
                String[] p = s.split("\\|");
                ElementType type = p.length > 2 && p[2].equals("f16") ? ElementType.F16 : ElementType.F32;
                muvera.add(new Routes.Muvera(FdeConfig.parse(p[0]), p[1], type, MUVERA_CANDIDATES, 0, work.resolve("muvera" + muvera.size())));
            }
            Routes.Muvera first = keep(routes, muvera.get(0));
            results.add(run(first, docs, sets, Integer.MAX_VALUE));
            partial(report, out, results, sets, docs);
            int deeper = Integer.getInteger("mv.fdeRerankFactor", 0);
            if (deeper > 0) { // the same index, its quantized FDE candidates re-scored deeper by float FDEs before Chamfer
                results.add(run(first.deeperFdeRerank(deeper), docs, sets, Integer.MAX_VALUE));
                partial(report, out, results, sets, docs);
            }
            MultiVectorIndex shared = first.index;
            if (wanted.contains("exact")) {
                results.add(run(new Routes.Exact(shared), docs, sets, exactQueries));
                partial(report, out, results, sets, docs);
            }
            if (wanted.contains("pooled")) {
                results.add(run(keep(routes, new Routes.Pooled(shared, work.resolve("pooled"), CANDIDATES)), docs, sets, Integer.MAX_VALUE));
                partial(report, out, results, sets, docs);
            }
            if (wanted.contains("lucene")) {
                results.add(run(keep(routes, new Routes.Lucene(work.resolve("lucene"), LUCENE_CANDIDATES)), docs, sets, Integer.MAX_VALUE));
                partial(report, out, results, sets, docs);
            }
            for (int i = 1; i < muvera.size(); i++) {
                results.add(run(muvera.get(i), docs, sets, Integer.MAX_VALUE));
                muvera.get(i).close();
                deleteRecursively(work.resolve("muvera" + i));
                partial(report, out, results, sets, docs);
            }
            if (wanted.contains("tokens")) {
                results.add(run(keep(routes, new Routes.TokenLevel(shared, work.resolve("tokens"), List.of(4, 8, 16, 32, 64))), docs, sets, Integer.MAX_VALUE));
            }
            write(out, results, sets, docs);
        } finally {
            for (Route r : routes) r.close();
        }
        out.append("\n- Load after the run: ").append(load()).append(String.format(Locale.ROOT, "; total %.0f s.%n", (System.nanoTime() - t0) / 1e9));
        Files.writeString(report, out.toString());
        System.err.println("wrote " + report);
        System.exit(0);
    }

    /**
     * Queries offset .. offset + n - 1 of a set; their ground-truth rows are read when first needed, so a run can start
     * while the ground truth is still being computed ({@code -Dmv.truthWaitSeconds=S} waits up to S seconds for the file).
     */
    static final class QuerySet {
        private final String name;
        private final float[][][] queries;
        private final Path truthFile;
        private final int offset;
        private final int docs;
        private int[][] truth;

        private QuerySet(String name, float[][][] queries, Path truthFile, int offset, int docs) {
            this.name = name;
            this.queries = queries;
            this.truthFile = truthFile;
            this.offset = offset;
            this.docs = docs;
        }

        static QuerySet read(Path dir, String prefix, int offset, int limit, int docs) throws IOException {
            float[][][] all = TokenData.read(dir, prefix, offset + limit).sets();
            float[][][] q = Arrays.copyOfRange(all, Math.min(offset, all.length), all.length);
            return new QuerySet(prefix, q, dir.resolve(prefix + "-chamfer-groundtruth.ivecs"), offset, docs);
        }

        String name() {
            return name;
        }

        float[][][] queries() {
            return queries;
        }

        int[][] truth() throws IOException {
            if (truth != null) return truth;
            long waitUntil = System.nanoTime() + Integer.getInteger("mv.truthWaitSeconds", 0) * 1_000_000_000L;
            if (!Files.exists(truthFile)) {
                System.err.println("waiting for " + truthFile);
                while (!Files.exists(truthFile) && System.nanoTime() < waitUntil) sleep(10_000);
                sleep(5_000); // let the writer finish the file it just created
            }
            int[][] all = VectorFile.readIvecs(truthFile);
            int[][] gt = Arrays.copyOfRange(all, Math.min(offset, all.length), all.length);
            if (gt.length < queries.length) throw new IOException(name + ": ground truth has " + gt.length + " rows for " + queries.length + " queries");
            for (int i = 0; i < queries.length; i++) {
                for (int j = 0; j < Routes.K; j++) {
                    if (gt[i][j] >= docs) {
                        throw new IOException(name + ": ground truth row " + i + " names document " + gt[i][j] + " beyond the " + docs
                                + " used: compute it with --max-docs " + docs);
                    }
                }
            }
            return truth = gt;
        }

        private static void sleep(long ms) throws IOException {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the ground truth", e);
            }
        }

        int size() {
            return queries.length;
        }
    }

    record Point(int knob, double recall, double qps, double reranked) {}

    /** Reads every file of a reused work directory once, so the first route timed does not pay the disk reads of the others. */
    private static void warm(Path dir) throws IOException {
        long t0 = System.nanoTime(), bytes = 0;
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(1 << 20);
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
                    for (int r; (r = ch.read(buf.clear())) > 0; ) bytes += r;
                }
            }
        }
        System.err.printf(Locale.ROOT, "warmed the page cache with %,d bytes of %s in %.0f s%n", bytes, dir, (System.nanoTime() - t0) / 1e9);
    }

    /** -Dmv.measure=false builds (or reopens) the routes' indexes in the work directory without timing a search. */
    private static final boolean MEASURE = Boolean.parseBoolean(System.getProperty("mv.measure", "true"));

    /** Timed passes per route and knob (-Dmv.passes, odd; default 3): the QPS is their median. */
    private static final int PASSES = Integer.getInteger("mv.passes", 3);

    /** Three significant digits: the exact scan answers a fraction of a query per second. */
    static String qps(double qps) {
        return qps >= 100 ? String.format(Locale.ROOT, "%.0f", qps) : String.format(Locale.ROOT, "%.3g", qps);
    }

    record Result(Route route, String name, double buildSeconds, long ramPerDoc, String ramNote, List<List<Point>> curves, String load) {}

    private static Result run(Route route, TokenData docs, List<QuerySet> sets, int queryCap) throws IOException {
        String loadBefore = load();
        System.err.println("building " + route.name() + " (load " + loadBefore + ")");
        double build = route.build(docs);
        System.err.printf(Locale.ROOT, "  built in %.1f s%n", build);
        List<List<Point>> curves = new ArrayList<>();
        if (MEASURE) { // every knob of every set once before any timing: the first knob's passes otherwise ran partly before JIT
            for (QuerySet set : sets) {
                for (int knob : route.knobs()) {
                    for (int q = 0; q < Math.min(20, Math.min(queryCap, set.size())); q++) route.search(set.queries()[q], knob);
                }
            }
        }
        for (QuerySet set : sets) {
            if (!MEASURE) {
                curves.add(List.of());
                continue;
            }
            int n = Math.min(queryCap, set.size());
            List<Point> curve = new ArrayList<>();
            for (int knob : route.knobs()) {
                for (int q = 0; q < Math.min(20, n); q++) route.search(set.queries()[q], knob); // warm-up
                double recall = 0;
                long reranked = 0;
                // PASSES timed passes, QPS their median: one pass let a page-cache refill or a neighbour's burst move a point
                double[] seconds = new double[PASSES];
                for (int pass = 0; pass < PASSES; pass++) {
                    long start = System.nanoTime();
                    for (int q = 0; q < n; q++) {
                        Answer a = route.search(set.queries()[q], knob);
                        if (pass == 0) {
                            recall += Routes.recall(a.ids(), set.truth()[q]);
                            reranked += a.reranked();
                        }
                    }
                    seconds[pass] = (System.nanoTime() - start) / 1e9;
                }
                Arrays.sort(seconds);
                Point p = new Point(knob, recall / n, n / seconds[PASSES / 2], (double) reranked / n);
                curve.add(p);
                System.err.printf(Locale.ROOT, "  %s knob %d: recall@10 %.3f, %.1f q/s, %.0f re-ranked%n", set.name(), knob, p.recall(), p.qps(), p.reranked());
                if (p.recall() >= 0.999 && knob != route.knobs().get(route.knobs().size() - 1)) break; // the curve is flat from here
            }
            curves.add(curve);
        }
        return new Result(route, route.name(), build, route.ramBytesPerDocument(), route.ramNote(), curves, loadBefore + " → " + load());
    }

    private static void write(StringBuilder out, List<Result> results, List<QuerySet> sets, TokenData docs) {
        out.append("## Build and memory\n\n| route | build s | RAM bytes / doc | counted as | load average when measured |\n|---|---:|---:|---|---|\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f | %,d | %s | %s |%n", r.name(), r.buildSeconds(), r.ramPerDoc(), r.ramNote(), r.load()));
        }
        for (int s = 0; s < sets.size(); s++) {
            out.append("\n## ").append(sets.get(s).name()).append(": recall@10 / QPS\n\n")
                    .append("| route | knob | value | recall@10 | QPS | docs re-ranked / query |\n|---|---|---:|---:|---:|---:|\n");
            for (Result r : results) {
                for (Point p : r.curves().get(s)) {
                    out.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %s | %.0f |%n", r.name(), r.route().knobName(), p.knob(),
                            p.recall(), qps(p.qps()), p.reranked()));
                }
            }
            for (double bar : new double[] {0.90, 0.95}) {
                out.append(String.format(Locale.ROOT, "%n### %s: fastest measured point at recall@10 >= %.2f%n%n| route | QPS | recall@10 | knob | docs re-ranked / query |%n|---|---:|---:|---:|---:|%n",
                        sets.get(s).name(), bar));
                for (Result r : results) {
                    Point best = best(r.curves().get(s), bar);
                    out.append(best == null
                            ? "| " + r.name() + " | not reached | | | |\n"
                            : String.format(Locale.ROOT, "| %s | %s | %.3f | %d | %.0f |%n", r.name(), qps(best.qps()), best.recall(), best.knob(), best.reranked()));
                }
            }
        }
    }

    private static <R extends Route> R keep(List<Route> open, R route) {
        open.add(route);
        return route;
    }

    /** Writes what is measured so far, so that a run stopped part-way keeps its finished routes. */
    private static void partial(Path report, StringBuilder header, List<Result> results, List<QuerySet> sets, TokenData docs) throws IOException {
        StringBuilder out = new StringBuilder(header);
        write(out, results, sets, docs);
        out.append("\n- (partial: the run was still going when this was written; load now ").append(load()).append(")\n");
        Files.writeString(report, out.toString());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** The highest-QPS point reaching {@code bar}, or null. */
    static Point best(List<Point> curve, double bar) {
        Point best = null;
        for (Point p : curve) {
            if (p.recall() >= bar && (best == null || p.qps() > best.qps())) best = p;
        }
        return best;
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
