package io.panavec.bench.embedding;

import io.panavec.bench.TempDirs;
import io.panavec.bench.quant.MemoryBudgetPlot;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The embedding-table memory-budget report (issue 16, item 4): every compression method that applies after
 * training, each served by an {@link io.panavec.embedding.EmbeddingTable}, measured on a real table for
 * <ul>
 * <li>bytes per key: stored rows plus the codec's learned parameters (PQ centroids, PCA basis), over the keys;</li>
 * <li>reconstruction error over every key: mean cosine of decoded against original, mean relative L2
 * {@code ||x^ - x|| / ||x||};</li>
 * <li>nearest-neighbour recall@10 on the compressed table: for a sample of keys, the original vector as the query,
 * its 10 nearest other keys by inner product among the decoded rows against its 10 nearest among the original
 * rows; a found key counts when its original score reaches the true 10th score (ties in the data, such as the
 * many identical special tokens of the token table, do not count as misses);</li>
 * <li>look-ups per second: batches of 4,096 random keys decoded into a native buffer, one thread, best of 3 rounds of
 * at least 0.3 s.</li>
 * </ul>
 * and, for each budget in bytes per key, the method it recommends: the highest recall@10 among the methods that
 * fit the budget (then the higher mean cosine), as the storage-compression study ranks methods under budgets.
 *
 * <p>Usage: {@code CompressionBudgetReport <wordnet|tokens> <wordnet-minilm dir | docs prefix> <out.md> <out.png>
 * [queries=200]}; {@code -Demb.methods=a,b,...} runs a subset, {@code -Demb.sample=10000} sets the training sample.
 */
public final class CompressionBudgetReport {
    static final int K = 10;
    static final long[] BUDGETS = {8, 16, 24, 32, 48, 64, 96, 128, 192, 384, 768, 1536};
    static final String METHODS = "f32,f16,int8,lvq8,int4,lvq4,"
            + "pca192.int8,pca128.int8,pca96.int8,pca64.int8,pca32.int8,pca128.int4,pca64.f16,pca16.f32,"
            + "pq192,pq128,pq96,pq64,pq48,pq32,pq16,pq8,pca128.pq32,pca64.pq16,"
            + "hash2:int8,hash4:int8,hash16:int8,hash4:pq32,hash2:pq8";

