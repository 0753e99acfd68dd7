package io.panavec.bench.quant;

import io.panavec.PanavecIndex;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.bench.BenchData;
import io.panavec.bench.ExactScanReport;
import io.panavec.Metric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * One index spec searched in a loop through {@link PanavecIndex} (the path AnnReport times: efSearch, the whole
 * beam re-ranked), for a profiler to attach to: {@code SearchLoop <data dir> <index dir> <spec> <ef> <seconds>
 * [query set]}. The index is built (2 threads, committed) at {@code <index dir>} when it does not exist, and reopened
 * otherwise, so the build stays out of the profile; {@code leanvec-ood} learns from the first 1,000 queries of
 * {@code queries-words} and, on that set, only the others are searched. Prints recall@10, queries/s and the load.
 */
public final class SearchLoop {
    private SearchLoop() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: SearchLoop <data dir> <index dir> <spec> <ef> <seconds> [query set]");
            System.exit(2);
        }
        Path data = Path.of(args[0]), indexDir = Path.of(args[1]);
        String spec = args[2];
        int ef = Integer.parseInt(args[3]);
        double seconds = Double.parseDouble(args[4]);
        String set = args.length > 5 ? args[5] : "queries";
        float[][] words = BenchData.read(data.resolve("queries-words.fvecs"));
        int train = 1000;
        float[][] queries = BenchData.read(data.resolve(set + ".fvecs"));
        int[][] truth = MemoryBudgetReport.readIvecs(data.resolve(set + "-groundtruth.ivecs"));
        if (set.equals("queries-words")) {
            queries = Arrays.copyOfRange(queries, train, queries.length);
            truth = Arrays.copyOfRange(truth, train, truth.length);
        }
        if (!Files.exists(indexDir)) {
            float[][] base = BenchData.read(data.resolve("base.fvecs"));
            long t0 = System.nanoTime();
            try (PanavecIndex index = PanavecIndex.builder(indexDir).dimension(base[0].length).metric(Metric.INNER_PRODUCT)
                    .spec(spec).threads(2).create()) {
                if (spec.contains("leanvec-ood")) {
                    index.trainQueries(Arrays.copyOfRange(words, 0, train));
                }
                for (int from = 0; from < base.length; from += 8192) {
                    int to = Math.min(base.length, from + 8192);
                    long[] ids = new long[to - from];
                    for (int i = 0; i < ids.length; i++) ids[i] = from + i;
                    index.add(ids, Arrays.copyOfRange(base, from, to));
                }
                index.commit();
            }
            System.out.printf(Locale.ROOT, "built %s in %.1f s%n", spec, (System.nanoTime() - t0) / 1e9);
        }
        try (PanavecIndex index = PanavecIndex.open(indexDir)) {
            SearchRequest[] requests = new SearchRequest[queries.length];
            boolean quant = spec.contains("quant=");
            for (int i = 0; i < queries.length; i++) {
                SearchRequest r = SearchRequest.of(queries[i], 10).withEfSearch(ef);
                // the whole beam re-ranked, as AnnReport does; -Dloop.rerank=F: the best ceil(F x ef) code-scored rows
                requests[i] = quant ? r.withRerank(Math.max(10, (int) Math.ceil(Double.parseDouble(System.getProperty("loop.rerank", "1")) * ef))) : r;
            }
            long found = 0, scored = 0;
            for (int i = 0; i < requests.length; i++) {
                SearchResult r = index.search(requests[i]);
                found += hits(r, truth[i]);
                scored += r.candidatesScored();
            }
            System.out.printf(Locale.ROOT, "%s ef %d: recall@10 %.4f, %.1f rows scored per query (walk + re-rank); load %s%n", spec, ef,
                    found / (10.0 * queries.length), scored / (double) queries.length, ExactScanReport.loadAverage());
            long deadline = System.nanoTime() + (long) (seconds * 1e9), done = 0, t0 = System.nanoTime();
            while (System.nanoTime() < deadline) {
                for (SearchRequest r : requests) index.search(r);
                done += requests.length;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%s ef %d: %d queries in %.1f s, %.0f q/s (%.1f us/query); load %s%n", spec, ef, done, s,
                    done / s, s * 1e6 / Math.max(1, done), ExactScanReport.loadAverage());
        }
    }

    private static int hits(SearchResult r, int[] truth) {
        int h = 0;
        for (int i = 0; i < r.size(); i++) {
            long id = r.get(i).id();
            for (int t = 0; t < 10; t++) if (truth[t] == id) { h++; break; }
        }
        return h;
    }
}
