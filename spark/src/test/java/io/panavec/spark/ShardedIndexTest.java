package io.panavec.spark;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.attributes.AttributeType;
import io.panavec.filter.Filter;
import io.panavec.attributes.Schema;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sharded builds and scatter-gather search in Spark local[2] against single-node panavec indexes over the
 * union of the shards (the oracle for exact specs is the single-node exact scan; for HNSW, recall against
 * it): exact equality of ids and scores, HNSW recall, the filter guarantee, pruning that is counted and
 * changes nothing, a build task failing mid-upload and retried, the executor cache, and the self-join.
 */
class ShardedIndexTest {
    static final int K = 10;
    static Path tmp;
    static PanavecIndex exact;   // single node, flat, every row
    static String hashFlat;      // 4 hash shards, flat
    static String kmeansFlat;    // 5 k-means shards, flat

    @BeforeAll
    static void build() throws IOException {
        tmp = Files.createTempDirectory("panavec-spark-test");
        exact = singleNode("flat");
        hashFlat = tmp.resolve("hash-flat").toString();
        long[] sizes = PanavecSpark.build(SparkFixture.rows(), ShardedIndexOptions.at(hashFlat).shards(4).spec("flat"));
        assertEquals(SparkFixture.ROWS, java.util.Arrays.stream(sizes).sum());
        kmeansFlat = tmp.resolve("kmeans-flat").toString();
        PanavecSpark.build(SparkFixture.rows(), ShardedIndexOptions.at(kmeansFlat).shards(5).spec("flat")
                .partitioning(ShardedIndexOptions.Partitioning.KMEANS));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        exact.close();
        ShardCache.clear();
        ShardBuilder.deleteRecursively(tmp);
    }

    static PanavecIndex singleNode(String spec) throws IOException {
        Schema schema = Schema.builder().add("pos", AttributeType.KEYWORD).add("lexname", AttributeType.KEYWORD)
                .add("gloss_chars", AttributeType.INT).build();
        PanavecIndex index = PanavecIndex.builder(tmp.resolve("single-" + spec.replace(':', '_').replace(',', '_').replace('=', '_')))
                .dimension(384).metric(Metric.COSINE).spec(spec).schema(schema).threads(2).create();
        float[][] base = SparkFixture.base();
        long[] ids = new long[base.length];
        List<Map<String, Object>> attrs = new ArrayList<>();
        for (int i = 0; i < base.length; i++) {
            ids[i] = SparkFixture.id(i);
            String[] a = SparkFixture.attributes()[i];
            attrs.add(Map.of("pos", a[0], "lexname", a[1], "gloss_chars", Integer.parseInt(a[2])));
        }
        index.add(ids, base, attrs);
        return index;
    }

    /** query_id -> hits in rank order. */
    static Map<Long, List<Row>> byQuery(Dataset<Row> hits) {
        Map<Long, List<Row>> out = new HashMap<>();
        for (Row r : hits.orderBy("query_id", "rank").collectAsList()) out.computeIfAbsent(r.getLong(0), q -> new ArrayList<>()).add(r);
        return out;
    }

    static void assertSameAsSingleNode(Map<Long, List<Row>> got, PanavecIndex single, String filter, String what) {
        float[][] q = SparkFixture.queries();
        for (int i = 0; i < q.length; i++) {
            SearchRequest req = SearchRequest.of(q[i], K);
            if (filter != null) req = req.withFilter(filter);
            List<SearchHit> want = single.search(req).hits();
            List<Row> have = got.getOrDefault((long) i, List.of());
            assertEquals(want.size(), have.size(), what + ": hits of query " + i);
            for (int r = 0; r < want.size(); r++) {
                assertEquals(want.get(r).id(), have.get(r).getLong(1), what + ": query " + i + " rank " + (r + 1));
                assertEquals(want.get(r).score(), have.get(r).getFloat(2), 1e-5, what + ": score of query " + i + " rank " + (r + 1));
                assertEquals(r + 1, have.get(r).getInt(3));
            }
        }
    }

    @Test
    void shardedExactSearchEqualsSingleNodeExactSearch() {
        ShardedSearch.Result r = ShardedSearch.of(hashFlat).k(K).run(SparkFixture.queryRows());
        assertEquals(SparkFixture.QUERIES, r.queries());
        assertEquals(SparkFixture.QUERIES * 4L, r.pairsSearched(), "hash shards: every query searches every shard");
        assertSameAsSingleNode(byQuery(r.hits()), exact, null, "hash shards");
    }

