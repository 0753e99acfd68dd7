package io.panavec.bench.filter;

import io.panavec.Metric;
import io.panavec.internal.NativeMetric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.bench.BenchData;
import io.panavec.faiss.FaissIndex;
import io.panavec.faiss.SearchParams;
import io.panavec.attributes.AttributeType;
import io.panavec.filter.Filter;
import io.panavec.attributes.Schema;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Filtered kNN on wordnet-minilm: panavec (planner: exact scan / ACORN / post-filter), Lucene 10 filtered
 * KnnFloatVectorQuery and FAISS HNSW with an IDSelectorBitmap, side by side in one JVM: recall@10 against a
 * brute-force filtered ground truth and single-thread queries/s (the best of three timed passes, after a
 * warm-up pass: the machine is shared), at six selectivities. Usage:
 * {@code FilteredReport <data dir> <out.md> [queries]}.
 */
public final class FilteredReport {
    private static final int K = 10;

    private record Case(String name, Filter filter, Query lucene, IntPredicate matches) {}

    private record Row(String system, String setting, double recall, double qps, String notes) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int nq = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        FaissIndex.setThreads(1);
        float[][] base = BenchData.read(data.resolve("base.fvecs"));
        float[][] queries = Arrays.copyOf(BenchData.read(data.resolve("queries.fvecs")), nq);
        List<String> lines = Files.readAllLines(data.resolve("attributes.tsv"), StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split("\t"));
        int iPos = header.indexOf("pos"), iLex = header.indexOf("lexname"), iGloss = header.indexOf("gloss_chars");
        int n = base.length;
        String[] pos = new String[n], lex = new String[n];
        int[] gloss = new int[n];
        for (int r = 0; r < n; r++) {
            String[] f = lines.get(r + 1).split("\t");
            pos[r] = f[iPos];
            lex[r] = f[iLex];
            gloss[r] = Integer.parseInt(f[iGloss]);
        }
        int[] sorted = gloss.clone();
        Arrays.sort(sorted);
        int g = sorted[(int) (n * 0.995)]; // gloss_chars >= g: the longest ~0.5%
        List<Case> cases = List.of(
                new Case("lexname = 'verb.weather'", Filter.eq("lexname", "verb.weather"),
                        new TermQuery(new Term("lexname", "verb.weather")), r -> lex[r].equals("verb.weather")),
                new Case("gloss_chars >= " + g, Filter.ge("gloss_chars", g), IntPoint.newRangeQuery("gloss_chars", g, Integer.MAX_VALUE),
                        r -> gloss[r] >= g),
                new Case("pos = 'r'", Filter.eq("pos", "r"), new TermQuery(new Term("pos", "r")), r -> pos[r].equals("r")),
                new Case("lexname = 'noun.animal'", Filter.eq("lexname", "noun.animal"),
                        new TermQuery(new Term("lexname", "noun.animal")), r -> lex[r].equals("noun.animal")),
                new Case("pos = 'v'", Filter.eq("pos", "v"), new TermQuery(new Term("pos", "v")), r -> pos[r].equals("v")),
                new Case("pos = 'n'", Filter.eq("pos", "n"), new TermQuery(new Term("pos", "n")), r -> pos[r].equals("n")));

