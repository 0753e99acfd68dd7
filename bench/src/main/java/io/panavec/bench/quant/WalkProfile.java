package io.panavec.bench.quant;

import io.panavec.bench.BenchData;
import io.panavec.bench.ExactScanReport;
import io.panavec.engine.QuantizedSearch;
import io.panavec.graph.HnswGraph;
import io.panavec.graph.VectorView;
import io.panavec.internal.NativeMetric;
import io.panavec.quant.QuantSpec;
import io.panavec.quant.QuantizedVectors;
import io.panavec.quant.Quantizer;
import io.panavec.quant.Quantizers;
import io.panavec.store.ElementType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a quantized graph walk spends its time: one HNSW graph (built on the float32 rows, cached as
 * {@link MemoryBudgetReport} caches it) walked on the codes of each method of {@code -Dwalk.specs}, at each beam
 * of {@code -Dwalk.efs}: per query the distance computations (hops' scored rows), the code bytes those read,
 * the walk alone (no re-rank) and walk + re-rank of the whole beam (the float32 rows, or the second level),
 * median of 3 timed passes, one thread, and recall@10 against the set's ground truth. The ns per scored row
 * of the walk is the per-hop cost LeanVec's smaller codes are meant to cut. Kernel-level (no index directory):
 * the same {@link QuantizedSearch} path the engines take, without PanavecIndex's per-request work.
 *
 * <p>{@code WalkProfile <data dir> <report.md>}; {@code -Dwalk.set=queries} (or queries-words: LeanVec-OOD then
 * learns from its first 1,000 and the rest are measured), {@code -Dwalk.trainQueries=queries-words:1000}.
 */
public final class WalkProfile {
    private WalkProfile() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: WalkProfile <data dir> <report.md>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String loadBefore = ExactScanReport.loadAverage();
        float[][] base = BenchData.read(dir.resolve("base.fvecs"));
        int n = base.length, dim = base[0].length;
        float[][] words = BenchData.read(dir.resolve("queries-words.fvecs"));
        int[][] wordsTruth = MemoryBudgetReport.readIvecs(dir.resolve("queries-words-groundtruth.ivecs"));
        int train = 1000;
        float[][] oodTrain = Arrays.copyOfRange(words, 0, train);
        String set = System.getProperty("walk.set", "queries");
        float[][] queries;
        int[][] truth;
        if (set.equals("queries-words")) {
            queries = Arrays.copyOfRange(words, train, words.length);
            truth = Arrays.copyOfRange(wordsTruth, train, words.length);
        } else {
            queries = BenchData.read(dir.resolve(set + ".fvecs"));
            truth = MemoryBudgetReport.readIvecs(dir.resolve(set + "-groundtruth.ivecs"));
        }
        int[] efs = Arrays.stream(System.getProperty("walk.efs", "16,24,32,40,48,64").split(",")).mapToInt(Integer::parseInt).toArray();
        String[] specs = System.getProperty("walk.specs", "lvq4,leanvec-id.128.lvq4,leanvec-id.128.lvq8,leanvec-id.96.lvq8").split(",");
        // re-rank depth = ceil(factor * ef): the best code-scored rows of the whole walk (the beam stays ef wide)
        double[] factors = Arrays.stream(System.getProperty("walk.rerank", "1").split(",")).mapToDouble(Double::parseDouble).toArray();
        StringBuilder md = new StringBuilder();
        md.append("# Quantized walk profile: ").append(dir.getFileName()).append(", ").append(set).append("\n\n");
        md.append(String.format(Locale.ROOT, "- %d x %d base, %d queries; graph hnsw M=%d efc=%d on the float32 rows, walked on each method's codes; one thread%n",
                n, dim, queries.length, MemoryBudgetReport.M, MemoryBudgetReport.EFC));
        md.append("- walk = graph search over the codes only; +rerank = walk + its best `re-rank` code-scored rows re-ranked (second level, or float32 rows); median of 3 passes\n\n");
        md.append("| method | code B/row | ef | re-rank | recall@10 (walk) | recall@10 (+rerank) | scored rows/query | code KB/query | walk QPS | walk CPU us/query | CPU ns per scored row | +rerank QPS | +rerank CPU us/query |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment floats = arena.allocate((long) n * dim * 4, 64);
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(base[i], 0, floats, ValueLayout.JAVA_FLOAT, (long) i * dim * 4, dim);
            }
            VectorView view = new VectorView(new MemorySegment[] {floats}, 40, n, dim, ElementType.F32);
            HnswGraph graph = MemoryBudgetReport.graph(view, n, dim);
            float[][] sample = MemoryBudgetReport.sample(base, 20000, 7);
            for (String m : specs) {
                QuantSpec spec = QuantSpec.parse(m.trim());
                Quantizer quantizer = Quantizers.train(spec, sample, oodTrain);
                try (QuantizedVectors codes = QuantizedVectors.encode(quantizer, base)) {
                    QuantizedSearch search = new QuantizedSearch(codes, NativeMetric.INNER_PRODUCT, floats);
                    QuantizedSearch.Rerank how = search.defaultRerank();
                    for (int ef : efs) {
                        long[] scored = {0};
                        double walkQps = qps(queries, q -> scored[0] += search.searchGraph(graph, q, 10, ef, ef, QuantizedSearch.Rerank.NONE).codesScored());
                        double walkCpu = lastCpuMicros;
                        long[][] walkFound = new long[queries.length][];
                        for (int i = 0; i < queries.length; i++) {
                            walkFound[i] = search.searchGraph(graph, queries[i], 10, ef, ef, QuantizedSearch.Rerank.NONE).rows();
                        }
                        double perQuery = scored[0] / ((TIMED ? 4.0 : 1.0) * queries.length); // qps() runs 1 warm-up + 3 passes
                        for (double f : factors) {
                            int depth = (int) Math.ceil(f * ef);
                            long[][] found = new long[queries.length][];
                            double rerankQps = timed(queries, i -> found[i] = search.searchGraph(graph, queries[i], 10, ef, depth, how).rows());
                            double rerankCpu = lastCpuMicros;
                            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.4f | %.4f | %.0f | %.1f | %.0f | %.1f | %.1f | %.0f | %.1f |%n",
                                    m, codes.primaryBytesPerVector(), ef, depth, recall(walkFound, truth), recall(found, truth), perQuery,
                                    perQuery * codes.primaryBytesPerVector() / 1024.0, walkQps, walkCpu, walkCpu * 1e3 / perQuery, rerankQps, rerankCpu));
                            System.err.print(md.substring(md.lastIndexOf("| " + m)));
                        }
                    }
                }
            }
            graph.close();
        }
        md.append("\n").append(ExactScanReport.machine(loadBefore)).append("\n");
        Files.writeString(Path.of(args[1]), md.toString());
        System.out.println(md);
    }

    interface PerQuery {
        void run(float[] q);
    }

    interface PerIndex {
        void run(int i);
    }

    /** One warm-up pass, then the median of 3 timed passes, in queries per second. */
    static double qps(float[][] queries, PerQuery s) {
        return timed(queries, i -> s.run(queries[i]));
    }

    /** Wall-clock queries/s (median of 3 passes after a warm-up); {@link #lastCpuMicros} gets the median CPU microseconds per query. */
    static double timed(float[][] queries, PerIndex s) {
        for (int i = 0; i < queries.length; i++) s.run(i);
        if (!TIMED) { // -Dwalk.timed=false: recall and scored rows only (one pass), e.g. niced beside other work
            lastCpuMicros = Double.NaN;
            return Double.NaN;
        }
        double[] secs = new double[3], cpu = new double[3];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < 3; rep++) {
            long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            for (int i = 0; i < queries.length; i++) s.run(i);
            secs[rep] = (System.nanoTime() - t0) / 1e9;
            cpu[rep] = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / queries.length;
        }
        Arrays.sort(secs);
        Arrays.sort(cpu);
        lastCpuMicros = cpu[1];
        return queries.length / secs[1];
    }

    private static final boolean TIMED = Boolean.parseBoolean(System.getProperty("walk.timed", "true"));

    /** CPU time of this thread per query in the last {@link #timed} call (median pass): less sensitive to a loaded machine than wall time. */
    static double lastCpuMicros;

    static double recall(long[][] found, int[][] truth) {
        long hits = 0;
        for (int i = 0; i < found.length; i++) {
            hits += MemoryBudgetReport.overlap(found[i], truth[i]);
        }
        return hits / (10.0 * found.length);
    }
}
