package io.panavec.langchain4j.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.panavec.io.VectorFile;
import io.panavec.langchain4j.PanavecEmbeddingStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LangChain4j {@code EmbeddingStore.search} latency, side by side in one JVM: {@link PanavecEmbeddingStore}
 * (exact {@code flat} and {@code hnsw:M=16,efc=100} at several efSearch) against LangChain4j's
 * {@link InMemoryEmbeddingStore} (an exact scan), on the same documents (vectors and gloss texts of a
 * wordnet-minilm directory) and queries, through the same {@code search(EmbeddingSearchRequest)} call with
 * maxResults 10. Recall@10 against the shipped exact ground truth is measured for every row, so the latency
 * ratios can be read at matched recall. Per engine and query set: one warm-up pass, then {@code passes} timed
 * passes, engines interleaved within each pass; the report gives the median over passes of the mean
 * per-query latency and the median per-query latency of all timed queries.
 *
 * <p>Usage: {@code EmbeddingStoreReport <data dir> <report.md> [passes]}.
 */
public final class EmbeddingStoreReport {
    private static final int K = 10;
    private static final int[] EFS = {16, 32, 64, 128};

    private EmbeddingStoreReport() {}

    record Engine(String name, EmbeddingStore<TextSegment> store, Runnable tune) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: EmbeddingStoreReport <data dir> <report.md> [passes]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path report = Path.of(args[1]);
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String loadBefore = loadAverage();
        float[][] base;
        try (VectorFile f = VectorFile.open(data.resolve("base.fvecs"))) {
            base = f.readAll();
        }
        List<String> texts = texts(data.resolve("texts.tsv"), base.length);
        List<String> ids = new ArrayList<>(base.length);
        List<Embedding> embeddings = new ArrayList<>(base.length);
        List<TextSegment> segments = new ArrayList<>(base.length);
        for (int i = 0; i < base.length; i++) {
            ids.add(Integer.toString(i));
            embeddings.add(Embedding.from(base[i]));
            segments.add(TextSegment.from(texts.get(i)));
        }
        Path tmp = Files.createTempDirectory("panavec-lc4j-bench");
        StringBuilder out = new StringBuilder();
        try {
            InMemoryEmbeddingStore<TextSegment> memory = new InMemoryEmbeddingStore<>();
            long t0 = System.nanoTime();
            memory.addAll(ids, embeddings, segments);
            double memoryLoad = (System.nanoTime() - t0) / 1e9;
            PanavecEmbeddingStore flat = PanavecEmbeddingStore.builder().directory(tmp.resolve("flat")).dimension(base[0].length)
                    .indexSpec("flat").build();
            t0 = System.nanoTime();
            flat.addAll(ids, embeddings, segments);
            double flatLoad = (System.nanoTime() - t0) / 1e9;
            PanavecEmbeddingStore hnsw = PanavecEmbeddingStore.builder().directory(tmp.resolve("hnsw")).dimension(base[0].length)
                    .indexSpec("hnsw:M=16,efc=100").build();
            t0 = System.nanoTime();
            hnsw.addAll(ids, embeddings, segments);
            double hnswLoad = (System.nanoTime() - t0) / 1e9;

            List<Engine> engines = new ArrayList<>();
            engines.add(new Engine("LangChain4j InMemoryEmbeddingStore (exact)", memory, () -> { }));
            engines.add(new Engine("PanavecEmbeddingStore flat (exact)", flat, () -> { }));
            for (int ef : EFS) {
                engines.add(new Engine("PanavecEmbeddingStore hnsw:M=16,efc=100 ef=" + ef, hnsw, () -> hnsw.documents().efSearch(ef)));
            }
            out.append("# LangChain4j EmbeddingStore.search: panavec adapter vs InMemoryEmbeddingStore\n\n");
            out.append(String.format(Locale.ROOT, "Data: %s (%d documents x %d, gloss texts as segments), k = %d, one thread, "
                    + "one query at a time, %d timed passes after one warm-up pass, engines interleaved per pass.%n",
                    data.getFileName(), base.length, base[0].length, K, passes));
            out.append(String.format(Locale.ROOT, "Load (addAll of all documents): InMemory %.2f s, panavec flat %.2f s, panavec hnsw %.2f s.%n%n",
                    memoryLoad, flatLoad, hnswLoad));
            for (String set : List.of("queries", "queries-words")) {
                float[][] queries;
                try (VectorFile f = VectorFile.open(data.resolve(set + ".fvecs"))) {
                    queries = f.readAll();
                }
                int[][] truth = VectorFile.readIvecs(data.resolve(set + "-groundtruth.ivecs"));
                out.append("## ").append(set).append(" (").append(queries.length).append(" queries)\n\n");
                out.append("| engine | recall@10 | mean µs/query (median of passes) | median µs/query | InMemory mean / this mean |\n|---|---|---|---|---|\n");
                double[][] means = new double[engines.size()][passes];
                List<List<Double>> all = new ArrayList<>();
                double[] recall = new double[engines.size()];
                for (int e = 0; e < engines.size(); e++) all.add(new ArrayList<>());
                for (int pass = -1; pass < passes; pass++) {
                    for (int e = 0; e < engines.size(); e++) {
                        Engine engine = engines.get(e);
                        engine.tune().run();
                        int[][] found = new int[queries.length][];
                        long total = 0;
                        for (int q = 0; q < queries.length; q++) {
                            EmbeddingSearchRequest req = EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(queries[q]))
                                    .maxResults(K).build();
                            long s = System.nanoTime();
                            List<EmbeddingMatch<TextSegment>> ms = engine.store().search(req).matches();
                            long dt = System.nanoTime() - s;
                            total += dt;
                            found[q] = ms.stream().mapToInt(m -> Integer.parseInt(m.embeddingId())).toArray();
                            if (pass >= 0) all.get(e).add(dt / 1e3);
                        }
                        if (pass >= 0) means[e][pass] = total / 1e3 / queries.length;
                        recall[e] = meanRecall(found, truth);
                    }
                }
                double memoryMean = median(means[0]);
                for (int e = 0; e < engines.size(); e++) {
                    double mean = median(means[e]);
                    out.append(String.format(Locale.ROOT, "| %s | %.4f | %.1f | %.1f | %.2fx |%n", engines.get(e).name(), recall[e], mean,
                            medianOf(all.get(e)), memoryMean / mean));
                }
                out.append('\n');
            }
            flat.close();
            hnsw.close();
        } finally {
            try (var walk = Files.walk(tmp)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        out.append(String.format(Locale.ROOT, "Machine: %d cores; load average %s at start, %s at end (/proc/loadavg, 1 min).%n",
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage()));
        Files.writeString(report, out.toString());
        System.out.print(out);
    }

    private static List<String> texts(Path tsv, int n) throws IOException {
        List<String> out = new ArrayList<>(n);
        for (String line : Files.readAllLines(tsv)) {
            String[] cols = line.split("\t", 3);
            if (cols.length == 3 && !cols[0].equals("id")) out.add(cols[2]);
        }
        if (out.size() != n) {
            throw new IOException(tsv + " has " + out.size() + " texts for " + n + " vectors");
        }
        return out;
    }

    /** Mean over queries of |found[0..K) ∩ truth[0..K)| / K. */
    private static double meanRecall(int[][] found, int[][] truth) {
        double sum = 0;
        for (int q = 0; q < found.length; q++) {
            java.util.Set<Integer> t = new java.util.HashSet<>();
            for (int j = 0; j < K; j++) t.add(truth[q][j]);
            sum += java.util.Arrays.stream(found[q]).limit(K).distinct().filter(t::contains).count() / (double) K;
        }
        return sum / found.length;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double medianOf(List<Double> xs) {
        return median(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
