package io.panavec.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.filter.Filter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code panavec search}: runs a query file against an index; recall, queries/s, latency and sample texts, or JSON lines. */
@Command(name = "search", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs queries against an index: recall@k, queries/s, latency, nearest texts.", "",
                "Prints recall@k against the ground truth, queries/s (the fastest of --passes timed passes after --warmups "
                        + "untimed ones), latency percentiles and, with --texts, the nearest texts of the first --show queries. "
                        + "--json prints one JSON line per query instead ({\"query\":0,\"hits\":[{\"id\":..,\"score\":..}]}); "
                        + "the summary then goes to standard error.", ""})
final class SearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    QueryOptions query;

    @Option(names = "--ef", paramLabel = "N", defaultValue = "0", description = "HNSW search beam (0: the index's default).")
    int ef;

    @Option(names = "--nprobe", paramLabel = "N", defaultValue = "0", description = "IVF lists probed (0: the index's default).")
    int nprobe;

    @Option(names = "--rerank", paramLabel = "N", defaultValue = "0",
            description = "Candidates a quantized index re-ranks exactly (0: max(2k, 50)).")
    int rerank;

    @Option(names = "--json", description = "One JSON line per query on standard output.")
    boolean json;

    @Option(names = "--multi", description = "A multi-vector index: --queries holds the query token vectors, --query-offsets their sets.")
    boolean multi;

    @Option(names = "--query-offsets", paramLabel = "FILE.ivecs", description = "With --multi: n + 1 offsets of the query token sets.")
    Path queryOffsetsFile;

    @Option(names = "--candidates", paramLabel = "N", defaultValue = "0",
            description = "With --multi: documents re-ranked by exact Chamfer (0: max(10k, 100)).")
    int candidates;

    @Option(names = "--exact", description = "With --multi: exact Chamfer over every document instead of the FDE index.")
    boolean exact;

    @Option(names = "--texts", paramLabel = "texts.tsv", description = "id, lemmas, gloss per line: shows hits as text.")
    Path textsFile;

    @Option(names = "--query-texts", paramLabel = "queries.tsv", description = "The query texts (last column).")
    Path queryTextsFile;

    @Option(names = "--show", paramLabel = "N", defaultValue = "3", description = "Queries shown as text (default: ${DEFAULT-VALUE}).")
    int show;

    @Override
    public Integer call() throws IOException {
        query.check(spec);
        for (var e : Map.of("--ef", ef, "--nprobe", nprobe, "--rerank", rerank, "--show", show).entrySet()) {
            if (e.getValue() < 0) throw new UsageException(spec, e.getKey() + " must be at least 0, was " + e.getValue());
        }
        Filter filter = query.filter(spec);
        if (multi) {
            if (queryOffsetsFile == null) throw new UsageException(spec, "--multi needs --query-offsets FILE.ivecs");
            if (candidates < 0) throw new UsageException(spec, "--candidates must be at least 0, was " + candidates);
            return MultiVectorSearch.run(query, queryOffsetsFile, candidates, ef, filter, exact);
        }
        Map<Long, String> texts = textsFile != null ? readTexts(textsFile) : Map.of();
        List<String> queryTexts = queryTextsFile != null ? readColumn(queryTextsFile) : List.of();
        Optional<long[][]> truth = query.readGroundTruth();

        try (PanavecIndex index = query.open()) {
            float[][] queries = query.readQueries(index);
            QueryRunner.Pass pass;
            try (Progress p = Progress.start("search", (long) queries.length * (query.warmups + query.passes), "queries")) {
                pass = QueryRunner.best(index, queries, q -> SearchRequest.of(q, query.k).withEfSearch(ef).withNprobe(nprobe)
                        .withRerank(rerank).withFilter(filter), query.threads, query.warmups, query.passes, p);
            }
            PrintStream summary = json ? System.err : System.out;
            summary.printf(Locale.ROOT, "index %s: %,d vectors, dim %d, %s, %s%n", query.index, index.size(), index.dimension(),
                    index.spec().text(), index.metric());
            summary.printf(Locale.ROOT, "queries: %,d from %s, k=%d, %d thread%s%n", queries.length, query.queries, query.k,
                    query.threads, query.threads == 1 ? "" : "s");
            if (filter != null) {
                summary.println("filter: " + Filter.text(filter) + "; strategies: " + pass.strategies());
                if (truth.isPresent()) {
                    summary.println("(the ground truth is unfiltered: recall below is against it, not a filtered truth)");
                }
            } else if (index.spec().quantization() != null) {
                summary.println("strategies: " + pass.strategies());
            }
            if (truth.isPresent()) {
                summary.printf(Locale.ROOT, "recall@%d: %.4f (against %s)%n", query.k, QueryRunner.recall(pass.results(), truth.get(), query.k),
                        query.groundTruthFile().getFileName());
            }
            summary.printf(Locale.ROOT, "QPS: %.1f (%d queries in %.3f s, fastest of %d pass%s after %d warm-up)%n", pass.qps(),
                    queries.length, pass.seconds(), query.passes, query.passes == 1 ? "" : "es", query.warmups);
            summary.printf(Locale.ROOT, "latency: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms%n", pass.percentileMillis(50),
                    pass.percentileMillis(95), pass.percentileMillis(99));
            if (json) {
                writeJson(pass, texts);
            } else {
                showTexts(pass, texts, queryTexts, queries.length);
            }
        }
        return 0;
    }

    private void writeJson(QueryRunner.Pass pass, Map<Long, String> texts) throws IOException {
        Writer out = new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            for (int q = 0; q < pass.results().size(); q++) {
                g.writeStartObject();
                g.writeNumberField("query", q);
                g.writeArrayFieldStart("hits");
                for (SearchHit h : pass.results().get(q)) {
                    g.writeStartObject();
                    g.writeNumberField("id", h.id());
                    g.writeNumberField("score", h.score());
                    String t = texts.get(h.id());
                    if (t != null) g.writeStringField("text", t);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
        out.flush();
    }

    private void showTexts(QueryRunner.Pass pass, Map<Long, String> texts, List<String> queryTexts, int n) {
        if (texts.isEmpty() || show == 0) return;
        for (int q = 0; q < Math.min(show, n); q++) {
            String qt = q < queryTexts.size() ? queryTexts.get(q) : "(query " + q + ")";
            System.out.printf(Locale.ROOT, "%nquery %d: %s%n", q, qt);
            List<SearchHit> hits = pass.results().get(q);
            for (int i = 0; i < Math.min(3, hits.size()); i++) {
                SearchHit h = hits.get(i);
                System.out.printf(Locale.ROOT, "  %d. %.4f  #%d  %s%n", i + 1, h.score(), h.id(), texts.getOrDefault(h.id(), "?"));
            }
        }
    }

    /** texts.tsv: id, lemmas, gloss → "lemmas: gloss" by id. */
    private static Map<Long, String> readTexts(Path file) throws IOException {
        io.panavec.cli.input.InputFiles.requireFile(file);
        Map<Long, String> m = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.split("\t", 3);
            if (f.length == 3) {
                try {
                    m.put(Long.parseLong(f[0]), f[1].replace(',', ' ') + ": " + f[2]);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": '" + f[0] + "' is not an id (expected id, lemmas, gloss per line)");
                }
            }
        }
        return m;
    }

    /** The last column of a TSV with a header: the query text. */
    private static List<String> readColumn(Path file) throws IOException {
        io.panavec.cli.input.InputFiles.requireFile(file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.subList(Math.min(1, lines.size()), lines.size()).stream().map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList();
    }
}
