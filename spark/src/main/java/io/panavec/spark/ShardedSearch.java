package io.panavec.spark;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.filter.Filter;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Scatter-gather search of a sharded index: {@code (query_id, id, score, rank)} for every query, the exact
 * merge of the shards' top-k.
 *
 * <p><b>What moves.</b> Shards never move: each executor copies a shard once into its local cache
 * ({@link ShardCache}) and maps it. The manifest with the shard summaries (kilobytes) is broadcast. Queries
 * go to the shards: each query is shuffled only to the shards that can contribute to it, so a batch moves
 * {@code queries x shards searched} vectors (the shards are gigabytes; sending them to the queries would
 * move far more, and broadcasting every query to every executor moves {@code queries x executors}, more than
 * routing once pruning searches fewer shards per query than there are executors). Each shard's task
 * answers its queries with panavec's batch search, 1,024 at a time; the per-shard top-k lists are reduced
 * by query id.
 *
 * <p><b>Pruning</b> (SQUASH's multi-level idea). A shard whose summary shows that no row can satisfy the
 * filter is never searched. With centroid pruning (k-means shards, {@link #probes}), a query first searches
 * its {@code probes} most promising shards, then only those other shards whose score bound (centroid and
 * radius) can still reach its k-th best score so far, or every remaining shard while it has fewer than k
 * hits: the merged result is the one searching every shard gives, with min(k, matches) hits.
 *
 * <p>Immutable options with copy-on-set; {@link #run} may be called from any thread.
 */
public final class ShardedSearch implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Queries per batch search call inside a shard task. */
    static final int BLOCK = 1024;
    static final StructType SCHEMA = new StructType()
            .add("query_id", DataTypes.LongType, false)
            .add("id", DataTypes.LongType, false)
            .add("score", DataTypes.FloatType, false)
            .add("rank", DataTypes.IntegerType, false);

    private final String path;
    private final int k;
    private final String filter;
    private final int efSearch;
    private final int rerank;
    private final int probes; // -1: the default for the partitioning; 0: every shard in one round (no centroid pruning)
    private final boolean pruneByFilter;
    private final String queryIdColumn;
    private final String vectorColumn;
    private final boolean excludeSelf;
    private final int threadsPerTask;
    private final boolean exhaustive;

    private ShardedSearch(String path, int k, String filter, int efSearch, int rerank, int probes, boolean pruneByFilter,
                          String queryIdColumn, String vectorColumn, boolean excludeSelf, int threadsPerTask, boolean exhaustive) {
        this.exhaustive = exhaustive;
        this.path = path;
        this.k = k;
        this.filter = filter;
        this.efSearch = efSearch;
        this.rerank = rerank;
        this.probes = probes;
        this.pruneByFilter = pruneByFilter;
        this.queryIdColumn = queryIdColumn;
        this.vectorColumn = vectorColumn;
        this.excludeSelf = excludeSelf;
        this.threadsPerTask = threadsPerTask;
    }

    /** A top-10 search of the index at {@code path}, queries in columns {@code query_id} and {@code vector}. */
    public static ShardedSearch of(String path) {
        return new ShardedSearch(Objects.requireNonNull(path, "path"), 10, null, 0, 0, -1, true, "query_id", "vector", false, 1, true);
    }

    public ShardedSearch k(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, was " + k);
        }
        return new ShardedSearch(path, k, filter, efSearch, rerank, probes, pruneByFilter, queryIdColumn, vectorColumn, excludeSelf, threadsPerTask, exhaustive);
    }

    /** Only rows satisfying {@code f} (panavec's filter language, e.g. {@code pos = 'n' AND gloss_chars < 40}); null: none. */
    public ShardedSearch filter(String f) {
        if (f != null) {
            Filter.parse(f); // a malformed filter fails here, on the driver
        }
        return new ShardedSearch(path, k, f, efSearch, rerank, probes, pruneByFilter, queryIdColumn, vectorColumn, excludeSelf, threadsPerTask, exhaustive);
    }

    /** The graph beam of each shard's search (0: the index's default). */
    public ShardedSearch efSearch(int ef) {
        return new ShardedSearch(path, k, filter, ef, rerank, probes, pruneByFilter, queryIdColumn, vectorColumn, excludeSelf, threadsPerTask, exhaustive);
    }

    /** The re-rank depth of quantized shards (0: their default). */
    public ShardedSearch rerank(int depth) {
        return new ShardedSearch(path, k, filter, efSearch, depth, probes, pruneByFilter, queryIdColumn, vectorColumn, excludeSelf, threadsPerTask, exhaustive);
    }

    /**
     * Shards each query searches before its bound test ({@code 0}: every shard in one round, no centroid
     * pruning). Default: 1 for k-means shards, 0 for hash shards (whose balls all overlap).
     */
    public ShardedSearch probes(int p) {
        if (p < 0) {
            throw new IllegalArgumentException("probes must be >= 0, was " + p);
        }
        return new ShardedSearch(path, k, filter, efSearch, rerank, p, pruneByFilter, queryIdColumn, vectorColumn, excludeSelf, threadsPerTask, exhaustive);
    }

    /** Whether shards whose attribute summaries exclude the filter are skipped (default true). */
    public ShardedSearch pruneByFilter(boolean on) {
        return new ShardedSearch(path, k, filter, efSearch, rerank, probes, on, queryIdColumn, vectorColumn, excludeSelf, threadsPerTask, exhaustive);
    }

    public ShardedSearch columns(String queryId, String vector) {
        return new ShardedSearch(path, k, filter, efSearch, rerank, probes, pruneByFilter, Objects.requireNonNull(queryId),
                Objects.requireNonNull(vector), excludeSelf, threadsPerTask, exhaustive);
    }

    /** Drop each query's hit on its own id (a self-join: the query rows are the indexed rows). */
    public ShardedSearch excludeSelf(boolean on) {
        return new ShardedSearch(path, k, filter, efSearch, rerank, probes, pruneByFilter, queryIdColumn, vectorColumn, on, threadsPerTask, exhaustive);
    }

    /** Threads a shard task's batch search uses (match {@code spark.task.cpus}; default 1). */
    public ShardedSearch threadsPerTask(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("threads per task must be positive, was " + t);
        }
        return new ShardedSearch(path, k, filter, efSearch, rerank, probes, pruneByFilter, queryIdColumn, vectorColumn, excludeSelf, t, exhaustive);
    }

    /**
     * {@code false}: after its {@link #probes} nearest shards, a query searches further shards only while it has
     * fewer than k hits (the k guarantee holds; the ranking is approximate, as an IVF probe). Default {@code true}:
     * every shard whose bound can reach the query's k-th score is searched, so the result is exact.
     */
    public ShardedSearch exhaustive(boolean on) {
        return new ShardedSearch(path, k, filter, efSearch, rerank, probes, pruneByFilter, queryIdColumn, vectorColumn, excludeSelf,
                threadsPerTask, on);
    }

    /** The hits and what pruning saved. */
    public record Result(Dataset<Row> hits, long queries, long shardPairs, long pairsSearched, long prunedByFilter, long prunedByBound) {
        /** Fraction of (query, non-empty shard) pairs not searched. */
        public double prunedFraction() {
            return shardPairs == 0 ? 0 : (double) (prunedByFilter + prunedByBound) / shardPairs;
        }
    }

    /** One query on its way to a shard: a unique key (query ids need not be unique), its id and vector. */
    record Query(long key, long queryId, float[] vector) implements Serializable {}

    /**
     * Runs the search and materializes the hits (cached), so the counts are final when this returns.
     * Call {@code result.hits().unpersist()} when done with them.
     */
    public Result run(Dataset<Row> queries) {
        SparkSession spark = queries.sparkSession();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopConf conf = HadoopConf.of(spark.sparkContext().hadoopConfiguration());
        ShardManifest manifest;
        try {
            Path root = new Path(path);
            FileSystem fs = conf.fileSystem(root);
            manifest = ShardManifest.read(fs, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RowVectors.check(queries.schema(), queryIdColumn, vectorColumn);
        Filter f = filter == null ? null : Filter.parse(filter);
        int shards = manifest.shards().size();
        boolean[] feasible = new boolean[shards];
        int nonEmpty = 0;
        for (ShardManifest.Shard s : manifest.shards()) {
            if (s.rows() > 0) nonEmpty++;
            feasible[s.index()] = s.rows() > 0 && (!pruneByFilter || s.summary().mayMatch(f));
        }
        int firstRound = probes >= 0 ? probes : manifest.partitioning().equals("KMEANS") ? 1 : 0;
        int kk = k + (excludeSelf ? 1 : 0);
        Broadcast<ShardManifest> bm = jsc.broadcast(manifest);
        LongAccumulator searched = spark.sparkContext().longAccumulator("panavec shard searches");
        LongAccumulator prunedBound = spark.sparkContext().longAccumulator("panavec shards pruned by bound");
        int qid = queries.schema().fieldIndex(queryIdColumn);
        int vec = queries.schema().fieldIndex(vectorColumn);
        JavaRDD<Query> q = queries.javaRDD().zipWithUniqueId()
                .map(t -> new Query(t._2(), RowVectors.id(t._1(), qid), RowVectors.vector(t._1(), vec)));
        q.persist(StorageLevel.MEMORY_AND_DISK());
        long nq = q.count();
        int rounds = firstRound == 0 ? 1 : 2;
        JavaPairRDD<Integer, Query> pairs1 = q.flatMapToPair(query -> {
            int[] order = order(bm.value(), feasible, query.vector());
            int take = firstRound == 0 ? order.length : Math.min(firstRound, order.length);
            List<Tuple2<Integer, Query>> out = new ArrayList<>(take);
            for (int i = 0; i < take; i++) out.add(new Tuple2<>(order[i], query));
            searched.add(take);
            return out.iterator();
        });
        JavaPairRDD<Long, TopK> hits = searchShards(pairs1, bm, conf, shards, kk);
        if (rounds == 2) {
            JavaPairRDD<Long, TopK> first = hits.persist(StorageLevel.MEMORY_AND_DISK());
            Metric metric = manifest.metric();
            boolean everyReachable = exhaustive;
            JavaPairRDD<Integer, Query> pairs2 = q.mapToPair(query -> new Tuple2<>(query.key(), query)).leftOuterJoin(first)
                    .flatMapToPair(t -> {
                        Query query = t._2()._1();
                        Optional<TopK> sofar = t._2()._2();
                        boolean full = sofar.isPresent() && sofar.get().size() >= kk;
                        float[] prepared = metric.prepare(query.vector());
                        int[] order = order(bm.value(), feasible, query.vector());
                        List<Tuple2<Integer, Query>> out = new ArrayList<>();
                        for (int i = Math.min(firstRound, order.length); i < order.length; i++) {
                            ShardManifest.Shard s = bm.value().shards().get(order[i]);
                            if (!full || (everyReachable && s.summary().mayReach(metric, prepared, sofar.get().kth()))) {
                                out.add(new Tuple2<>(order[i], query));
                            } else {
                                prunedBound.add(1);
                            }
                        }
                        searched.add(out.size());
                        return out.iterator();
                    });
            hits = first.union(searchShards(pairs2, bm, conf, shards, kk)).reduceByKey(TopK::merge);
        }
        boolean dropSelf = excludeSelf;
        int want = k;
        JavaRDD<Row> rows = hits.values().flatMap(t -> {
            List<Row> out = new ArrayList<>(want);
            for (int i = 0; i < t.size() && out.size() < want; i++) {
                if (dropSelf && t.ids()[i] == t.queryId()) continue;
                out.add(RowFactory.create(t.queryId(), t.ids()[i], t.scores()[i], out.size() + 1));
            }
            return out.iterator();
        });
        Dataset<Row> out = spark.createDataFrame(rows, SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
        out.count();
        q.unpersist();
        int infeasible = 0;
        for (ShardManifest.Shard s : manifest.shards()) if (s.rows() > 0 && !feasible[s.index()]) infeasible++;
        return new Result(out, nq, nq * nonEmpty, searched.value(), nq * infeasible, prunedBound.value());
    }

    /** The shards a query may search, most promising first (nearest centroid first; ties by shard number). */
    static int[] order(ShardManifest m, boolean[] feasible, float[] vector) {
        float[] prepared = m.metric().prepare(vector);
        List<double[]> cand = new ArrayList<>();
        for (ShardManifest.Shard s : m.shards()) {
            if (feasible[s.index()]) {
                cand.add(new double[] {-s.summary().centroidScore(m.metric(), prepared), s.index()});
            }
        }
        cand.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        int[] out = new int[cand.size()];
        for (int i = 0; i < out.length; i++) out[i] = (int) cand.get(i)[1];
        return out;
    }

    private JavaPairRDD<Long, TopK> searchShards(JavaPairRDD<Integer, Query> pairs, Broadcast<ShardManifest> bm, HadoopConf conf, int shards,
                                                 int kk) {
        String root = path;
        String filterText = filter;
        int ef = efSearch;
        int depth = rerank;
        int threads = threadsPerTask;
        return pairs.partitionBy(new ShardPartitioner(shards)).mapPartitionsWithIndex((shard, it) -> {
            if (!it.hasNext()) {
                return java.util.Collections.<Tuple2<Long, TopK>>emptyIterator();
            }
            ShardManifest m = bm.value();
            PanavecIndex index = ShardCache.open(conf, root, m, m.shards().get(shard), threads);
            Filter f = filterText == null ? null : Filter.parse(filterText);
            boolean higher = m.metric() != Metric.L2;
            List<Tuple2<Long, TopK>> out = new ArrayList<>();
            List<Query> block = new ArrayList<>(BLOCK);
            Iterator<Tuple2<Integer, Query>> in = it;
            while (in.hasNext()) {
                block.add(in.next()._2());
                if (block.size() == BLOCK || !in.hasNext()) {
                    List<SearchRequest> requests = new ArrayList<>(block.size());
                    for (Query query : block) {
                        requests.add(SearchRequest.of(query.vector(), kk).withEfSearch(ef).withRerank(depth).withFilter(f));
                    }
                    List<SearchResult> results = index.search(requests);
                    for (int i = 0; i < block.size(); i++) {
                        List<SearchHit> h = results.get(i).hits();
                        long[] ids = new long[h.size()];
                        float[] scores = new float[h.size()];
                        for (int j = 0; j < ids.length; j++) {
                            ids[j] = h.get(j).id();
                            scores[j] = h.get(j).score();
                        }
                        out.add(new Tuple2<>(block.get(i).key(), TopK.of(block.get(i).queryId(), kk, higher, ids, scores)));
                    }
                    block.clear();
                }
            }
            return out.iterator();
        }, true).mapToPair(t -> t).reduceByKey(TopK::merge);
    }
}
