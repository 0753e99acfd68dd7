package io.panavec.cli;

import io.panavec.SearchHit;
import io.panavec.SearchResult;
import io.panavec.filter.Filter;
import io.panavec.multivector.MultiVectorIndex;
import io.panavec.multivector.MultiVectorRequest;
import io.panavec.multivector.TokenSetFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code panavec search --multi}: query token sets against a {@link MultiVectorIndex}: recall@k, queries/s, documents re-ranked. */
final class MultiVectorSearch {
    private MultiVectorSearch() {}

    static int run(QueryOptions query, Path queryOffsets, int candidates, int ef, Filter filter, boolean exact) throws IOException {
        Optional<long[][]> truth = query.readGroundTruth();
        try (MultiVectorIndex index = MultiVectorIndex.open(query.index, query.threads);
             TokenSetFile in = TokenSetFile.open(query.queries, queryOffsets)) {
            if (in.dimension() != index.dimension()) {
                throw new IOException(query.queries + " holds token vectors of dimension " + in.dimension() + ", the index " + index.dimension());
            }
            float[][][] queries = new float[in.size()][][];
            for (int i = 0; i < queries.length; i++) queries[i] = in.set(i);
            SearchResult[] results = new SearchResult[queries.length];
            double best = Double.MAX_VALUE;
            for (int pass = 0; pass < query.warmups + query.passes; pass++) {
                long t0 = System.nanoTime();
                for (int q = 0; q < queries.length; q++) {
                    results[q] = exact ? index.searchExact(queries[q], query.k)
                            : index.search(MultiVectorRequest.of(queries[q], query.k).withCandidates(candidates).withEfSearch(ef).withFilter(filter));
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (pass >= query.warmups) best = Math.min(best, s);
            }
            long reranked = 0;
            for (SearchResult r : results) reranked += r.candidatesScored();
            System.out.printf(Locale.ROOT, "multi-vector index %s: %,d documents, %,d token vectors of dimension %d, %s%n", query.index,
                    index.rows(), index.tokenRows(), index.dimension(), index.fdeConfig().text());
            System.out.printf(Locale.ROOT, "queries: %,d token sets from %s, k=%d, %s%n", queries.length, query.queries, query.k,
                    exact ? "exact Chamfer scan" : "strategy " + results[0].strategy());
            if (truth.isPresent()) {
                long[][] t = truth.get();
                if (t.length < queries.length) throw new IOException(query.groundTruthFile() + " has " + t.length + " rows for " + queries.length + " queries");
                double recall = 0;
                for (int q = 0; q < queries.length; q++) {
                    if (t[q].length < query.k) throw new IOException(query.groundTruthFile() + ": row " + q + " has fewer than k=" + query.k + " ids");
                    Set<Long> want = new HashSet<>();
                    for (int j = 0; j < query.k; j++) want.add(t[q][j]);
                    recall += results[q].hits().stream().mapToLong(SearchHit::id).filter(want::contains).count() / (double) query.k;
                }
                System.out.printf(Locale.ROOT, "recall@%d: %.4f (against %s)%n", query.k, recall / queries.length, query.groundTruthFile().getFileName());
            }
            System.out.printf(Locale.ROOT, "QPS: %.1f (%d queries in %.3f s, one thread, fastest of %d pass%s); documents re-ranked per query: %.1f%n",
                    queries.length / best, queries.length, best, query.passes, query.passes == 1 ? "" : "es", (double) reranked / queries.length);
        }
        return 0;
    }
}
