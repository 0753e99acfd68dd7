package io.panavec.cli;

import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a query set against an index the way the command line measures it: warm-up passes (untimed), then
 * timed passes; the fastest pass is reported, with its per-query latencies in an HdrHistogram. With several
 * threads, queries are handed out one at a time and each thread records its own latencies.
 */
final class QueryRunner {
    /** One timed pass: wall time, per-query latency, results in query order, planner strategies and their counts. */
    record Pass(double seconds, Histogram latencyNanos, List<List<SearchHit>> results, Map<String, Integer> strategies) {
        double qps() {
            return results.size() / seconds;
        }

        double percentileMillis(double p) {
            return latencyNanos.getValueAtPercentile(p) / 1e6;
        }
    }

    private QueryRunner() {}

    /** The fastest of {@code passes} timed passes, after {@code warmups} untimed ones; {@code progress} (may be null) counts the queries run. */
    static Pass best(PanavecIndex index, float[][] queries, Function<float[], SearchRequest> request, int threads,
                     int warmups, int passes, Progress progress) {
        Pass best = null;
        for (int i = 0; i < warmups + passes; i++) {
            Pass p = run(index, queries, request, threads, progress);
            if (i >= warmups && (best == null || p.seconds() < best.seconds())) {
                best = p;
            }
        }
        return best;
    }

    static Pass run(PanavecIndex index, float[][] queries, Function<float[], SearchRequest> request, int threads, Progress progress) {
        @SuppressWarnings("unchecked")
        List<SearchHit>[] results = new List[queries.length];
        String[] strategies = new String[queries.length];
        AtomicInteger next = new AtomicInteger();
        Function<Histogram, Void> worker = h -> {
            for (int q; (q = next.getAndIncrement()) < queries.length; ) {
                long t0 = System.nanoTime();
                SearchResult r = index.search(request.apply(queries[q]));
                h.recordValue(Math.max(1, System.nanoTime() - t0));
                results[q] = r.hits();
                strategies[q] = r.strategy();
            }
            return null;
        };
        List<Histogram> histograms = new ArrayList<>();
        for (int t = 0; t < threads; t++) histograms.add(new Histogram(3));
        long start = System.nanoTime();
        if (threads == 1) {
            worker.apply(histograms.get(0));
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Void>> fs = new ArrayList<>();
                for (Histogram h : histograms) fs.add(pool.submit(() -> worker.apply(h)));
                for (Future<Void> f : fs) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram(3);
        histograms.forEach(all::add);
        Map<String, Integer> counts = new TreeMap<>();
        for (String s : strategies) counts.merge(s, 1, Integer::sum);
        if (progress != null) progress.step(queries.length);
        return new Pass(seconds, all, List.of(results), counts);
    }

    /** Mean fraction of each query's true top-k ids found among its first k hits. */
    static double recall(List<List<SearchHit>> results, long[][] truth, int k) {
        if (truth.length < results.size()) {
            throw new IllegalArgumentException("ground truth has " + truth.length + " rows for " + results.size() + " queries");
        }
        double sum = 0;
        for (int q = 0; q < results.size(); q++) {
            if (truth[q].length < k) {
                throw new IllegalArgumentException("ground truth row " + q + " has " + truth[q].length + " ids, fewer than k=" + k);
            }
            Set<Long> t = new HashSet<>();
            for (int i = 0; i < k; i++) t.add(truth[q][i]);
            long found = results.get(q).stream().limit(k).filter(h -> t.contains(h.id())).count();
            sum += (double) found / k;
        }
        return sum / results.size();
    }
}
