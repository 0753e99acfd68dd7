package io.panavec.bench.batch;

import io.panavec.FlatIndex;
import io.panavec.Metric;
import io.panavec.internal.NativeMetric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.bench.BenchData;
import io.panavec.bench.ExactScanReport;
import io.panavec.faiss.FaissHits;
import io.panavec.faiss.FaissIndex;
import io.panavec.faiss.SearchParams;
import io.panavec.io.VectorFile;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

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
 * Batch search side by side in one JVM at one thread count, interleaved per repetition: the exact top-10 of a
 * 1,000-query batch per call with panavec's blocked scan ({@code FlatIndex.search(float[][], k)}) against FAISS
 * {@code IndexFlatIP} (its batch search runs sgemm in the OpenBLAS linked into libpanavec); at 2 threads also
 * panavec's HNSW graph answering the batch as one {@code PanavecIndex.search(List)} on its 2 threads against the
 * same batch one query at a time on one thread. OpenBLAS takes its thread count from {@code OPENBLAS_NUM_THREADS}
 * when the library loads, so each thread count is its own process; both append to one report. Medians over
 * repetitions after one warm-up ({@code -Dbatch.warmups=<n>} for more), recall@10 against the shipped ground truth,
 * and the load average.
 * {@code -Dbatch.metric=l2} ranks by squared Euclidean distance instead (FAISS {@code IndexFlatL2}, whose batch
 * search is sgemm too; the ground truth must then be an L2 one); the default is inner product.
 *
 * <p>Usage: {@code OPENBLAS_NUM_THREADS=<t> java @scripts/jvm.options -cp bench/target/benchmarks.jar
 * io.panavec.bench.batch.BatchSearchReport <wordnet-minilm dir> <report.md> <t> [reps]}
 */
public final class BatchSearchReport {
    static final int K = 10;
    static final int EF = 64;
    /** The graph's index spec ({@code -Dbatch.graphSpec}, default the float32 HNSW graph), e.g. with {@code ,quant=lvq8}. */
    static final String GRAPH_SPEC = System.getProperty("batch.graphSpec", "hnsw:M=16,efc=100").trim();
    /** The run's metric: inner product (default) or, with {@code -Dbatch.metric=l2}, squared Euclidean distance. */
    static final boolean L2 = System.getProperty("batch.metric", "ip").trim().equalsIgnoreCase("l2");
    static final Metric METRIC = L2 ? Metric.L2 : Metric.INNER_PRODUCT;
    static final String FAISS = "FAISS IndexFlat" + (L2 ? "L2" : "IP") + " (OpenBLAS sgemm)";
    /** Repetitions run before the measured ones (JIT, caches, the store's pages): 1 unless -Dbatch.warmups says more. */
    static final int WARMUPS = Math.max(1, Integer.getInteger("batch.warmups", 1));

