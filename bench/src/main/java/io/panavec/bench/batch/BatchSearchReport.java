package io.panavec.bench.batch;

import io.panavec.FlatIndex;
import io.panavec.Metric;
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
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batch search side by side in one JVM, interleaved per repetition: the exact top-10 of a 1,000-query batch per
 * call with panavec's blocked scan ({@code FlatIndex.search(float[][], k)}) against FAISS {@code IndexFlatIP}
 * (its batch search runs sgemm in OpenBLAS), at one thread and at two (OpenMP and OpenBLAS threads set to the
 * same count); and panavec's HNSW graph answering the batch ({@code PanavecIndex.search(List)}) on its two
 * threads against the same batch one query at a time on one thread. Medians over repetitions after one warm-up,
 * recall@10 against the shipped ground truth, and the load average.
 *
 * <p>Usage: {@code java @scripts/jvm.options -cp bench/target/benchmarks.jar io.panavec.bench.batch.BatchSearchReport
 * <wordnet-minilm dir> <report.md> [reps]}
 */
public final class BatchSearchReport {
    static final int K = 10;
    static final int EF = 64;

    private BatchSearchReport() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: BatchSearchReport <wordnet-minilm dir> <report.md> [reps]");
            System.exit(2);
        }
        Path data = Path.of(args[0]).toAbsolutePath();
        Path report = Path.of(args[1]);
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String loadBefore = ExactScanReport.loadAverage();
        float[][] base = BenchData.read(data.resolve("base.fvecs"));
        float[][] queries = BenchData.read(data.resolve("queries.fvecs"));
        int[][] truth = VectorFile.readIvecs(data.resolve("queries-groundtruth.ivecs"));
        int dim = base[0].length;
        Path tmp = Files.createTempDirectory("panavec-batch-bench");
        MethodHandle openblasThreads = openblasSetNumThreads();
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Map<String, Double> recall = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (VectorStore store = VectorStore.builder(tmp.resolve("v.pvs")).dimension(dim).elementType(ElementType.F32).create()) {
            for (int i = 0; i < base.length; i++) store.append(i, base[i]);
            store.commit();
            FaissIndex faiss = FaissIndex.create(dim, "Flat", Metric.INNER_PRODUCT);
            faiss.add(base);
            PanavecIndex graph = PanavecIndex.builder(tmp.resolve("hnsw")).dimension(dim).metric(Metric.INNER_PRODUCT)
                    .spec("hnsw:M=16,efc=100").threads(2).create();
            long[] ids = new long[base.length];
            for (int i = 0; i < ids.length; i++) ids[i] = i;
            graph.add(ids, base);
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            List<SearchRequest> requests = new ArrayList<>();
            for (float[] q : queries) requests.add(SearchRequest.of(q, K).withEfSearch(EF));
            try (FlatIndex flat1 = FlatIndex.over(store, Metric.INNER_PRODUCT, 1); FlatIndex flat2 = FlatIndex.over(store, Metric.INNER_PRODUCT, 2)) {
                for (int rep = 0; rep <= reps; rep++) { // rep 0 warms up
                    for (int threads : new int[] {1, 2}) {
                        FlatIndex flat = threads == 1 ? flat1 : flat2;
                        long s = System.nanoTime();
                        List<List<SearchHit>> mine = flat.search(queries, K);
                        record(seconds, rep, "panavec blocked scan@" + threads, s);
                        recall.put("panavec blocked scan@" + threads, recallOf(mine, truth));
                        FaissIndex.setThreads(threads);
                        if (openblasThreads != null) openblasThreads.invokeExact(threads);
                        s = System.nanoTime();
                        FaissHits[] theirs = faiss.search(queries, K, SearchParams.defaults());
                        record(seconds, rep, "FAISS IndexFlatIP (OpenBLAS sgemm)@" + threads, s);
                        recall.put("FAISS IndexFlatIP (OpenBLAS sgemm)@" + threads, recallOfFaiss(theirs, truth));
                    }
                    long s = System.nanoTime();
                    List<List<SearchHit>> one = new ArrayList<>();
                    for (SearchRequest r : requests) one.add(graph.search(r).hits());
                    record(seconds, rep, "panavec HNSW batch, one query at a time@1", s);
                    recall.put("panavec HNSW batch, one query at a time@1", recallOf(one, truth));
                    s = System.nanoTime();
                    List<SearchResult> both = graph.search(requests);
                    record(seconds, rep, "panavec HNSW search(List)@2", s);
                    recall.put("panavec HNSW search(List)@2", recallOf(both.stream().map(SearchResult::hits).toList(), truth));
                }
            }
            graph.close();
            faiss.close();
            String md = render(seconds, recall, base.length, dim, queries.length, data, reps, buildSeconds, openblasThreads != null)
                    + "\n" + ExactScanReport.machine(loadBefore);
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, md);
            System.out.println(md);
        }
    }

    private static void record(Map<String, List<Double>> seconds, int rep, String name, long start) {
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "rep %d %s: %.3f s%n", rep, name, s);
        if (rep > 0) seconds.computeIfAbsent(name, n -> new ArrayList<>()).add(s);
    }

    /** openblas_set_num_threads from the OpenBLAS that FAISS calls (already loaded with libpanavec), or null. */
    private static MethodHandle openblasSetNumThreads() {
        for (String lib : new String[] {"libopenblas.so.0", "libopenblas.so"}) {
            try {
                SymbolLookup l = SymbolLookup.libraryLookup(lib, Arena.global());
                var sym = l.find("openblas_set_num_threads");
                if (sym.isPresent()) {
                    return Linker.nativeLinker().downcallHandle(sym.get(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
                }
            } catch (IllegalArgumentException e) {
                // not this name
            }
        }
        return null;
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

    static String render(Map<String, List<Double>> seconds, Map<String, Double> recall, int n, int dim, int nq, Path data, int reps,
                         double buildSeconds, boolean openblasSet) {
        StringBuilder sb = new StringBuilder("# Batch search: panavec's blocked scan vs FAISS IndexFlatIP (OpenBLAS), graph batch on 2 threads vs 1\n\n");
        sb.append(String.format(Locale.ROOT, "Run %s on %s: %,d x %d vectors, inner product, top-%d, one batch of %d queries per call "
                + "(queries.fvecs). Median of %d repetitions after one warm-up, interleaved (exact: panavec then FAISS at 1 thread, "
                + "then at 2; then the graph one query at a time, then as one search(List)). FAISS threads: OpenMP %s. "
                + "HNSW: hnsw:M=16,efc=100, efSearch %d, built in %.0f s (with the store and the FAISS copy).%n%n",
                LocalDate.now(), data.getFileName(), n, dim, K, nq, reps,
                openblasSet ? "and OpenBLAS (openblas_set_num_threads) set to the thread count" : "set to the thread count (OpenBLAS threads not found: its default)",
                EF, buildSeconds));
        sb.append("| engine | threads | s per batch (median) | queries/s | recall@10 |\n|---|---|---|---|---|\n");
        Map<String, Double> qps = new LinkedHashMap<>();
        for (var e : seconds.entrySet()) {
            String[] nt = e.getKey().split("@");
            double med = ExactScanReport.median(e.getValue());
            qps.put(e.getKey(), nq / med);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.0f | %.4f |%n", nt[0], nt[1], med, nq / med, recall.get(e.getKey())));
        }
        sb.append("\nRatios in this run:\n\n");
        for (int t : new int[] {1, 2}) {
            Double a = qps.get("panavec blocked scan@" + t), b = qps.get("FAISS IndexFlatIP (OpenBLAS sgemm)@" + t);
            if (a != null && b != null) {
                sb.append(String.format(Locale.ROOT, "- exact batch, %d thread%s: panavec / FAISS = %.2fx%n", t, t == 1 ? "" : "s", a / b));
            }
        }
        Double g1 = qps.get("panavec HNSW batch, one query at a time@1"), g2 = qps.get("panavec HNSW search(List)@2");
        if (g1 != null && g2 != null) {
            sb.append(String.format(Locale.ROOT, "- graph batch: 2 threads / 1 thread = %.2fx%n", g2 / g1));
        }
        return sb.toString();
    }
}