    record Result(String method, String codecSpec, double bytesPerKey, double codeBytesPerKey, double meanCosine,
                  double relL2, double recall, double lookupsPerSecond, double buildSeconds, String load) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: CompressionBudgetReport <wordnet|tokens> <data path> <out.md> <out.png> [queries]");
            System.exit(2);
        }
        int nq = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        int sampleSize = Integer.getInteger("emb.sample", 10_000);
        // One FAISS thread: k-means' OpenMP barriers stall on a shared 2-core machine, and the rest of the run is single-threaded.
        io.panavec.faiss.FaissIndex.setThreads(1);
        String[] methods = System.getProperty("emb.methods", METHODS).split(",");
        String loadBefore = load();
        try (KeyedTable source = KeyedTable.open(args[0], Path.of(args[1]))) {
            int n = source.size(), dim = source.dimension();
            int[] queryRows = new Random(42).ints(0, n).distinct().limit(nq).toArray();
            float[][] queries = new float[nq][dim];
            for (int i = 0; i < nq; i++) source.read(queryRows[i], queries[i]);
            long t0 = System.nanoTime();
            Truth truth = truth(source, queries, queryRows);
            System.err.printf(Locale.ROOT, "%s: ground truth of %d queries in %.1f s%n", source.name(), nq, (System.nanoTime() - t0) / 1e9);
            List<Result> results = new ArrayList<>();
            for (String method : methods) {
                Path dir = Files.createTempDirectory("panavec-emb-budget-");
                TempDirs.delete(dir); // the table creates it
                try (CompressedTable t = CompressedTable.build(method.trim(), source, dir, sampleSize, 7)) {
                    Result r = measure(t, source, queries, queryRows, truth);
                    results.add(r);
                    System.err.printf(Locale.ROOT, "%-14s %8.1f B/key  cos %.4f  relL2 %.4f  recall %.4f  %,.0f keys/s  build %.1f s  load %s%n",
                            r.method(), r.bytesPerKey(), r.meanCosine(), r.relL2(), r.recall(), r.lookupsPerSecond(), r.buildSeconds(), r.load());
                    // Rewritten after every method: a run stopped part-way keeps what it measured (and says so).
                    write(Path.of(args[2]), source, nq, sampleSize, results, loadBefore, load() + " (after " + results.size() + " of "
                            + methods.length + " methods; the run was still going)");
                } catch (RuntimeException e) {
                    System.err.println(method + " failed: " + e);
                    throw e;
                } finally {
                    TempDirs.delete(dir);
                }
            }
            write(Path.of(args[2]), source, nq, sampleSize, results, loadBefore, load());
            plot(Path.of(args[3]), source, results);
        }
    }

    /** The true 10 nearest other rows of each query and the 10th score. */
    record Truth(long[][] rows, float[] tenth) {}

    static Truth truth(KeyedTable source, float[][] queries, int[] queryRows) {
        int n = source.size(), dim = source.dimension();
        try (ScanTopK scan = new ScanTopK(queries, K + 1); Arena arena = Arena.ofConfined()) {
            MemorySegment batch = arena.allocate((long) CompressedTable.BATCH * dim * 4, 64);
            float[] row = new float[dim];
            for (int from = 0; from < n; from += CompressedTable.BATCH) {
                int m = Math.min(CompressedTable.BATCH, n - from);
                for (int i = 0; i < m; i++) {
                    source.read(from + i, row);
                    MemorySegment.copy(row, 0, batch, ValueLayout.JAVA_FLOAT, (long) i * dim * 4, dim);
                }
                scan.add(batch, m, from);
            }
            long[][] rows = new long[queries.length][];
            float[] tenth = new float[queries.length];
            for (int q = 0; q < queries.length; q++) {
                rows[q] = others(scan.top(q), queryRows[q]);
                tenth[q] = dot(queries[q], source, rows[q][K - 1], row);
            }
            return new Truth(rows, tenth);
        }
    }

    static Result measure(CompressedTable t, KeyedTable source, float[][] queries, int[] queryRows, Truth truth) {
        int n = source.size(), dim = source.dimension();
        double cosSum = 0, relSum = 0;
        long found = 0;
        try (ScanTopK scan = new ScanTopK(queries, K + 1); Arena arena = Arena.ofConfined()) {
            MemorySegment batch = arena.allocate((long) CompressedTable.BATCH * dim * 4, 64);
            float[] x = new float[dim], y = new float[dim];
            for (int from = 0; from < n; from += CompressedTable.BATCH) {
                int m = Math.min(CompressedTable.BATCH, n - from);
                t.lookup(java.util.Arrays.copyOfRange(source.keys(), from, from + m), batch);
                for (int i = 0; i < m; i++) {
                    source.read(from + i, x);
                    MemorySegment.copy(batch, ValueLayout.JAVA_FLOAT, (long) i * dim * 4, y, 0, dim);
                    double xy = 0, xx = 0, yy = 0, ee = 0;
                    for (int j = 0; j < dim; j++) {
                        xy += (double) x[j] * y[j];
                        xx += (double) x[j] * x[j];
                        yy += (double) y[j] * y[j];
                        double e = x[j] - y[j];
                        ee += e * e;
                    }
                    cosSum += xx == 0 || yy == 0 ? 0 : xy / Math.sqrt(xx * yy);
                    relSum += xx == 0 ? 0 : Math.sqrt(ee / xx);
                }
                scan.add(batch, m, from);
            }
            for (int q = 0; q < queries.length; q++) {
                long[] got = others(scan.top(q), queryRows[q]);
                for (long r : got) {
                    if (dot(queries[q], source, r, x) >= truth.tenth()[q] - 1e-6f) found++;
                }
            }
        }
        return new Result(t.method, t.table.codec().spec(), t.bytes() / (double) n, t.codeBytes() / (double) n, cosSum / n, relSum / n,
                found / (double) (K * queries.length), lookupsPerSecond(t, source), t.buildSeconds, load());
    }

    /** Decoded keys per second: batches of 4,096 random keys into a native buffer, best of 3 rounds of at least 0.3 s each. */
    static double lookupsPerSecond(CompressedTable t, KeyedTable source) {
        int dim = source.dimension(), batches = 64;
        Random r = new Random(3);
        long[][] keys = new long[batches][CompressedTable.BATCH];
        for (long[] b : keys) for (int i = 0; i < b.length; i++) b[i] = source.keys()[r.nextInt(source.size())];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate((long) CompressedTable.BATCH * dim * 4, 64);
            for (int i = 0; i < 4; i++) t.lookup(keys[i], out); // warm-up
            double best = 0;
            for (int round = 0, next = 0; round < 3; round++) {
                long t0 = System.nanoTime(), done = 0, elapsed;
                do {
                    t.lookup(keys[next++ % batches], out);
                    done += CompressedTable.BATCH;
                    elapsed = System.nanoTime() - t0;
                } while (elapsed < 300_000_000L);
                best = Math.max(best, done / (elapsed / 1e9));
            }
            return best;
        }
    }

    /** The first K rows of {@code top} other than {@code self}. */
    static long[] others(long[] top, long self) {
        long[] out = new long[K];
        int k = 0;
        for (long r : top) {
            if (r != self && k < K) out[k++] = r;
        }
        return java.util.Arrays.copyOf(out, k);
    }

    static float dot(float[] q, KeyedTable source, long row, float[] scratch) {
        source.read((int) row, scratch);
        float s = 0;
        for (int j = 0; j < q.length; j++) s += q[j] * scratch[j];
        return s;
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** At each budget: the best recall@10 among the methods that fit, then the higher mean cosine. */
    static Result recommended(List<Result> results, long budget) {
        return results.stream().filter(r -> r.bytesPerKey() <= budget)
                .max(Comparator.comparingDouble(Result::recall).thenComparingDouble(Result::meanCosine)).orElse(null);
    }

    static void write(Path out, KeyedTable source, int nq, int sampleSize, List<Result> results, String loadBefore, String loadAfter) throws IOException {
        int dim = source.dimension();
        StringBuilder sb = new StringBuilder();
        sb.append("# Embedding-table memory budget: ").append(source.name()).append(", ").append(dim).append("-d float32\n\n");
        sb.append(String.format(Locale.ROOT, "Every method is an `EmbeddingTable` built after training (codecs trained on %,d random rows; hashing's codecs on "
                + "the bucket means), read through `lookup(keys, MemorySegment)`. Reconstruction over all %,d keys; recall@10 over %d sampled keys "
                + "(original vector as the query, inner product, the key itself left out, ties with the true 10th score count as found); "
                + "look-ups: batches of 4,096 random keys, one thread, best of 3 rounds of >= 0.3 s, measured inside this niced run on a shared "
                + "machine, so look-ups/s is indicative only (the load when each row finished is in its last column; the JMH look-up "
                + "benchmark, run under the benchmark lock, is the speed measurement). Bytes per key = stored rows + learned parameters over the keys "
                + "(the key -> row vocabulary, the same for every method but hashing, which needs none, is not counted; float32 = %d). "
                + "Load average (1/5/15 min) %s at the start, %s at the end; each row's load is taken when it finished.%n%n",
                sampleSize, source.size(), nq, 4 * dim, loadBefore, loadAfter));
        sb.append("## Recommended method per budget\n\n| budget (bytes/key) | recommended | bytes/key | recall@10 | mean cosine | relative L2 | look-ups/s (indicative) | best mean cosine in budget |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (long b : BUDGETS) {
            Result r = recommended(results, b);
            Result byCos = results.stream().filter(x -> x.bytesPerKey() <= b).max(Comparator.comparingDouble(Result::meanCosine)).orElse(null);
            if (r == null) {
                sb.append(String.format(Locale.ROOT, "| %d | nothing fits | | | | | | |%n", b));
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.4f | %.4f | %.4f | %,.0f | %s |%n", b, r.method(), r.bytesPerKey(), r.recall(),
                    r.meanCosine(), r.relL2(), r.lookupsPerSecond(),
                    byCos == r ? "same" : String.format(Locale.ROOT, "%s (%.4f)", byCos.method(), byCos.meanCosine())));
        }
        sb.append("\n## Every method\n\n| method | codec | bytes/key (codes only) | x float32 | mean cosine | relative L2 | recall@10 | look-ups/s (indicative) | build s | load |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingDouble(Result::bytesPerKey).reversed());
        for (Result r : sorted) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f (%.1f) | %.4f | %.4f | %.4f | %.4f | %,.0f | %.1f | %s |%n", r.method(), r.codecSpec(),
                    r.bytesPerKey(), r.codeBytesPerKey(), r.bytesPerKey() / (4.0 * dim), r.meanCosine(), r.relL2(), r.recall(), r.lookupsPerSecond(),
                    r.buildSeconds(), r.load()));
        }
        Files.writeString(out, sb.toString());
    }

    static void plot(Path png, KeyedTable source, List<Result> results) throws IOException {
        List<MemoryBudgetPlot.Point> points = new ArrayList<>();
        for (Result r : results) {
            points.add(new MemoryBudgetPlot.Point(r.method(), "recall@10", r.bytesPerKey(), r.recall()));
            points.add(new MemoryBudgetPlot.Point(r.method(), "mean cosine", r.bytesPerKey(), r.meanCosine()));
        }
        MemoryBudgetPlot.write(png, points, source.name(), "bytes per key (log scale; float32 = " + 4 * source.dimension() + ")",
                2, 4096, set -> set);
    }
}