    private BatchSearchReport() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 3) {
            System.err.println("usage: OPENBLAS_NUM_THREADS=<threads> BatchSearchReport <wordnet-minilm dir> <report.md> <threads: 1|2> [reps]");
            System.exit(2);
        }
        Path data = Path.of(args[0]).toAbsolutePath();
        Path report = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        String blas = System.getenv("OPENBLAS_NUM_THREADS");
        if (blas == null || Integer.parseInt(blas.trim()) != threads) {
            // OpenBLAS (linked into libpanavec) reads its thread count once, when the library loads.
            System.err.println("set OPENBLAS_NUM_THREADS=" + threads + " so that FAISS's sgemm runs on " + threads + " thread(s)");
            System.exit(2);
        }
        String loadBefore = ExactScanReport.loadAverage();
        float[][] base = BenchData.read(data.resolve("base.fvecs"));
        float[][] queries = BenchData.read(data.resolve("queries.fvecs"));
        int[][] truth = VectorFile.readIvecs(data.resolve("queries-groundtruth.ivecs"));
        int dim = base[0].length;
        Path tmp = Files.createTempDirectory("panavec-batch-bench");
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, Double> recall = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (VectorStore store = VectorStore.builder(tmp.resolve("v.pvs")).dimension(dim).elementType(ElementType.F32).create()) {
            for (int i = 0; i < base.length; i++) store.append(i, base[i]);
            store.commit();
            FaissIndex faiss = FaissIndex.create(dim, "Flat", L2 ? NativeMetric.L2 : NativeMetric.INNER_PRODUCT);
            faiss.add(base);
            PanavecIndex graph = null;
            if (threads == 2) {
                graph = PanavecIndex.builder(tmp.resolve("hnsw")).dimension(dim).metric(METRIC)
                        .spec(GRAPH_SPEC).threads(2).create();
                long[] ids = new long[base.length];
                for (int i = 0; i < ids.length; i++) ids[i] = i;
                graph.add(ids, base);
            }
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            List<SearchRequest> requests = new ArrayList<>();
            for (float[] q : queries) requests.add(SearchRequest.of(q, K).withEfSearch(EF));
            try (FlatIndex flat = FlatIndex.over(store, METRIC, threads)) {
                for (int rep = 1 - WARMUPS; rep <= reps; rep++) { // reps up to 0 warm up
                    {
                        long s = System.nanoTime();
                        List<List<SearchHit>> mine = flat.search(queries, K);
                        record(seconds, rep, "panavec blocked scan@" + threads, s);
                        recall.put("panavec blocked scan@" + threads, recallOf(mine, truth));
                        FaissIndex.setThreads(threads);
                        s = System.nanoTime();
                        FaissHits[] theirs = faiss.search(queries, K, SearchParams.defaults());
                        record(seconds, rep, FAISS + "@" + threads, s);
                        recall.put(FAISS + "@" + threads, recallOfFaiss(theirs, truth));
                    }
                    if (threads != 2) {
                        continue;
                    }
                    long s = System.nanoTime(), c = processCpuNanos();
                    List<List<SearchHit>> one = new ArrayList<>();
                    for (SearchRequest r : requests) one.add(graph.search(r).hits());
                    record(seconds, rep, "panavec HNSW batch, one query at a time@1", s);
                    recordCpu(cpu, rep, "panavec HNSW batch, one query at a time@1", c);
                    recall.put("panavec HNSW batch, one query at a time@1", recallOf(one, truth));
                    s = System.nanoTime();
                    c = processCpuNanos();
                    List<SearchResult> both = graph.search(requests);
                    record(seconds, rep, "panavec HNSW search(List)@2", s);
                    recordCpu(cpu, rep, "panavec HNSW search(List)@2", c);
                    recall.put("panavec HNSW search(List)@2", recallOf(both.stream().map(SearchResult::hits).toList(), truth));
                }
            }
            if (graph != null) graph.close();
            faiss.close();
            String md = render(seconds, cpu, recall, base.length, dim, queries.length, data, reps, buildSeconds, threads)
                    + "\n" + ExactScanReport.machine(loadBefore) + blasCore() + "\n";
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, md, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            System.out.println(md);
        }
    }

    /**
     * Which sgemm FAISS ran: OpenBLAS picks its kernels from the CPU unless OPENBLAS_CORETYPE names them (e.g.
     * Haswell: AVX2 on an AVX-512 machine, to compare against panavec's AVX2 level, PANAVEC_ISA=avx2).
     */
    static String blasCore() {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        return forced == null || forced.isBlank()
                ? "OpenBLAS kernels: its own CPU detection (OPENBLAS_CORETYPE unset).\n"
                : "OpenBLAS kernels: OPENBLAS_CORETYPE=" + forced.trim() + ".\n";
    }

    private static void record(Map<String, List<Double>> seconds, int rep, String name, long start) {
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "rep %d %s: %.3f s%n", rep, name, s);
        if (rep > 0) seconds.computeIfAbsent(name, n -> new ArrayList<>()).add(s);
    }

    /** CPU time of the whole process (every thread, JIT and GC included), for the graph phases' CPU per batch. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void recordCpu(Map<String, List<Double>> cpu, int rep, String name, long start) {
        if (rep > 0) cpu.computeIfAbsent(name, n -> new ArrayList<>()).add((processCpuNanos() - start) / 1e9);
    }

    static double recallOf(List<List<SearchHit>> hits, int[][] truth) {
        double sum = 0;
        for (int q = 0; q < hits.size(); q++) {
            java.util.Set<Long> t = new java.util.HashSet<>();
            for (int i = 0; i < K; i++) t.add((long) truth[q][i]);
            sum += hits.get(q).stream().limit(K).filter(h -> t.contains(h.id())).count() / (double) K;
        }
        return sum / hits.size();
    }

    static double recallOfFaiss(FaissHits[] hits, int[][] truth) {
        double sum = 0;
        for (int q = 0; q < hits.length; q++) {
            java.util.Set<Long> t = new java.util.HashSet<>();
            for (int i = 0; i < K; i++) t.add((long) truth[q][i]);
            long found = 0;
            for (int i = 0; i < Math.min(K, hits[q].size()); i++) if (t.contains(hits[q].ids()[i])) found++;
            sum += found / (double) K;
        }
        return sum / hits.length;
    }

    static String render(Map<String, List<Double>> seconds, Map<String, List<Double>> cpu, Map<String, Double> recall, int n, int dim, int nq, Path data, int reps,
                         double buildSeconds, int threads) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "## %d thread%s%n%n", threads, threads == 1 ? "" : "s"));
        sb.append(String.format(Locale.ROOT, "Run %s on %s: %,d x %d vectors, %s, top-%d, one batch of %d queries per call "
                + "(queries.fvecs). Median of %d repetitions after %s, interleaved per repetition (panavec, then FAISS"
                + "%s). FAISS: OpenMP and OpenBLAS (OPENBLAS_NUM_THREADS) at %d thread%s. "
                + "HNSW: %s, efSearch %d; setup (store, FAISS copy, graph) took %.0f s.%n%n",
                LocalDate.now(), data.getFileName(), n, dim, L2 ? "L2 (squared Euclidean distance)" : "inner product", K, nq, reps,
                WARMUPS == 1 ? "one warm-up" : WARMUPS + " warm-ups",
                threads == 2 ? "; then the graph: the batch one query at a time on one thread, then as one search(List) on the index's 2 threads" : "",
                threads, threads == 1 ? "" : "s", GRAPH_SPEC, EF, buildSeconds));
        sb.append("| engine | threads | s per batch (median) | queries/s | recall@10 | process CPU s per batch (median) |\n|---|---|---|---|---|---|\n");
        Map<String, Double> qps = new LinkedHashMap<>();
        for (var e : seconds.entrySet()) {
            String[] nt = e.getKey().split("@");
            double med = ExactScanReport.median(e.getValue());
            qps.put(e.getKey(), nq / med);
            List<Double> c = cpu.get(e.getKey());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.0f | %.4f | %s |%n", nt[0], nt[1], med, nq / med, recall.get(e.getKey()),
                    c == null ? "" : String.format(Locale.ROOT, "%.3f", ExactScanReport.median(c))));
        }
        sb.append("\nRatios in this run:\n\n");
        Double a = qps.get("panavec blocked scan@" + threads), b = qps.get(FAISS + "@" + threads);
        if (a != null && b != null) {
            sb.append(String.format(Locale.ROOT, "- exact batch, %d thread%s: panavec / FAISS = %.2fx%n", threads, threads == 1 ? "" : "s", a / b));
        }
        Double g1 = qps.get("panavec HNSW batch, one query at a time@1"), g2 = qps.get("panavec HNSW search(List)@2");
        if (g1 != null && g2 != null) {
            sb.append(String.format(Locale.ROOT, "- graph batch: 2 threads / 1 thread = %.2fx%n", g2 / g1));
            List<Double> c1 = cpu.get("panavec HNSW batch, one query at a time@1"), c2 = cpu.get("panavec HNSW search(List)@2");
            if (c1 != null && c2 != null) {
                sb.append(String.format(Locale.ROOT, "- graph batch CPU per batch: 2 threads / 1 thread = %.2fx (the work the second thread adds or"
                        + " loses to caches and coordination; 2x wall-clock scaling needs 1.00x)%n", ExactScanReport.median(c2) / ExactScanReport.median(c1)));
            }
        }
        return sb.toString();
    }
}
