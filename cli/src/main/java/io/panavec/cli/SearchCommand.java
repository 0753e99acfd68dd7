package io.panavec.cli;

import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.io.VectorFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code panavec search}: runs a query file against an index; recall, queries/s and sample texts. */
final class SearchCommand {
    private SearchCommand() {}

    static void run(Options opts) throws IOException {
        Path dir = opts.path("index");
        Path queriesFile = opts.path("queries");
        int k = opts.integer("k", 10, 1);
        int threads = opts.integer("threads", 1, 1);
        Path gtFile = opts.optionalPath("groundtruth");
        Path textsFile = opts.optionalPath("texts");
        Path queryTextsFile = opts.optionalPath("query-texts");
        int show = opts.integer("show", 3, 0);
        int ef = opts.integer("ef", 0, 0);
        int nprobe = opts.integer("nprobe", 0, 0);
        int rerank = opts.integer("rerank", 0, 0);
        String filterText = opts.string("filter", null);
        opts.requireAllUsed();
        io.panavec.filter.Filter filter = null;
        if (filterText != null) {
            try {
                filter = io.panavec.filter.Filter.parse(filterText);
            } catch (io.panavec.filter.FilterParseException e) {
                throw new UsageException("--filter: " + e.getMessage());
            }
        }

        float[][] queries;
        try (VectorFile qf = VectorFile.open(queriesFile)) {
            queries = qf.readAll();
        }
        try (PanavecIndex index = PanavecIndex.open(dir, threads)) {
            // One untimed pass warms the JIT and the page cache; the timed pass is the one reported.
            java.util.Map<String, Integer> strategies = new java.util.concurrent.ConcurrentSkipListMap<>();
            List<List<SearchHit>> results = runAll(index, queries, k, ef, nprobe, rerank, threads, filter, strategies);
            strategies.clear();
            long t0 = System.nanoTime();
            results = runAll(index, queries, k, ef, nprobe, rerank, threads, filter, strategies);
            double secs = (System.nanoTime() - t0) / 1e9;

            System.out.printf(Locale.ROOT, "index %s: %,d vectors, dim %d, %s, %s%n", dir, index.size(), index.dimension(),
                    index.spec().text(), index.metric());
            System.out.printf(Locale.ROOT, "queries: %,d from %s, k=%d, %d thread%s%n", queries.length, queriesFile, k,
                    threads, threads == 1 ? "" : "s");
            if (filter == null && index.spec().quantization() != null) {
                System.out.println("strategies: " + strategies);
            }
            if (filter != null) {
                System.out.println("filter: " + io.panavec.filter.Filter.text(filter) + "; strategies: " + strategies);
                if (gtFile != null) {
                    System.out.println("(the ground truth file is unfiltered: recall below is against it, not a filtered truth)");
                }
            }
            if (gtFile != null) {
                int[][] gt = VectorFile.readIvecs(gtFile);
                System.out.printf(Locale.ROOT, "recall@%d: %.4f (against %s)%n", k, recall(results, gt, k), gtFile.getFileName());
            }
            System.out.printf(Locale.ROOT, "QPS: %.1f (%d queries in %.3f s)%n", queries.length / secs, queries.length, secs);

            if (textsFile != null && show > 0) {
                Map<Long, String> texts = readTexts(textsFile);
                List<String> queryTexts = queryTextsFile != null ? readColumn(queryTextsFile) : List.of();
                for (int q = 0; q < Math.min(show, queries.length); q++) {
                    String qt = q < queryTexts.size() ? queryTexts.get(q) : "(query " + q + ")";
                    System.out.printf(Locale.ROOT, "%nquery %d: %s%n", q, qt);
                    List<SearchHit> hits = results.get(q);
                    for (int i = 0; i < Math.min(3, hits.size()); i++) {
                        SearchHit h = hits.get(i);
                        System.out.printf(Locale.ROOT, "  %d. %.4f  #%d  %s%n", i + 1, h.score(), h.id(),
                                texts.getOrDefault(h.id(), "?"));
                    }
                }
            }
        }
    }

    private static List<List<SearchHit>> runAll(PanavecIndex index, float[][] queries, int k, int ef, int nprobe, int rerank, int threads,
                                                io.panavec.filter.Filter filter, java.util.Map<String, Integer> strategies) {
        java.util.function.IntFunction<List<SearchHit>> one = i -> {
            io.panavec.SearchResult r = index.search(SearchRequest.of(queries[i], k).withEfSearch(ef).withNprobe(nprobe).withRerank(rerank).withFilter(filter));
            strategies.merge(r.strategy(), 1, Integer::sum);
            return r.hits();
        };
        if (threads == 1) {
            return java.util.stream.IntStream.range(0, queries.length).mapToObj(one).toList();
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<List<SearchHit>>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < queries.length; i++) {
                int qi = i;
                fs.add(pool.submit(() -> one.apply(qi)));
            }
            List<List<SearchHit>> out = new java.util.ArrayList<>();
            for (var f : fs) out.add(f.get());
            return out;
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("search failed: " + e.getMessage(), e);
        }
    }

    /** Mean fraction of the true top-k ids found in the returned top-k. */
    static double recall(List<List<SearchHit>> results, int[][] gt, int k) {
        if (gt.length < results.size()) {
            throw new IllegalArgumentException("ground truth has " + gt.length + " rows for " + results.size() + " queries");
        }
        double sum = 0;
        for (int q = 0; q < results.size(); q++) {
            if (gt[q].length < k) {
                throw new IllegalArgumentException("ground truth row " + q + " has " + gt[q].length + " ids, fewer than k=" + k);
            }
            Set<Long> truth = new HashSet<>();
            for (int i = 0; i < k; i++) truth.add((long) gt[q][i]);
            long found = results.get(q).stream().limit(k).filter(h -> truth.contains(h.id())).count();
            sum += (double) found / k;
        }
        return sum / results.size();
    }

    /** texts.tsv: id, lemmas, gloss → "lemmas: gloss" by id. */
    private static Map<Long, String> readTexts(Path file) throws IOException {
        Map<Long, String> m = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", 3);
            if (f.length == 3) {
                m.put(Long.parseLong(f[0]), f[1].replace(',', ' ') + ": " + f[2]);
            }
        }
        return m;
    }

    /** The last column of a TSV with a header: the query text. */
    private static List<String> readColumn(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList();
    }
}
