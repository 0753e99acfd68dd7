package io.panavec.spark;

import io.panavec.IndexSpec;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * panavec on Apache Spark: a sharded index built by the executors, searched by scatter-gather, joined.
 * Every shard is an ordinary panavec index directory (any spec), searched memory-mapped with panavec's
 * kernels from each executor's local copy. See spark/README.md for the JVM flags, the layout on the shared
 * file system and sizing.
 *
 * <p>Thread safety: every method may be called from any driver thread; concurrent builds must target
 * different paths.
 */
public final class PanavecSpark {
    private PanavecSpark() {}

    /**
     * Builds a sharded index of {@code rows} (columns {@code id} long, {@code vector} array&lt;float&gt; or a
     * Spark ML vector, and attribute columns: int, long, float, double, boolean, string = keyword, array&lt;string&gt;
     * = keywords) at {@code options.path()}: rows are partitioned into the shards (by id hash or by k-means
     * on a sample), each shard is built by one task into its own directory, and the manifest naming the
     * winning attempt of every shard is switched in atomically when all are done (see {@link ShardManifest}).
     * Ids should be unique: two rows of one id in one shard keep the later one (the index's upsert); search
     * never returns an id twice.
     *
     * @return the number of rows per shard, in shard order
     */
    public static long[] build(Dataset<Row> rows, ShardedIndexOptions options) {
        SparkSession spark = rows.sparkSession();
        StructType schema = rows.schema();
        RowVectors.check(schema, options.idColumn, options.vectorColumn);
        int idColumn = schema.fieldIndex(options.idColumn);
        int vectorColumn = schema.fieldIndex(options.vectorColumn);
        List<String> attrNames = new ArrayList<>();
        Schema.Builder attrSchema = Schema.builder();
        for (StructField f : schema.fields()) {
            boolean listed = options.attributeColumns == null
                    ? !f.name().equals(options.idColumn) && !f.name().equals(options.vectorColumn)
                    : options.attributeColumns.contains(f.name());
            if (listed) {
                attrSchema.add(f.name(), attributeType(f));
                attrNames.add(f.name());
            }
        }
        if (options.attributeColumns != null) {
            Set<String> missing = new HashSet<>(options.attributeColumns);
            missing.removeAll(attrNames);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("attribute columns not in the data set: " + missing);
            }
        }
        int[] attrColumns = attrNames.stream().mapToInt(schema::fieldIndex).toArray();
        String schemaText = attrSchema.build().text();
        HadoopConf conf = HadoopConf.of(spark.sparkContext().hadoopConfiguration());
        Path root = new Path(options.path);
        try {
            FileSystem fs = conf.fileSystem(root);
            if (ShardManifest.exists(fs, root) && !options.overwrite) {
                throw new IOException(root + " already holds a sharded index (build with overwrite(true) to replace it)");
            }
            fs.mkdirs(root);
            Row first = rows.select(options.vectorColumn).first();
            int dimension = RowVectors.vector(first, 0).length;
            int shards = options.shards;
            JavaPairRDD<Integer, Row> keyed;
            if (options.partitioning == ShardedIndexOptions.Partitioning.KMEANS && shards > 1) {
                KMeans km = trainPartition(rows, options, dimension);
                keyed = rows.javaRDD().mapToPair(r -> new Tuple2<>(km.nearest(RowVectors.vector(r, vectorColumn)), r));
            } else {
                keyed = rows.javaRDD().mapToPair(r -> new Tuple2<>(hashShard(RowVectors.id(r, idColumn), shards), r));
            }
            ShardBuilder builder = new ShardBuilder(options, conf, dimension, schemaText, idColumn, vectorColumn,
                    attrNames.toArray(new String[0]), attrColumns);
            List<ShardBuilder.Built> built = new ArrayList<>(keyed.partitionBy(new ShardPartitioner(shards))
                    .mapPartitionsWithIndex(builder::build, true).collect());
            built.sort((a, b) -> Integer.compare(a.shard(), b.shard()));
            if (built.size() != shards) {
                throw new IllegalStateException("expected " + shards + " shard results, got " + built.size());
            }
            List<ShardManifest.Shard> entries = new ArrayList<>();
            for (ShardBuilder.Built b : built) entries.add(new ShardManifest.Shard(b.shard(), b.dir(), b.files(), b.summary()));
            ShardManifest manifest = new ShardManifest(dimension, options.metric, IndexSpec.parse(options.spec).text(), schemaText,
                    options.partitioning.name(), entries);
            manifest.write(fs, root);
            deleteOrphans(fs, root, manifest);
            long[] sizes = new long[shards];
            for (ShardManifest.Shard s : entries) sizes[s.index()] = s.rows();
            return sizes;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Top-{@code k} of every query (columns {@code query_id}, {@code vector}) under {@code filter} (null: none). */
    public static Dataset<Row> search(Dataset<Row> queries, String path, int k, String filter) {
        return ShardedSearch.of(path).k(k).filter(filter).run(queries).hits();
    }

    /**
     * kNN join: for every row of {@code left} (columns {@code leftId}, {@code leftVector}), its {@code k} nearest
     * rows of the sharded index at {@code path}, as {@code (query_id = left id, id, score, rank)}.
     */
    public static Dataset<Row> knnJoin(Dataset<Row> left, String leftId, String leftVector, String path, int k) {
        return ShardedSearch.of(path).k(k).columns(leftId, leftVector).run(left).hits();
    }

    /**
     * Self-join: every indexed row's {@code k} nearest other rows ({@code rows} is the data set the index at
     * {@code path} was built from, with its id and vector columns), its own id excluded: for deduplication
     * (pairs above a score) and kNN graph construction.
     */
    public static Dataset<Row> selfJoin(Dataset<Row> rows, String idColumn, String vectorColumn, String path, int k) {
        return ShardedSearch.of(path).k(k).columns(idColumn, vectorColumn).excludeSelf(true).run(rows).hits();
    }

    static int hashShard(long id, int shards) {
        long h = id * 0x9E3779B97F4A7C15L; // Fibonacci hashing: consecutive ids spread over all shards
        h ^= h >>> 32;
        return (int) Math.floorMod(h, (long) shards);
    }

    private static KMeans trainPartition(Dataset<Row> rows, ShardedIndexOptions options, int dimension) {
        long total = rows.count();
        int want = options.effectiveSampleSize();
        double fraction = Math.min(1.0, 1.2 * want / Math.max(1, total));
        List<Row> sample = rows.select(options.vectorColumn).sample(false, fraction, options.seed).limit(want).collectAsList();
        float[][] x = new float[sample.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = RowVectors.vector(sample.get(i), 0);
            if (x[i].length != dimension) {
                throw new IllegalArgumentException("a vector has dimension " + x[i].length + ", the first has " + dimension);
            }
        }
        return KMeans.train(x, options.shards, options.kmeansIterations, options.metric, options.seed);
    }

    /** Deletes shard directories the manifest does not name: failed, retried or speculative attempts. */
    private static void deleteOrphans(FileSystem fs, Path root, ShardManifest manifest) throws IOException {
        Set<String> named = new HashSet<>();
        for (ShardManifest.Shard s : manifest.shards()) if (s.dir() != null) named.add(s.dir());
        for (FileStatus st : fs.listStatus(root)) {
            String name = st.getPath().getName();
            if ((name.startsWith("shard-") && !named.contains(name)) || name.startsWith(ShardManifest.FILE_NAME + ".tmp-")) {
                fs.delete(st.getPath(), true);
            }
        }
    }

    private static AttributeType attributeType(StructField f) {
        DataType t = f.dataType();
        if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType)) return AttributeType.INT;
        if (t.equals(DataTypes.LongType)) return AttributeType.LONG;
        if (t.equals(DataTypes.FloatType)) return AttributeType.FLOAT;
        if (t.equals(DataTypes.DoubleType)) return AttributeType.DOUBLE;
        if (t.equals(DataTypes.BooleanType)) return AttributeType.BOOLEAN;
        if (t.equals(DataTypes.StringType)) return AttributeType.KEYWORD;
        if (t instanceof ArrayType a && a.elementType().equals(DataTypes.StringType)) return AttributeType.KEYWORDS;
        throw new IllegalArgumentException("attribute column " + f.name() + " has type " + t.simpleString()
                + ": panavec attributes are int, long, float, double, boolean, string (keyword) or array<string> (keywords)");
    }
}