    /** Eight well separated blobs in 16 dimensions: shards whose ball cannot reach a query's k-th score exist. */
    @Test
    void centroidPruningSkipsShardsWithoutChangingResults() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        int dim = 16, blobs = 8, per = 150;
        float[][] centre = new float[blobs][dim];
        for (float[] c : centre) for (int j = 0; j < dim; j++) c[j] = (float) (rnd.nextGaussian() * 10);
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        List<Row> rows = new ArrayList<>();
        float[][] base = new float[blobs * per][];
        for (int i = 0; i < base.length; i++) {
            base[i] = new float[dim];
            for (int j = 0; j < dim; j++) base[i][j] = centre[i % blobs][j] + (float) rnd.nextGaussian();
            rows.add(RowFactory.create((long) i, SparkFixture.boxed(base[i])));
        }
        List<Row> queryRows = new ArrayList<>();
        float[][] queries = new float[40][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = new float[dim];
            for (int j = 0; j < dim; j++) queries[i][j] = centre[i % blobs][j] + (float) rnd.nextGaussian();
            queryRows.add(RowFactory.create((long) i, SparkFixture.boxed(queries[i])));
        }
        Dataset<Row> data = SparkFixture.spark().createDataFrame(rows, schema);
        Dataset<Row> q = SparkFixture.spark().createDataFrame(queryRows, new StructType().add("query_id", DataTypes.LongType, false)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false));
        for (Metric metric : List.of(Metric.L2, Metric.COSINE)) {
            String path = tmp.resolve("blobs-" + metric).toString();
            PanavecSpark.build(data, ShardedIndexOptions.at(path).shards(4).spec("flat").metric(metric).attributes(List.of())
                    .partitioning(ShardedIndexOptions.Partitioning.KMEANS));
            ShardedSearch.Result pruned = ShardedSearch.of(path).k(K).probes(1).run(q);
            ShardedSearch.Result full = ShardedSearch.of(path).k(K).probes(0).run(q);
            assertEquals(full.queries() * 4, full.pairsSearched());
            assertTrue(pruned.prunedByBound() > 0, metric + ": no shard was pruned by its bound: " + pruned);
            assertEquals(pruned.shardPairs(), pruned.pairsSearched() + pruned.prunedByBound() + pruned.prunedByFilter());
            Map<Long, List<Row>> a = byQuery(pruned.hits()), b = byQuery(full.hits());
            for (int i = 0; i < queries.length; i++) {
                float[] qv = metric.prepare(queries[i]);
                List<Long> truth = bruteForce(metric, base, qv, K);
                assertEquals(truth, a.get((long) i).stream().map(r -> r.getLong(1)).toList(), metric + " pruned, query " + i);
                assertEquals(truth, b.get((long) i).stream().map(r -> r.getLong(1)).toList(), metric + " every shard, query " + i);
            }
        }
    }

    static List<Long> bruteForce(Metric metric, float[][] base, float[] q, int k) {
        Integer[] order = new Integer[base.length];
        double[] score = new double[base.length];
        for (int i = 0; i < base.length; i++) {
            order[i] = i;
            float[] x = metric.prepare(base[i]);
            double s = 0;
            for (int j = 0; j < q.length; j++) s += metric == Metric.L2 ? (q[j] - x[j]) * (double) (q[j] - x[j]) : (double) q[j] * x[j];
            score[i] = metric == Metric.L2 ? s : -s;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(score[x], score[y]));
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < k; i++) out.add((long) order[i]);
        return out;
    }

    @Test
    void filteredSearchKeepsTheGuaranteeAndFilterPruningChangesNothing() {
        Map<Long, String[]> attrs = new HashMap<>();
        for (int i = 0; i < SparkFixture.ROWS; i++) attrs.put(SparkFixture.id(i), SparkFixture.attributes()[i]);
        // ~3% of rows; a rare category (fewer matches than k); a conjunction with a numeric range
        for (String filter : List.of("pos = 'r'", "lexname = 'verb.perception' AND gloss_chars < 60", "lexname = 'verb.weather'")) {
            Filter f = Filter.parse(filter);
            long matches = attrs.values().stream().filter(a -> matchesRow(f, a)).count();
            assertTrue(matches > 0, filter);
            ShardedSearch.Result pruned = ShardedSearch.of(kmeansFlat).k(K).filter(filter).run(SparkFixture.queryRows());
            ShardedSearch.Result unpruned = ShardedSearch.of(kmeansFlat).k(K).filter(filter).probes(0).pruneByFilter(false)
                    .run(SparkFixture.queryRows());
            assertEquals(0, unpruned.prunedByFilter() + unpruned.prunedByBound());
            Map<Long, List<Row>> got = byQuery(pruned.hits());
            for (int q = 0; q < SparkFixture.QUERIES; q++) {
                List<Row> hits = got.getOrDefault((long) q, List.of());
                assertEquals(Math.min(K, matches), hits.size(), filter + ": query " + q + " must get min(k, matches) hits");
                for (Row h : hits) assertTrue(matchesRow(f, attrs.get(h.getLong(1))), filter + ": hit " + h + " fails the filter");
            }
            assertSameAsSingleNode(got, exact, filter, filter + " pruned");
            assertSameAsSingleNode(byQuery(unpruned.hits()), exact, filter, filter + " unpruned");
            if (filter.startsWith("lexname = 'verb.weather'")) {
                assertTrue(pruned.prunedByFilter() > 0, "a category in few shards must prune the others: " + pruned);
            }
        }
    }

    /** The filter on one row's attributes, evaluated here independently of panavec's evaluator. */
    static boolean matchesRow(Filter f, String[] a) {
        return switch (f) {
            case Filter.Eq e -> switch (e.attribute()) {
                case "pos" -> a[0].equals(e.value());
                case "lexname" -> a[1].equals(e.value());
                default -> throw new IllegalArgumentException(e.attribute());
            };
            case Filter.Range r -> {
                long v = Long.parseLong(a[2]);
                boolean lo = r.lower() == null || (r.lowerInclusive() ? v >= ((Number) r.lower()).doubleValue() : v > ((Number) r.lower()).doubleValue());
                boolean hi = r.upper() == null || (r.upperInclusive() ? v <= ((Number) r.upper()).doubleValue() : v < ((Number) r.upper()).doubleValue());
                yield lo && hi;
            }
            case Filter.And and -> and.filters().stream().allMatch(x -> matchesRow(x, a));
            default -> throw new IllegalArgumentException("test evaluator: " + f);
        };
    }

    @Test
    void shardedHnswRecallIsWithinOneHundredthOfSingleNodeHnsw() throws IOException {
        String spec = "hnsw:M=16,efc=100";
        String path = tmp.resolve("hash-hnsw").toString();
        PanavecSpark.build(SparkFixture.rows(), ShardedIndexOptions.at(path).shards(4).spec(spec));
        int ef = 40;
        Map<Long, List<Row>> got = byQuery(ShardedSearch.of(path).k(K).efSearch(ef).run(SparkFixture.queryRows()).hits());
        try (PanavecIndex single = singleNode(spec)) {
            float[][] q = SparkFixture.queries();
            double sharded = 0, one = 0;
            for (int i = 0; i < q.length; i++) {
                List<Long> truth = exact.search(SearchRequest.of(q[i], K)).hits().stream().map(SearchHit::id).toList();
                sharded += got.get((long) i).stream().filter(r -> truth.contains(r.getLong(1))).count() / (double) K;
                one += single.search(SearchRequest.of(q[i], K).withEfSearch(ef)).hits().stream()
                        .filter(h -> truth.contains(h.id())).count() / (double) K;
            }
            sharded /= q.length;
            one /= q.length;
            System.out.printf("recall@10 at ef %d: sharded HNSW (4 shards) %.4f, single-node HNSW %.4f%n", ef, sharded, one);
            assertTrue(sharded >= one - 0.01, "sharded recall " + sharded + " vs single-node " + one);
        }
    }

    static final AtomicInteger FAULTS = new AtomicInteger();

    @Test
    void aBuildTaskKilledMidUploadIsRetriedAndTheIndexIsCompleteAndCachedOnce() throws IOException {
        String path = tmp.resolve("faulty").toString();
        FAULTS.set(0);
        // shard 2's first attempt dies after copying its first file to the shared file system
        ShardedIndexOptions options = ShardedIndexOptions.at(path).shards(4).spec("flat").faultInjection((point, shard, attempt) -> {
            if (shard == 2 && attempt == 0 && point.startsWith("uploaded ")) {
                FAULTS.incrementAndGet();
                throw new IOException("injected fault: task killed while uploading shard 2");
            }
        });
        PanavecSpark.build(SparkFixture.rows(), options);
        assertEquals(1, FAULTS.get(), "the fault must have fired once");
        try (Stream<Path> dirs = Files.list(Path.of(path))) {
            List<String> names = dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("shard-")).sorted().toList();
            assertEquals(4, names.size(), "one directory per shard, the failed attempt's removed: " + names);
            assertTrue(names.stream().noneMatch(n -> n.startsWith("shard-00002-a0-")), "the failed attempt is not named: " + names);
        }
        long copies = ShardCache.copies();
        assertSameAsSingleNode(byQuery(ShardedSearch.of(path).k(K).run(SparkFixture.queryRows()).hits()), exact, null, "after a retried task");
        assertEquals(copies + 4, ShardCache.copies(), "the first search copies each of the 4 shards into the executor cache once");
        long hits = ShardCache.hits();
        ShardedSearch.of(path).k(K).run(SparkFixture.queryRows());
        assertEquals(copies + 4, ShardCache.copies(), "a second job reuses the copies");
        assertTrue(ShardCache.hits() >= hits + 4);
    }

    @Test
    void selfJoinFindsEachRowsNearestOtherRows() {
        int k = 5;
        Dataset<Row> some = SparkFixture.rows().filter("id % 40 = 0"); // 84 of the indexed rows as queries
        Map<Long, List<Row>> got = byQuery(PanavecSpark.selfJoin(some, "id", "vector", hashFlat, k));
        assertEquals(java.util.stream.IntStream.range(0, SparkFixture.ROWS).filter(i -> SparkFixture.id(i) % 40 == 0).count(), got.size());
        for (Map.Entry<Long, List<Row>> e : got.entrySet()) {
            float[] v = SparkFixture.base()[(int) (e.getKey() - 1000)];
            List<Long> want = exact.search(SearchRequest.of(v, k + 1)).hits().stream().map(SearchHit::id)
                    .filter(id -> !id.equals(e.getKey())).limit(k).toList();
            assertEquals(want, e.getValue().stream().map(r -> r.getLong(1)).toList(), "neighbours of " + e.getKey());
        }
    }

    @Test
    void sparkMlVectorsBuildAndKnnJoinAndBadInputFailsOnTheDriver() throws IOException {
        StructType schema = new StructType().add("key", DataTypes.LongType, false).add("features", SQLDataTypes.VectorType(), false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            float[] f = SparkFixture.base()[i];
            double[] d = new double[f.length];
            for (int j = 0; j < f.length; j++) d[j] = f[j];
            rows.add(RowFactory.create((long) i, Vectors.dense(d)));
        }
        Dataset<Row> data = SparkFixture.spark().createDataFrame(rows, schema);
        String path = tmp.resolve("ml").toString();
        PanavecSpark.build(data, ShardedIndexOptions.at(path).shards(4).spec("hnsw:M=8,efc=40,quant=sq8").columns("key", "features")
                .metric(Metric.INNER_PRODUCT).partitioning(ShardedIndexOptions.Partitioning.KMEANS));
        Map<Long, List<Row>> got = byQuery(PanavecSpark.knnJoin(data.limit(20), "key", "features", path, 3));
        assertEquals(20, got.size());
        got.forEach((key, hits) -> assertEquals(key, hits.get(0).getLong(1), "a row is its own nearest neighbour"));
        assertThrows(RuntimeException.class, () -> PanavecSpark.build(data, ShardedIndexOptions.at(path).shards(4).columns("key", "features")),
                "an index already at the path is refused");
        assertThrows(IllegalArgumentException.class, () -> PanavecSpark.build(SparkFixture.rows(), ShardedIndexOptions.at(path + "2").columns("pos", "vector")));
        assertThrows(IllegalArgumentException.class, () -> ShardedSearch.of(path).filter("pos = "));
    }

    @Test
    void aCorruptManifestIsRefused() throws IOException {
        Path copy = tmp.resolve("corrupt");
        Files.createDirectories(copy);
        String text = Files.readString(Path.of(hashFlat, ShardManifest.FILE_NAME));
        Files.writeString(copy.resolve(ShardManifest.FILE_NAME), text.replace("rows=", "rows=1")); // no Hadoop .crc beside it
        FileSystem fs = FileSystem.getLocal(SparkFixture.spark().sparkContext().hadoopConfiguration());
        IOException e = assertThrows(IOException.class, () -> ShardManifest.read(fs, new org.apache.hadoop.fs.Path(copy.toString())));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        Files.writeString(copy.resolve(ShardManifest.FILE_NAME), text.substring(0, text.length() / 2));
        assertThrows(IOException.class, () -> ShardManifest.read(fs, new org.apache.hadoop.fs.Path(copy.toString())));
    }
}
