package io.panavec;

import io.panavec.engine.AllowSet;
import io.panavec.engine.Candidates;
import io.panavec.engine.Effort;
import io.panavec.engine.QueryPlanner;
import io.panavec.filter.Planner;
import io.panavec.store.VectorStore;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * The search side of a {@link PanavecIndex}: one request ({@link QueryPlanner#search} or
 * {@link QueryPlanner#searchFiltered}), or many in one call ({@link PanavecIndex#search(List)}): the unfiltered requests of one effort go to the
 * planner as one batch ({@link QueryPlanner#searchBatch}: one blocked scan on an exact index, the queries spread
 * over the index's threads otherwise), asked for the largest k of the group and cut to each request's k (the
 * hits are best first with ties by row, so a prefix is that k's answer); the filtered ones run
 * {@link QueryPlanner#searchFiltered} each, spread over the same threads. Results are in request order.
 *
 * <p>Thread-safe: concurrent batches share the pool. The caller holds the index's read lock for the call (the
 * pool's threads take no lock). {@link #close()} releases the threads.
 */
final class BatchSearch implements AutoCloseable {
    private final QueryPlanner planner;
    private final FilterMatches matches;
    private final VectorStore store;
    private final Metric metric;
    private final int threads;
    private final io.panavec.internal.LazyPool pool;

    /** The searches of {@code parts}: one planner over its engine, the exact scan for fallbacks, allow-sets of its attributes. */
    BatchSearch(IndexParts parts, int threads) {
        this.planner = QueryPlanner.over(parts.engine, parts.store, IndexParts.internalMetric(parts.metric), Planner.DEFAULT);
        this.matches = new FilterMatches(parts.deleted, parts.attributes);
        this.store = parts.store;
        this.metric = parts.metric;
        this.threads = threads;
        this.pool = new io.panavec.internal.LazyPool(threads);
    }

    QueryPlanner planner() {
        return planner;
    }

    /** Answers a validated {@code request} (the caller holds the index's read lock). */
    SearchResult search(SearchRequest request) {
        float[] q = prepared(request);
        long rows = store.size();
        Candidates c;
        if (request.filter() != null) {
            c = planner.searchFiltered(q, request.k(), effort(request), matches.matching(request.filter(), rows));
        } else {
            try (Arena arena = Arena.ofConfined()) {
                c = planner.search(q, request.k(), effort(request), matches.live(rows, arena), rows);
            }
        }
        return SearchHits.result(c, store);
    }

    /** Answers validated {@code requests} in order. */
    List<SearchResult> search(List<SearchRequest> requests) {
        long rows = store.size();
        Candidates[] out = new Candidates[requests.size()];
        Map<Effort, List<Integer>> unfiltered = new LinkedHashMap<>();
        List<Integer> filtered = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            SearchRequest r = requests.get(i);
            if (r.filter() == null) {
                unfiltered.computeIfAbsent(effort(r), e -> new ArrayList<>()).add(i);
            } else {
                filtered.add(i);
            }
        }
        ForkJoinPool p = threads > 1 ? pool() : null;
        try (Arena arena = Arena.ofShared()) { // the live rows are read by the pool's threads
            AllowSet live = unfiltered.isEmpty() ? null : matches.live(rows, arena);
            for (Map.Entry<Effort, List<Integer>> group : unfiltered.entrySet()) {
                List<Integer> at = group.getValue();
                float[][] q = new float[at.size()][];
                int k = 0;
                for (int j = 0; j < q.length; j++) {
                    q[j] = prepared(requests.get(at.get(j)));
                    k = Math.max(k, requests.get(at.get(j)).k());
                }
                List<Candidates> found = planner.searchBatch(q, k, group.getKey(), live, rows, p);
                for (int j = 0; j < q.length; j++) out[at.get(j)] = found.get(j).top(requests.get(at.get(j)).k());
            }
        }
        if (!filtered.isEmpty()) {
            int n = filtered.size();
            float[][] q = new float[n][];
            int[] k = new int[n];
            Effort[] effort = new Effort[n];
            AllowSet[] allow = new AllowSet[n];
            for (int j = 0; j < n; j++) {
                SearchRequest r = requests.get(filtered.get(j));
                q[j] = prepared(r);
                k[j] = r.k();
                effort[j] = effort(r);
                allow[j] = matches.matching(r.filter(), rows);
            }
            List<Candidates> found = planner.searchFilteredBatch(q, k, effort, allow, p);
            for (int j = 0; j < n; j++) out[filtered.get(j)] = found.get(j);
        }
        List<SearchResult> results = new ArrayList<>(out.length);
        for (Candidates c : out) results.add(SearchHits.result(c, store));
        return results;
    }

    /** Throws unless every request is non-null with a query of {@code dimension} finite values. */
    static void check(List<SearchRequest> requests, int dimension) {
        java.util.Objects.requireNonNull(requests, "requests");
        for (int i = 0; i < requests.size(); i++) {
            io.panavec.internal.Checks.requireVector(java.util.Objects.requireNonNull(requests.get(i), "request " + i).query(),
                    dimension, "query " + i);
        }
    }

    /** One unfiltered top-{@code k} request per query. */
    static List<SearchRequest> requests(float[][] queries, int k) {
        java.util.Objects.requireNonNull(queries, "queries");
        io.panavec.internal.Checks.requirePositiveK(k);
        List<SearchRequest> requests = new java.util.ArrayList<>(queries.length);
        for (int i = 0; i < queries.length; i++) {
            if (queries[i] == null) {
                throw new IllegalArgumentException("query " + i + " is null");
            }
            requests.add(SearchRequest.of(queries[i], k));
        }
        return requests;
    }

    private static Effort effort(SearchRequest r) {
        return new Effort(r.efSearch(), r.nprobe(), r.rerank());
    }

    private float[] prepared(SearchRequest r) {
        return metric.prepare(r.query());
    }

    private ForkJoinPool pool() {
        return pool.get();
    }

    @Override
    public synchronized void close() {
        pool.close();
    }
}
