package io.panavec.spark;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.io.VectorFile;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The sharded index on Spark against the single-node index, in one JVM: build and search throughput at 1 and 2
 * executor cores ({@code local[1]}, {@code local[2]}) and 1, 4 and 16 hash shards, recall@10 against the shipped
 * ground truth, the bytes each shard takes and the shuffle bytes of a 1,000-query batch; then 16 k-means shards
 * and the fraction of (query, shard) pairs pruned for selective filters and by the centroid bound. Not a unit
 * test: run by hand (spark/README.md), it appends each figure to the report as it is measured.
 *
 * <p>Usage: {@code ShardBenchReport <wordnet-minilm dir> <report.md> [spec] [reps]}
 */
public final class ShardBenchReport {
    static final int K = 10;
    static final int EF = 64;

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[0]).toAbsolutePath();
        Path report = Path.of(args[1]);
        String spec = args.length > 2 ? args[2] : "hnsw:M=16,efc=100";
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        float[][] base, queries;
        try (VectorFile f = VectorFile.open(data.resolve("base.fvecs")); VectorFile q = VectorFile.open(data.resolve("queries.fvecs"))) {
            base = f.readAll();
            queries = q.readAll();
        }
        int[][] truth = VectorFile.readIvecs(data.resolve("queries-groundtruth.ivecs"));
        List<String> lines = Files.readAllLines(data.resolve("attributes.tsv"));
        String[][] attrs = new String[base.length][];
        for (int i = 0; i < base.length; i++) {
            String[] c = lines.get(i + 1).split("\t"); // id pos lexname synset_offset lemma_count gloss_chars
            attrs[i] = new String[] {c[1], c[2], c[5]};
        }
        Path tmp = Files.createTempDirectory("panavec-shard-bench");
        StringBuilder md = new StringBuilder();
        md.append("# Sharded panavec on Spark vs the single-node index\n\n");
        md.append(String.format(Locale.ROOT, "Run %s on %s: %,d x %d vectors (cosine, attributes pos, lexname, gloss_chars), "
                + "%,d queries (queries.fvecs) per batch, top-%d, spec `%s`, efSearch %d. Spark %s in local mode on this "
                + "machine (driver and executor in one JVM, shared file system = local disk). Search figures are the median "
                + "of %d batches after a first batch that copies the shards into the executor cache (its time is shown as cold).%n%n",
                LocalDate.now(), data.getFileName(), base.length, base[0].length, queries.length, K, spec, EF,
                org.apache.spark.package$.MODULE$.SPARK_VERSION(), reps));
        md.append("Load average at start: ").append(load()).append(".\n\n");
        write(report, md);

        // ---- single node
        md.append("## Single-node index (PanavecIndex, batch search)\n\n| threads | build s | build rows/s | search q/s | recall@10 | load |\n|---|---|---|---|---|---|\n");
        for (int threads : new int[] {1, 2}) {
            long s = System.nanoTime();
            Path dir = tmp.resolve("single-" + threads);
            try (PanavecIndex index = PanavecIndex.builder(dir).dimension(base[0].length).metric(Metric.COSINE).spec(spec)
                    .schema(Schema.builder().add("pos", AttributeType.KEYWORD).add("lexname", AttributeType.KEYWORD)
                            .add("gloss_chars", AttributeType.INT).build()).threads(threads).create()) {
                long[] ids = new long[base.length];
                List<Map<String, Object>> a = new ArrayList<>();
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = i;
                    a.add(Map.of("pos", attrs[i][0], "lexname", attrs[i][1], "gloss_chars", Integer.parseInt(attrs[i][2])));
                }
                index.add(ids, base, a);
                index.commit();
                double build = (System.nanoTime() - s) / 1e9;
                List<SearchRequest> req = new ArrayList<>();
                for (float[] q : queries) req.add(SearchRequest.of(q, K).withEfSearch(EF));
                List<Double> times = new ArrayList<>();
                List<SearchResult> r = null;
                for (int rep = 0; rep <= reps; rep++) {
                    long t = System.nanoTime();
                    r = index.search(req);
                    if (rep > 0) times.add((System.nanoTime() - t) / 1e9);
                }
                double rec = recall(r.stream().map(x -> x.hits().stream().map(SearchHit::id).toList()).toList(), truth);
                md.append(String.format(Locale.ROOT, "| %d | %.1f | %.0f | %.0f | %.4f | %s |%n", threads, build, base.length / build,
                        queries.length / median(times), rec, load()));
                write(report, md);
            }
            ShardBuilder.deleteRecursively(dir);
        }

        // ---- Spark, hash shards
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("pos", DataTypes.StringType).add("lexname", DataTypes.StringType).add("gloss_chars", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>(base.length);
        for (int i = 0; i < base.length; i++) rows.add(RowFactory.create((long) i, base[i], attrs[i][0], attrs[i][1], Integer.parseInt(attrs[i][2])));
        List<Row> queryRows = new ArrayList<>();
        for (int i = 0; i < queries.length; i++) queryRows.add(RowFactory.create((long) i, queries[i]));
        StructType qschema = new StructType().add("query_id", DataTypes.LongType, false)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        md.append("\n## Sharded on Spark (hash shards)\n\n| executor cores | shards | build s | build rows/s | bytes per shard (mean) "
                + "| cold search s | search q/s | recall@10 | shuffle bytes per batch | load |\n|---|---|---|---|---|---|---|---|---|---|\n");
        write(report, md);
        String kmeansPath = null;
        for (int cores : new int[] {1, 2}) {
            SparkSession spark = session(cores);
            AtomicLong shuffle = new AtomicLong();
            spark.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    if (end.taskMetrics() != null) shuffle.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
                }
            });
            Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(cores * 4).cache();
            df.count();
            Dataset<Row> qdf = spark.createDataFrame(queryRows, qschema).repartition(cores).cache();
            qdf.count();
            for (int shards : new int[] {1, 4, 16}) {
                String path = tmp.resolve("hash-" + cores + "-" + shards).toString();
                long s = System.nanoTime();
                PanavecSpark.build(df, ShardedIndexOptions.at(path).shards(shards).spec(spec).threadsPerTask(1));
                double build = (System.nanoTime() - s) / 1e9;
                long bytes = dirBytes(Path.of(path));
                ShardedSearch search = ShardedSearch.of(path).k(K).efSearch(EF);
                s = System.nanoTime();
                search.run(qdf).hits().unpersist();
                double cold = (System.nanoTime() - s) / 1e9;
                List<Double> times = new ArrayList<>();
                Map<Long, List<Long>> got = null;
                long shuffleBytes = 0;
                for (int rep = 0; rep < reps; rep++) {
                    long before = shuffle.get();
                    long t = System.nanoTime();
                    ShardedSearch.Result r = search.run(qdf);
                    times.add((System.nanoTime() - t) / 1e9);
                    got = collect(r.hits());
                    r.hits().unpersist();
                    shuffleBytes = shuffle.get() - before;
                }
                md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.0f | %,d | %.2f | %.0f | %.4f | %,d | %s |%n", cores, shards, build,
                        base.length / build, bytes / shards, cold, queries.length / median(times), recall(got, queries.length, truth), shuffleBytes, load()));
                write(report, md);
            }
            if (cores == 2) {
                kmeansPath = tmp.resolve("kmeans-16").toString();
                long s = System.nanoTime();
                PanavecSpark.build(df, ShardedIndexOptions.at(kmeansPath).shards(16).spec(spec)
                        .partitioning(ShardedIndexOptions.Partitioning.KMEANS));
                double build = (System.nanoTime() - s) / 1e9;
                pruning(md, report, kmeansPath, qdf, build, truth, queries.length, attrs);
            }
            ShardCache.clear();
            spark.stop();
        }
        md.append("\nLoad average at end: ").append(load()).append(".\n");
        write(report, md);
        ShardBuilder.deleteRecursively(tmp);
        System.out.println(md);
    }

    private static void pruning(StringBuilder md, Path report, String path, Dataset<Row> qdf, double build, int[][] truth, int nq,
                                String[][] attrs) throws IOException {
        md.append(String.format(Locale.ROOT, "%n## 16 k-means shards, 2 cores: pruning%n%nBuilt in %.1f s (k-means on a sample of 4,096 rows). "
                + "Pruned = (query, non-empty shard) pairs not searched, of all such pairs.%n%n"
                + "| search | matches | pruned by filter | pruned by bound | searched pairs | q/s | recall@10 / filter check | load |%n|---|---|---|---|---|---|---|---|%n", build));
        String[][] runs = {
                {"exact (probe 1, then every shard whose bound reaches the 10th score)", null, "1", "true"},
                {"approximate: nearest 1 shard (more only while < k hits)", null, "1", "false"},
                {"approximate: nearest 2 shards", null, "2", "false"},
                {"approximate: nearest 4 shards", null, "4", "false"},
                {"filter lexname = 'verb.weather' (0.07%)", "lexname = 'verb.weather'", "0", "true"},
                {"filter pos = 'r' (3%)", "pos = 'r'", "0", "true"},
                {"filter lexname = 'noun.animal' (6%)", "lexname = 'noun.animal'", "0", "true"},
                {"filter lexname = 'verb.weather' AND gloss_chars < 40", "lexname = 'verb.weather' AND gloss_chars < 40", "0", "true"},
        };
        for (String[] run : runs) {
            ShardedSearch s = ShardedSearch.of(path).k(K).efSearch(EF).probes(Integer.parseInt(run[2])).exhaustive(Boolean.parseBoolean(run[3]));
            if (run[1] != null) s = s.filter(run[1]);
            long t = System.nanoTime();
            ShardedSearch.Result r = s.run(qdf);
            double sec = (System.nanoTime() - t) / 1e9;
            Map<Long, List<Long>> got = collect(r.hits());
            r.hits().unpersist();
            String quality;
            long matches = -1;
            if (run[1] == null) {
                quality = String.format(Locale.ROOT, "%.4f", recall(got, nq, truth));
            } else {
                io.panavec.filter.Filter f = io.panavec.filter.Filter.parse(run[1]);
                Set<Long> ok = new HashSet<>();
                for (int i = 0; i < attrs.length; i++) if (ShardedIndexTest.matchesRow(f, attrs[i])) ok.add((long) i);
                matches = ok.size();
                long bad = got.values().stream().flatMap(List::stream).filter(id -> !ok.contains(id)).count();
                long shortLists = got.values().stream().filter(l -> l.size() != Math.min(K, ok.size())).count() + (nq - got.size());
                quality = bad + " failing hits, " + shortLists + " queries with fewer than min(k, matches)";
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %.1f%% | %,d | %.0f | %s | %s |%n", run[0], matches < 0 ? "-" : Long.toString(matches),
                    100.0 * r.prunedByFilter() / r.shardPairs(), 100.0 * r.prunedByBound() / r.shardPairs(), r.pairsSearched(), nq / sec, quality, load()));
            write(report, md);
        }
    }

    static SparkSession session(int cores) {
        return SparkSession.builder().master("local[" + cores + "]").appName("panavec-shard-bench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", Integer.toString(cores * 4))
                .getOrCreate();
    }

    static Map<Long, List<Long>> collect(Dataset<Row> hits) {
        Map<Long, List<Long>> out = new HashMap<>();
        for (Row r : hits.orderBy("query_id", "rank").collectAsList()) out.computeIfAbsent(r.getLong(0), q -> new ArrayList<>()).add(r.getLong(1));
        return out;
    }

    static double recall(Map<Long, List<Long>> got, int nq, int[][] truth) {
        List<List<Long>> l = new ArrayList<>();
        for (int q = 0; q < nq; q++) l.add(got.getOrDefault((long) q, List.of()));
        return recall(l, truth);
    }

    static double recall(List<List<Long>> got, int[][] truth) {
        double sum = 0;
        for (int q = 0; q < got.size(); q++) {
            Set<Long> t = new HashSet<>();
            for (int i = 0; i < K; i++) t.add((long) truth[q][i]);
            sum += got.get(q).stream().limit(K).filter(t::contains).count() / (double) K;
        }
        return sum / got.size();
    }

    static long dirBytes(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".crc")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int m = s.size();
        return m % 2 == 1 ? s.get(m / 2) : (s.get(m / 2 - 1) + s.get(m / 2)) / 2;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static void write(Path report, StringBuilder md) throws IOException {
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, md.toString());
    }
}
