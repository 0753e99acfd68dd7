package io.panavec.spark;

import io.panavec.io.VectorFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One SparkSession for every test class of the module ({@code local[2,4]}: two task threads, a task may fail
 * three times and be retried), and the shipped 10k WordNet/MiniLM cut as data sets: the first {@link #ROWS}
 * base vectors with their attributes, and the first {@link #QUERIES} queries.
 */
final class SparkFixture {
    /** Every third row of the 10k cut (its rows are ordered by part of speech; this keeps verbs and adverbs). */
    static final int ROWS = 3334;
    static final int QUERIES = 40;
    private static SparkSession spark;
    private static float[][] base;
    private static String[][] attributes; // pos, lexname, gloss_chars per row
    private static float[][] queries;

    private SparkFixture() {}

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2,4]").appName("panavec-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                ShardCache.clear();
                spark.stop();
            }));
        }
        return spark;
    }

    static Path dataDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("data/wordnet-minilm-10k");
            if (Files.isRegularFile(d.resolve("base.fvecs"))) {
                return d;
            }
        }
        throw new IllegalStateException("data/wordnet-minilm-10k not found above " + Path.of("").toAbsolutePath());
    }

    static synchronized float[][] base() {
        if (base == null) {
            try (VectorFile f = VectorFile.open(dataDir().resolve("base.fvecs"))) {
                base = new float[ROWS][];
                for (int i = 0; i < ROWS; i++) base[i] = f.read(3L * i);
                List<String> lines = Files.readAllLines(dataDir().resolve("attributes.tsv"));
                attributes = new String[ROWS][];
                for (int i = 0; i < ROWS; i++) {
                    String[] c = lines.get(3 * i + 1).split("\t"); // id pos lexname synset_offset lemma_count gloss_chars source_id
                    attributes[i] = new String[] {c[1], c[2], c[5]};
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return base;
    }

    static String[][] attributes() {
        base();
        return attributes;
    }

    static synchronized float[][] queries() {
        if (queries == null) {
            try (VectorFile f = VectorFile.open(dataDir().resolve("queries.fvecs"))) {
                queries = new float[QUERIES][];
                for (int i = 0; i < QUERIES; i++) queries[i] = f.read(i);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return queries;
    }

    static final StructType ROW_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("pos", DataTypes.StringType, true)
            .add("lexname", DataTypes.StringType, true)
            .add("gloss_chars", DataTypes.IntegerType, true);

    /** The rows as a data set: id = 1000 + row, vector, pos, lexname, gloss_chars. */
    static Dataset<Row> rows() {
        List<Row> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowFactory.create(id(i), boxed(base()[i]), attributes()[i][0], attributes()[i][1],
                    Integer.parseInt(attributes()[i][2])));
        }
        return spark().createDataFrame(rows, ROW_SCHEMA).repartition(3); // not one partition per shard
    }

    static long id(int row) {
        return 1000L + row;
    }

    static Dataset<Row> queryRows() {
        StructType schema = new StructType().add("query_id", DataTypes.LongType, false)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < QUERIES; i++) rows.add(RowFactory.create((long) i, boxed(queries()[i])));
        return spark().createDataFrame(rows, schema);
    }

    static Float[] boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) b[i] = v[i];
        return b;
    }
}