        Path work = Files.createTempDirectory("filtered-report");
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Filtered kNN: wordnet-minilm (%,d x %d), %d queries, k=%d, 1 search thread%n%n",
                n, base[0].length, nq, K));
        md.append(String.format(Locale.ROOT, "JVM %s, %d cores, load average %.1f at the start. Command: `FilteredReport %s %s %d`%n%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                data.getFileName(), out.getFileName(), nq));

        // ---- ground truth: brute force in double over the matching rows
        Map<String, int[][]> truth = new HashMap<>();
        Map<String, Integer> matchCount = new HashMap<>();
        for (Case c : cases) {
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < n; r++) if (c.matches().test(r)) rows.add(r);
            matchCount.put(c.name(), rows.size());
            int[][] t = new int[nq][];
            for (int q = 0; q < nq; q++) t[q] = bruteForce(base, queries[q], rows);
            truth.put(c.name(), t);
        }

        Map<String, List<Row>> rows = new TreeMap<>();
        // ---- panavec
        long t0 = System.nanoTime();
        Schema schema = Schema.builder().add("pos", AttributeType.KEYWORD).add("lexname", AttributeType.KEYWORD)
                .add("gloss_chars", AttributeType.INT).build();
        try (PanavecIndex index = PanavecIndex.builder(work.resolve("panavec")).dimension(base[0].length).metric(Metric.INNER_PRODUCT)
                .spec("hnsw:M=16,efc=100").schema(schema).threads(Runtime.getRuntime().availableProcessors()).create()) {
            for (int first = 0; first < n; first += 8192) {
                int m = Math.min(8192, n - first);
                long[] ids = new long[m];
                List<Map<String, Object>> attrs = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    ids[i] = first + i;
                    attrs.add(Map.of("pos", pos[first + i], "lexname", lex[first + i], "gloss_chars", gloss[first + i]));
                }
                index.add(ids, Arrays.copyOfRange(base, first, first + m), attrs);
            }
            md.append(String.format(Locale.ROOT, "panavec build (hnsw M=16 efc=100, %d threads): %.1f s%n%n",
                    Runtime.getRuntime().availableProcessors(), (System.nanoTime() - t0) / 1e9));
            for (Case c : cases) {
                // The planner's defaults; with most rows matching, also the previous default beam (ef 96).
                boolean broad = matchCount.get(c.name()) >= 0.3 * n;
                for (int ef : broad ? new int[] {0, 96} : new int[] {0}) {
                    Map<String, Integer> strategies = new TreeMap<>();
                    long[] scored = {0};
                    IntFunction<long[]> search = q -> {
                        SearchResult r = index.search(SearchRequest.of(queries[q], K).withEfSearch(ef).withFilter(c.filter()));
                        strategies.merge(r.strategy(), 1, Integer::sum);
                        scored[0] += r.candidatesScored();
                        return r.hits().stream().mapToLong(SearchHit::id).toArray();
                    };
                    Row row = measure("panavec", ef == 0 ? "planner default" : "ef " + ef, search, truth.get(c.name()), nq, c.matches());
                    strategies.replaceAll((s, v) -> v / PASSES);
                    rows.computeIfAbsent(c.name(), x -> new ArrayList<>()).add(new Row(row.system(), row.setting(), row.recall(), row.qps(),
                            row.notes() + "strategy " + strategies + ", scored/query " + scored[0] / ((long) PASSES * nq)));
                }
            }
        }

        // ---- FAISS HNSW + IDSelectorBitmap
        t0 = System.nanoTime();
        FaissIndex.setThreads(Runtime.getRuntime().availableProcessors());
        try (FaissIndex faiss = FaissIndex.create(base[0].length, "HNSW16", NativeMetric.INNER_PRODUCT)) {
            faiss.setEfConstruction(100); // panavec's build beam: FAISS's default is 40
            faiss.add(base);
            FaissIndex.setThreads(1);
            md.append(String.format(Locale.ROOT, "FAISS build (HNSW16, efConstruction 100 as panavec's): %.1f s%n%n", (System.nanoTime() - t0) / 1e9));
            for (Case c : cases) {
                BitSet allow = new BitSet(n);
                for (int r = 0; r < n; r++) if (c.matches().test(r)) allow.set(r);
                for (int ef : new int[] {64, 256}) {
                    SearchParams p = SearchParams.defaults().withEfSearch(ef).withAllow(allow);
                    IntFunction<long[]> search = q -> Arrays.stream(faiss.search(queries[q], K, p).ids()).filter(id -> id >= 0).toArray();
                    rows.computeIfAbsent(c.name(), x -> new ArrayList<>()).add(measure("FAISS", "efSearch " + ef, search, truth.get(c.name()), nq, c.matches()));
                }
            }
        }

        // ---- Lucene 10
        t0 = System.nanoTime();
        Path ldir = work.resolve("lucene");
        try (FSDirectory dir = FSDirectory.open(ldir)) {
            IndexWriterConfig cfg = new IndexWriterConfig().setRAMBufferSizeMB(1800); // one segment: no merged graphs
            try (IndexWriter w = new IndexWriter(dir, cfg)) {
                for (int r = 0; r < n; r++) {
                    Document d = new Document();
                    d.add(new KnnFloatVectorField("v", base[r], VectorSimilarityFunction.DOT_PRODUCT));
                    d.add(new StringField("pos", pos[r], Field.Store.NO));
                    d.add(new StringField("lexname", lex[r], Field.Store.NO));
                    d.add(new IntPoint("gloss_chars", gloss[r]));
                    d.add(new StoredField("id", r));
                    w.addDocument(d);
                }
                w.commit();
            }
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                md.append(String.format(Locale.ROOT, "Lucene %s build (HNSW M=16 beamWidth=100, defaults, %d segment(s)): %.1f s%n%n",
                        org.apache.lucene.util.Version.LATEST, reader.leaves().size(), (System.nanoTime() - t0) / 1e9));
                IndexSearcher searcher = new IndexSearcher(reader);
                int[] docToRow = new int[reader.maxDoc()];
                for (int d = 0; d < reader.maxDoc(); d++) {
                    docToRow[d] = reader.storedFields().document(d).getField("id").numericValue().intValue();
                }
                for (Case c : cases) {
                    for (int fanout : new int[] {K, 50}) {
                        IntFunction<long[]> search = q -> {
                            try {
                                Query f = new BooleanQuery.Builder().add(c.lucene(), BooleanClause.Occur.FILTER).build();
                                TopDocs td = searcher.search(new KnnFloatVectorQuery("v", queries[q], fanout, f), K);
                                long[] ids = new long[td.scoreDocs.length];
                                int i = 0;
                                for (ScoreDoc sd : td.scoreDocs) ids[i++] = docToRow[sd.doc];
                                return ids;
                            } catch (IOException e) {
                                throw new RuntimeException(e);
                            }
                        };
                        rows.computeIfAbsent(c.name(), x -> new ArrayList<>()).add(
                                measure("Lucene", "k " + fanout + " (top 10 kept)", search, truth.get(c.name()), nq, c.matches()));
                    }
                }
            }
        }

        md.append(String.format(Locale.ROOT, "Load average %.1f at the end. QPS: best of %d timed passes over the queries.%n%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), PASSES - 1));
        md.append("| filter | matches | selectivity | system | setting | recall@10 | QPS | notes |\n|---|---:|---:|---|---|---:|---:|---|\n");
        for (Case c : cases) {
            int m = matchCount.get(c.name());
            for (Row r : rows.get(c.name())) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %.2f%% | %s | %s | %.4f | %,.0f | %s |%n", c.name(), m, 100.0 * m / n,
                        r.system(), r.setting(), r.recall(), r.qps(), r.notes()));
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.print(md);
    }

    /** Query passes per measurement: a warm-up, then timed ones (the best counts). */
    private static final int PASSES = 4;

    /** Runs all queries PASSES times (warm-up, then timed: the fastest pass counts); recall against truth; counts violating and short results. */
    private static Row measure(String system, String setting, IntFunction<long[]> search, int[][] truth, int nq, IntPredicate matches) {
        for (int q = 0; q < nq; q++) search.apply(q);
        long[][] got = new long[nq][];
        double secs = Double.MAX_VALUE;
        for (int pass = 1; pass < PASSES; pass++) {
            long t0 = System.nanoTime();
            for (int q = 0; q < nq; q++) got[q] = search.apply(q);
            secs = Math.min(secs, (System.nanoTime() - t0) / 1e9);
        }
        double recall = 0;
        int violating = 0, shortResults = 0;
        for (int q = 0; q < nq; q++) {
            Set<Long> t = new HashSet<>();
            for (int id : truth[q]) t.add((long) id);
            long found = 0;
            for (long id : got[q]) {
                if (t.contains(id)) found++;
                if (!matches.test((int) id)) violating++;
            }
            if (got[q].length < truth[q].length) shortResults++;
            recall += truth[q].length == 0 ? 1 : (double) found / truth[q].length;
        }
        String notes = (violating > 0 ? violating + " VIOLATING results; " : "") + (shortResults > 0 ? shortResults + " queries short of k; " : "");
        return new Row(system, setting, recall / nq, nq / secs, notes);
    }

    private static int[] bruteForce(float[][] base, float[] q, List<Integer> rows) {
        int k = Math.min(K, rows.size());
        double[] best = new double[k];
        int[] bestRow = new int[k];
        int have = 0;
        for (int r : rows) {
            double s = 0;
            float[] v = base[r];
            for (int j = 0; j < v.length; j++) s += (double) q[j] * v[j];
            if (have < k) {
                int i = have++;
                while (i > 0 && best[i - 1] < s) { best[i] = best[i - 1]; bestRow[i] = bestRow[i - 1]; i--; }
                best[i] = s;
                bestRow[i] = r;
            } else if (s > best[k - 1]) {
                int i = k - 1;
                while (i > 0 && best[i - 1] < s) { best[i] = best[i - 1]; bestRow[i] = bestRow[i - 1]; i--; }
                best[i] = s;
                bestRow[i] = r;
            }
        }
        return bestRow;
    }
}
