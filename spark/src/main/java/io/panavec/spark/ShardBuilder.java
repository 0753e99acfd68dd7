package io.panavec.spark;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.attributes.Schema;
import io.panavec.store.VectorStore;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import scala.Tuple2;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The executor side of a sharded build: one task builds one shard. It adds the shard's rows in batches
 * to a panavec index in a local scratch directory (so the index's own crash-safe commit runs on a real
 * local disk), summarizes the shard, then copies the finished directory to
 * {@code <path>/shard-NNNNN-a<attempt>-t<task attempt id>}, a name no other attempt uses, with the size and
 * CRC32C of every file. It returns that description to the driver, which names exactly one attempt's
 * directory per shard in the manifest; a failed attempt's partial copy is never named.
 */
final class ShardBuilder implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a finished shard task reports to the driver. */
    record Built(int shard, String dir, List<ShardManifest.FileEntry> files, ShardSummary summary) implements Serializable {}

    private final ShardedIndexOptions options;
    private final HadoopConf conf;
    private final int dimension;
    private final String schemaText;
    private final int idColumn;
    private final int vectorColumn;
    private final String[] attributeNames;
    private final int[] attributeColumns;

    ShardBuilder(ShardedIndexOptions options, HadoopConf conf, int dimension, String schemaText, int idColumn, int vectorColumn,
                 String[] attributeNames, int[] attributeColumns) {
        this.options = options;
        this.conf = conf;
        this.dimension = dimension;
        this.schemaText = schemaText;
        this.idColumn = idColumn;
        this.vectorColumn = vectorColumn;
        this.attributeNames = attributeNames;
        this.attributeColumns = attributeColumns;
    }

    Iterator<Built> build(int shard, Iterator<Tuple2<Integer, Row>> rows) throws IOException {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        long attemptId = task == null ? 0 : task.taskAttemptId();
        java.nio.file.Path scratch = Files.createTempDirectory("panavec-shard-" + shard + "-");
        try {
            java.nio.file.Path local = scratch.resolve("index");
            ShardSummary.Builder summary = new ShardSummary.Builder();
            long added = 0;
            try (PanavecIndex index = PanavecIndex.builder(local).dimension(dimension).metric(options.metric).spec(options.spec)
                    .schema(Schema.parse(schemaText)).threads(options.threadsPerTask).seed(options.seed + shard).create()) {
                List<Long> ids = new ArrayList<>();
                List<float[]> vectors = new ArrayList<>();
                List<Map<String, Object>> attributes = new ArrayList<>();
                while (rows.hasNext()) {
                    Row r = rows.next()._2();
                    ids.add(RowVectors.id(r, idColumn));
                    vectors.add(RowVectors.vector(r, vectorColumn));
                    Map<String, Object> a = new HashMap<>();
                    for (int i = 0; i < attributeNames.length; i++) {
                        Object v = attributeValue(r, attributeColumns[i]);
                        if (v != null) {
                            a.put(attributeNames[i], v);
                            summary.attribute(attributeNames[i], v);
                        }
                    }
                    attributes.add(a);
                    if (ids.size() == options.addBatch) {
                        added += flush(index, ids, vectors, attributes);
                        if (options.fault != null) options.fault.at("added", shard, attempt);
                    }
                }
                added += flush(index, ids, vectors, attributes);
                if (added == 0) {
                    return List.of(new Built(shard, null, List.of(), summary.build(0, new float[dimension], 0))).iterator();
                }
                index.commit();
            }
            ShardSummary sum = summarize(local.resolve("vectors.pvs"), summary);
            String dir = String.format("shard-%05d-a%d-t%d", shard, attempt, attemptId);
            Path remote = new Path(new Path(options.path), dir);
            FileSystem fs = conf.fileSystem(remote);
            List<ShardManifest.FileEntry> files = new ArrayList<>();
            List<java.nio.file.Path> localFiles;
            try (Stream<java.nio.file.Path> s = Files.walk(local)) {
                localFiles = s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
            }
            for (java.nio.file.Path f : localFiles) {
                String name = local.relativize(f).toString().replace('\\', '/');
                files.add(new ShardManifest.FileEntry(name, Files.size(f), crc32c(f)));
                fs.copyFromLocalFile(false, true, new Path(f.toUri()), new Path(remote, name));
                if (options.fault != null) options.fault.at("uploaded " + name, shard, attempt);
            }
            return List.of(new Built(shard, dir, files, sum)).iterator();
        } finally {
            deleteRecursively(scratch);
        }
    }

    private static long flush(PanavecIndex index, List<Long> ids, List<float[]> vectors, List<Map<String, Object>> attributes) {
        int n = ids.size();
        if (n == 0) {
            return 0;
        }
        long[] idArray = new long[n];
        for (int i = 0; i < n; i++) idArray[i] = ids.get(i);
        index.add(idArray, vectors.toArray(new float[0][]), new ArrayList<>(attributes));
        ids.clear();
        vectors.clear();
        attributes.clear();
        return n;
    }

    /** The centroid of the stored rows (normalized under cosine) and the radius of the ball around it that holds them. */
    private ShardSummary summarize(java.nio.file.Path storeFile, ShardSummary.Builder summary) throws IOException {
        try (VectorStore store = VectorStore.openReadOnly(storeFile)) {
            long n = store.size();
            double[] sum = new double[dimension];
            for (long r = 0; r < n; r++) {
                float[] v = store.rowAsFloats(r);
                for (int i = 0; i < dimension; i++) sum[i] += v[i];
            }
            float[] c = new float[dimension];
            for (int i = 0; i < dimension; i++) c[i] = (float) (sum[i] / n);
            double radius = 0;
            for (long r = 0; r < n; r++) {
                float[] v = store.rowAsFloats(r);
                double d = 0;
                for (int i = 0; i < dimension; i++) {
                    double x = (double) v[i] - c[i];
                    d += x * x;
                }
                radius = Math.max(radius, Math.sqrt(d));
            }
            // Rows superseded by a later row of the same id are counted in the ball too: that only widens it.
            return summary.build(n, c, radius * (1 + 1e-6) + 1e-6);
        }
    }

    private static Object attributeValue(Row r, int column) {
        if (r.isNullAt(column)) {
            return null;
        }
        Object v = r.get(column);
        if (v instanceof scala.collection.Seq<?>) {
            return new ArrayList<>(r.getList(column));
        }
        return v;
    }

    static int crc32c(java.nio.file.Path f) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) crc.update(buf, 0, n);
        }
        return (int) crc.getValue();
    }

    static void deleteRecursively(java.nio.file.Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<java.nio.file.Path> s = Files.walk(p)) {
            for (java.nio.file.Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

}
