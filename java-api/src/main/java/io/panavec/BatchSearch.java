package io.panavec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Many requests in one call ({@link PanavecIndex#search(List)}): unfiltered requests on an exact index go
 * through one blocked scan (each row read once per block of queries, {@link BlockedScan}); every other
 * request (graph, FAISS, quantized, filtered) runs on its own path, the requests spread over the index's
 * threads. Results are in request order and equal to what one {@code search(request)} per request returns
 * (exact scores up to the last bits of the summation order).
 *
 * <p>Thread-safe: concurrent batches share the pool. {@link #close()} releases the threads.
 */
final class BatchSearch implements AutoCloseable {
    /** The exact path for many queries at once, or null when the index is not (currently) an exact scan. */
    interface ExactBatch {
        /** Top-k of each (already normalized for cosine) query, best first, deleted rows excluded. */
        List<List<SearchHit>> search(float[][] queries, int k);
    }

    private final int threads;
    private final Function<SearchRequest, SearchResult> single;
    private volatile ForkJoinPool pool;

    BatchSearch(int threads, Function<SearchRequest, SearchResult> single) {
        this.threads = threads;
        this.single = single;
    }

    /** Answers {@code requests} in order; {@code exact} (may be null) takes the unfiltered ones. */
    List<SearchResult> search(List<SearchRequest> requests, ExactBatch exact, java.util.function.UnaryOperator<float[]> prepare) {
        SearchResult[] out = new SearchResult[requests.size()];
        List<Integer> others = new ArrayList<>();
        List<Integer> scanned = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            SearchRequest r = java.util.Objects.requireNonNull(requests.get(i), "request " + i);
            (exact != null && r.filter() == null ? scanned : others).add(i);
        }
        if (!scanned.isEmpty()) {
            int k = 0;
            float[][] q = new float[scanned.size()][];
            for (int j = 0; j < q.length; j++) {
                SearchRequest r = requests.get(scanned.get(j));
                q[j] = prepare.apply(r.query());
                k = Math.max(k, r.k());
            }
            List<List<SearchHit>> hits = exact.search(q, k);
            for (int j = 0; j < q.length; j++) {
                List<SearchHit> h = hits.get(j);
                int want = requests.get(scanned.get(j)).k(); // best-first with ties by row: a prefix is that k's answer
                out[scanned.get(j)] = new SearchResult(h.size() > want ? h.subList(0, want) : h, "exact-scan-batch", -1);
            }
        }
        if (!others.isEmpty()) {
            List<SearchResult> r = inPool(() -> others.parallelStream().map(i -> single.apply(requests.get(i))).toList());
            for (int j = 0; j < others.size(); j++) out[others.get(j)] = r.get(j);
        }
        return List.of(out);
    }

    private <T> T inPool(java.util.concurrent.Callable<T> body) {
        if (threads == 1) {
            try {
                return body.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return pool().submit(body).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while searching", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    pool = p = new ForkJoinPool(threads);
                }
            }
        }
        return p;
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
