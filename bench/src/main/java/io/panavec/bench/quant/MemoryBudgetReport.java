package io.panavec.bench.quant;

import io.panavec.internal.NativeMetric;
import io.panavec.bench.BenchData;
import io.panavec.faiss.FaissIndex;
import io.panavec.graph.HnswGraph;
import io.panavec.graph.VectorView;
import io.panavec.quant.QuantSpec;
import io.panavec.engine.QuantizedSearch;
import io.panavec.quant.QuantizedVectors;
import io.panavec.quant.Quantizer;
import io.panavec.quant.Quantizers;
import io.panavec.store.ElementType;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * The memory-budget report: for every quantization method, bytes per vector in RAM, encode
 * throughput, recall@10 at a fixed re-rank depth and single-thread QPS, on both wordnet-minilm
 * query sets, as one Markdown table, plus a recall-versus-bytes PNG.
 *
 * <p>All graph methods search the same HNSW graph (built once from float32, M=16, efConstruction=100):
 * the float32 row walks float vectors, every other row walks its codes and re-ranks the best
 * {@value #RERANK} (two-level LVQ with its residual level, the rest with float32 rows). FAISS PQ/OPQ
 * rows are exhaustive ADC scans through the shim, re-ranked the same way.
 *
 * <p>queries-words: LeanVec-OOD learns from its first half; every method is measured on the second half.
 *
 * <p>Usage: {@code MemoryBudgetReport <data dir> <out.md> <out.png>} (the PNG is drawn by {@link MemoryBudgetPlot}).
 */
public final class MemoryBudgetReport {
    static final int K = 10, RERANK = 50, FIXED_EF = 64, M = 16, EFC = 100;
    static final int[] EFS = {10, 16, 24, 32, 48, 64, 96, 128, 192, 256};
    static final double TARGET = 0.95;

    record QuerySet(String name, float[][] queries, int[][] truth) {}

    record Point(int ef, double recall, double qps) {}

    record Row(String method, String set, double bytesPrimary, double bytesTotal, double encodePerSec,
               Point fixed, Point atTarget, List<Point> curve) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: MemoryBudgetReport <data dir> <out.md> <out.png>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        float[][] base = BenchData.read(dir.resolve("base.fvecs"));
        int n = base.length, dim = base[0].length;
        float[][] words = BenchData.read(dir.resolve("queries-words.fvecs"));
        int[][] wordsTruth = readIvecs(dir.resolve("queries-words-groundtruth.ivecs"));
        int half = words.length / 2;
        float[][] oodTrain = Arrays.copyOfRange(words, 0, half);
        List<QuerySet> sets = List.of(
                new QuerySet("queries", BenchData.read(dir.resolve("queries.fvecs")), readIvecs(dir.resolve("queries-groundtruth.ivecs"))),
                new QuerySet("queries-words (held-out half)", Arrays.copyOfRange(words, half, words.length),
                        Arrays.copyOfRange(wordsTruth, half, words.length)));
        FaissIndex.setThreads(1);

        try (Arena arena = Arena.ofShared()) {
            MemorySegment floats = arena.allocate((long) n * dim * 4, 64);
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(base[i], 0, floats, ValueLayout.JAVA_FLOAT, (long) i * dim * 4, dim);
            }
            VectorView view = new VectorView(new MemorySegment[] {floats}, 40, n, dim, ElementType.F32);
            HnswGraph graph = graph(view, n, dim);
            float[][] sample = sample(base, 20000, 7);
            List<Row> rows = new ArrayList<>();

            for (QuerySet qs : sets) {
                rows.add(measure("float32", qs, 4.0 * dim, 4.0 * dim, Double.NaN,
                        ef -> q -> graph.search(view, q, K, ef, null).rows()));
            }
            String[] methods = System.getProperty("quant.methods", "sq8,sq4,lvq8,lvq4,lvq4x4,lvq4x8,lvq8x8,binary,"
                    + "leanvec-id.160.lvq8,leanvec-ood.160.lvq8,leanvec-id.96.lvq8,leanvec-ood.96.lvq8").split(",");
            for (String m : methods) {
                QuantSpec spec = QuantSpec.parse(m);
                Quantizer quantizer = Quantizers.train(spec, sample, oodTrain);
                long t0 = System.nanoTime();
                try (QuantizedVectors codes = QuantizedVectors.encode(quantizer, base)) {
                    double encodePerSec = n / ((System.nanoTime() - t0) / 1e9);
                    QuantizedSearch search = new QuantizedSearch(codes, NativeMetric.INNER_PRODUCT, floats);
                    QuantizedSearch.Rerank how = search.defaultRerank();
                    for (QuerySet qs : sets) {
                        rows.add(measure(m + (how == QuantizedSearch.Rerank.RESIDUAL ? " (rerank: residual)" : ""), qs,
                                codes.primaryBytesPerVector(), codes.bytesPerVector(), encodePerSec,
                                ef -> q -> search.searchGraph(graph, q, K, ef, Math.min(RERANK, Math.max(ef, K)), how).rows()));
                    }
                }
                System.err.println("done " + m);
            }
            for (String f : System.getProperty("quant.faiss", "PQ48").split(";")) {
                if (f.isBlank()) {
                    continue;
                }
                try (FaissIndex pq = FaissIndex.create(dim, f, NativeMetric.INNER_PRODUCT)) {
                    long t0 = System.nanoTime();
                    FaissIndex.setThreads(Runtime.getRuntime().availableProcessors()); // training is slow single-threaded
                    pq.train(sample);
                    pq.add(floats, n);
                    FaissIndex.setThreads(1); // searches are measured single-thread
                    double encodePerSec = n / ((System.nanoTime() - t0) / 1e9);
                    int codeBytes = Integer.parseInt(f.substring(f.lastIndexOf("PQ") + 2));
                    for (QuerySet qs : sets) {
                        rows.add(measure("faiss " + f + " (flat ADC scan)", qs, codeBytes, codeBytes, encodePerSec,
                                ef -> q -> rerankFloat(pq.search(q, RERANK).ids(), q, floats, dim)));
                    }
                }
                System.err.println("done " + f);
            }
            graph.close();
            write(Path.of(args[1]), rows, n, dim);
            plot(Path.of(args[2]), rows);
        }
    }

    static HnswGraph graph(VectorView view, int n, int dim) {
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "panavec-quant-hnsw-M" + M + "-efc" + EFC + "-" + n + "x" + dim + ".bin");
        if (Files.isRegularFile(cache)) {
            try {
                HnswGraph g = HnswGraph.load(cache, dim, NativeMetric.INNER_PRODUCT);
                if (g.size() == n) {
                    return g;
                }
                g.close();
            } catch (RuntimeException e) {
                System.err.println("rebuilding graph: " + e.getMessage());
            }
        }
        HnswGraph g = HnswGraph.create(dim, NativeMetric.INNER_PRODUCT, M, EFC, 42);
        long t0 = System.nanoTime();
        g.addRange(view, Runtime.getRuntime().availableProcessors());
        System.err.printf("graph built in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        g.save(cache);
        return g;
    }

    static long[] rerankFloat(long[] ids, float[] q, MemorySegment floats, int dim) {
        float[] s = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            double d = 0;
            long off = ids[i] * dim * 4L;
            for (int j = 0; j < dim; j++) {
                d += q[j] * floats.get(ValueLayout.JAVA_FLOAT, off + 4L * j);
            }
            s[i] = (float) d;
        }
        Integer[] o = new Integer[ids.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = i;
        }
        Arrays.sort(o, (a, b) -> Float.compare(s[b], s[a]));
        long[] out = new long[Math.min(K, o.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids[o[i]];
        }
        return out;
    }

    /** Runs the ef sweep (ef is ignored by flat scans: then one point). */
    static Row measure(String method, QuerySet qs, double bytesPrimary, double bytesTotal, double encodePerSec,
                       Function<Integer, Function<float[], long[]>> searchAtEf) {
        boolean flat = method.startsWith("faiss");
        List<Point> curve = new ArrayList<>();
        for (int ef : flat ? new int[] {FIXED_EF} : EFS) {
            Function<float[], long[]> s = searchAtEf.apply(ef);
            for (float[] q : qs.queries()) {
                s.apply(q); // warm-up
            }
            long hits = 0;
            long[][] found = new long[qs.queries().length][];
            double secs = Double.POSITIVE_INFINITY;
            for (int rep = 0; rep < 3; rep++) { // best of 3: the machine is shared
                long t0 = System.nanoTime();
                for (int i = 0; i < found.length; i++) {
                    found[i] = s.apply(qs.queries()[i]);
                }
                secs = Math.min(secs, (System.nanoTime() - t0) / 1e9);
            }
            for (int i = 0; i < found.length; i++) {
                hits += overlap(found[i], qs.truth()[i]);
            }
            curve.add(new Point(ef, hits / (double) (K * found.length), found.length / secs));
        }
        Point fixed = curve.stream().filter(p -> p.ef() == FIXED_EF).findFirst().orElse(curve.get(0));
        Point atTarget = curve.stream().filter(p -> p.recall() >= TARGET).max((a, b) -> Double.compare(a.qps(), b.qps())).orElse(null);
        System.err.printf(Locale.ROOT, "%-40s %-30s %s%n", method, qs.name(), curve);
        return new Row(method, qs.name(), bytesPrimary, bytesTotal, encodePerSec, fixed, atTarget, curve);
    }

    static int overlap(long[] found, int[] truth) {
        int c = 0;
        for (long f : found) {
            for (int t = 0; t < K; t++) {
                if (truth[t] == f) {
                    c++;
                    break;
                }
            }
        }
        return c;
    }

    static void write(Path out, List<Row> rows, int n, int dim) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Memory-budget report: wordnet-minilm (").append(n).append(" x ").append(dim).append(" float32, inner product)\n\n");
        sb.append(String.format(Locale.ROOT, "CPU ISA level: %s. Same HNSW graph for every graph row (M=%d, efConstruction=%d, built from float32); "
                + "k=%d; re-rank depth %d; 'fixed' = ef %d; single thread; float32 bytes/vector = %d.%n%n",
                io.panavec.bindings.Kernels.isaName(io.panavec.bindings.Kernels.isaActive()), M, EFC, K, RERANK, FIXED_EF, 4 * dim));
        sb.append("| method | query set | bytes/vector traversed | bytes/vector in RAM (x float32) | encode vectors/s | recall@10 (fixed) | QPS (fixed) | best QPS at recall@10 >= 0.95 (ef) |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f (%.3f) | %s | %.4f | %.0f | %s |%n", r.method(), r.set(),
                    r.bytesPrimary(), r.bytesTotal(), r.bytesTotal() / (4.0 * dim),
                    Double.isNaN(r.encodePerSec()) ? "-" : String.format(Locale.ROOT, "%.0f", r.encodePerSec()),
                    r.fixed().recall(), r.fixed().qps(),
                    r.atTarget() == null ? "not reached" : String.format(Locale.ROOT, "%.0f (ef %d, recall %.4f)", r.atTarget().qps(), r.atTarget().ef(), r.atTarget().recall())));
        }
        sb.append("\n## Done-when checks (same run)\n\n");
        Row f32 = find(rows, "float32", "queries"), lvq = find(rows, "lvq4x8", "queries");
        if (f32 != null && lvq != null && f32.atTarget() != null && lvq.atTarget() != null) {
            sb.append(String.format(Locale.ROOT, "- LVQ-4x8 on queries: recall@10 %.4f at %.0f QPS holding %.0f bytes/vector (%.3f x float32); "
                            + "float32 graph at recall >= 0.95: %.0f QPS (ef %d, recall %.4f) -> speed-up %.2fx%n",
                    lvq.atTarget().recall(), lvq.atTarget().qps(), lvq.bytesTotal(), lvq.bytesTotal() / (4.0 * dim),
                    f32.atTarget().qps(), f32.atTarget().ef(), f32.atTarget().recall(), lvq.atTarget().qps() / f32.atTarget().qps()));
        }
        for (String d : new String[] {"160", "96"}) {
            Row id = find(rows, "leanvec-id." + d, "queries-words"), ood = find(rows, "leanvec-ood." + d, "queries-words");
            if (id != null && ood != null) {
                sb.append(String.format(Locale.ROOT, "- queries-words, d'=%s, re-rank %d, ef %d: LeanVec-ID recall@10 %.4f, LeanVec-OOD %.4f%n",
                        d, RERANK, FIXED_EF, id.fixed().recall(), ood.fixed().recall()));
            }
        }
        sb.append("\n## Recall/QPS curves (ef: recall@10 / QPS)\n\n");
        for (Row r : rows) {
            if (r.curve().size() < 2) {
                continue;
            }
            sb.append("- ").append(r.method()).append(", ").append(r.set()).append(": ");
            for (Point p : r.curve()) {
                sb.append(String.format(Locale.ROOT, "%d: %.3f / %.0f; ", p.ef(), p.recall(), p.qps()));
            }
            sb.append('\n');
        }
        Files.writeString(out, sb.toString());
    }

    static Row find(List<Row> rows, String methodPrefix, String setPrefix) {
        return rows.stream().filter(r -> r.method().startsWith(methodPrefix) && r.set().startsWith(setPrefix)).findFirst().orElse(null);
    }

    static void plot(Path out, List<Row> rows) throws IOException {
        List<MemoryBudgetPlot.Point> points = new ArrayList<>();
        for (Row r : rows) points.add(new MemoryBudgetPlot.Point(r.method(), r.set(), r.bytesTotal(), r.fixed().recall()));
        MemoryBudgetPlot.write(out, points, "recall@10 at re-rank depth " + RERANK + ", ef " + FIXED_EF);
    }

    static float[][] sample(float[][] base, int max, long seed) {
        if (base.length <= max) {
            return base;
        }
        Random r = new Random(seed);
        float[][] s = new float[max][];
        for (int i = 0; i < max; i++) {
            s[i] = base[r.nextInt(base.length)];
        }
        return s;
    }

    static int[][] readIvecs(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> rows = new ArrayList<>();
        while (b.remaining() >= 4) {
            int d = b.getInt();
            int[] r = new int[d];
            for (int i = 0; i < d; i++) {
                r[i] = b.getInt();
            }
            rows.add(r);
        }
        return rows.toArray(new int[0][]);
    }
}
