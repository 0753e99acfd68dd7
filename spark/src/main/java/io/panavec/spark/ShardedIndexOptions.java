package io.panavec.spark;

import io.panavec.Metric;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * How {@link PanavecSpark#build} shards a data set: where the index goes (any Hadoop {@code FileSystem} URI:
 * a local path, {@code file://}, {@code hdfs://}, {@code s3a://}), how many shards, how rows are assigned to
 * shards, and the panavec index every shard is built with (any {@code PanavecIndex} spec, quantized ones
 * included). Immutable; the {@code with}-style setters return copies. Serializable: it travels to the
 * executors with the build tasks.
 */
public final class ShardedIndexOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How rows are assigned to shards. */
    public enum Partitioning {
        /** By a hash of the id: even shards, every shard holds every kind of vector (nothing to prune by centroid). */
        HASH,
        /**
         * By the nearest of k-means centroids trained on a sample: a shard holds nearby vectors, so its centroid and
         * radius bound the scores it can return and selective queries skip most shards.
         */
        KMEANS
    }

    /** A hook the build calls at named points of each shard task (tests inject faults through it). */
    @FunctionalInterface
    interface FaultInjection extends Serializable {
        void at(String point, int shard, int attempt) throws java.io.IOException;
    }

    final String path;
    final int shards;
    final Partitioning partitioning;
    final String spec;
    final Metric metric;
    final String idColumn;
    final String vectorColumn;
    final List<String> attributeColumns; // null: every column but id and vector
    final int sampleSize;
    final int kmeansIterations;
    final long seed;
    final int threadsPerTask;
    final int addBatch;
    final boolean overwrite;
    final FaultInjection fault;

    private ShardedIndexOptions(String path, int shards, Partitioning partitioning, String spec, Metric metric, String idColumn,
                                String vectorColumn, List<String> attributeColumns, int sampleSize, int kmeansIterations, long seed,
                                int threadsPerTask, int addBatch, boolean overwrite, FaultInjection fault) {
        this.path = path;
        this.shards = shards;
        this.partitioning = partitioning;
        this.spec = spec;
        this.metric = metric;
        this.idColumn = idColumn;
        this.vectorColumn = vectorColumn;
        this.attributeColumns = attributeColumns;
        this.sampleSize = sampleSize;
        this.kmeansIterations = kmeansIterations;
        this.seed = seed;
        this.threadsPerTask = threadsPerTask;
        this.addBatch = addBatch;
        this.overwrite = overwrite;
        this.fault = fault;
    }

    /** Options for an index at {@code path}: 4 hash shards of {@code hnsw:M=16,efc=100}, cosine, columns id and vector. */
    public static ShardedIndexOptions at(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("index path is empty");
        }
        return new ShardedIndexOptions(path, 4, Partitioning.HASH, "hnsw:M=16,efc=100", Metric.COSINE, "id", "vector", null,
                0, 10, 42, 1, 4096, false, null);
    }

    private ShardedIndexOptions copy(int shards, Partitioning partitioning, String spec, Metric metric, String idColumn, String vectorColumn,
                                     List<String> attributeColumns, int sampleSize, int kmeansIterations, long seed, int threadsPerTask,
                                     int addBatch, boolean overwrite, FaultInjection fault) {
        return new ShardedIndexOptions(path, shards, partitioning, spec, metric, idColumn, vectorColumn, attributeColumns, sampleSize,
                kmeansIterations, seed, threadsPerTask, addBatch, overwrite, fault);
    }

    public ShardedIndexOptions shards(int n) {
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException("shards must be in 1..100000, was " + n);
        }
        return copy(n, partitioning, spec, metric, idColumn, vectorColumn, attributeColumns, sampleSize, kmeansIterations, seed,
                threadsPerTask, addBatch, overwrite, fault);
    }

    public ShardedIndexOptions partitioning(Partitioning p) {
        return copy(shards, Objects.requireNonNull(p, "partitioning"), spec, metric, idColumn, vectorColumn, attributeColumns, sampleSize,
                kmeansIterations, seed, threadsPerTask, addBatch, overwrite, fault);
    }

    /** The {@code PanavecIndex} spec of every shard ({@code flat}, {@code hnsw:M=16,efc=100}, {@code hnsw:...,quant=lvq4x8}, ...). */
    public ShardedIndexOptions spec(String s) {
        io.panavec.IndexSpec.parse(s); // a bad spec fails here, on the driver, not in every task
        return copy(shards, partitioning, s, metric, idColumn, vectorColumn, attributeColumns, sampleSize, kmeansIterations, seed,
                threadsPerTask, addBatch, overwrite, fault);
    }

    public ShardedIndexOptions metric(Metric m) {
        return copy(shards, partitioning, spec, Objects.requireNonNull(m, "metric"), idColumn, vectorColumn, attributeColumns, sampleSize,
                kmeansIterations, seed, threadsPerTask, addBatch, overwrite, fault);
    }

    public ShardedIndexOptions columns(String id, String vector) {
        return copy(shards, partitioning, spec, metric, Objects.requireNonNull(id), Objects.requireNonNull(vector), attributeColumns,
                sampleSize, kmeansIterations, seed, threadsPerTask, addBatch, overwrite, fault);
    }

    /** The attribute columns indexed for filters (default: every column but id and vector; empty: none). */
    public ShardedIndexOptions attributes(List<String> columns) {
        return copy(shards, partitioning, spec, metric, idColumn, vectorColumn, List.copyOf(columns), sampleSize, kmeansIterations, seed,
                threadsPerTask, addBatch, overwrite, fault);
    }

    /** Rows sampled to train the k-means partition (0: 256 per shard, at least 2,000). */
    public ShardedIndexOptions sampleSize(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("sample size must be >= 0, was " + n);
        }
        return copy(shards, partitioning, spec, metric, idColumn, vectorColumn, attributeColumns, n, kmeansIterations, seed,
                threadsPerTask, addBatch, overwrite, fault);
    }

    public ShardedIndexOptions seed(long s) {
        return copy(shards, partitioning, spec, metric, idColumn, vectorColumn, attributeColumns, sampleSize, kmeansIterations, s,
                threadsPerTask, addBatch, overwrite, fault);
    }

    /** Threads each build task uses for its graph inserts (match {@code spark.task.cpus}; default 1). */
    public ShardedIndexOptions threadsPerTask(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("threads per task must be positive, was " + t);
        }
        return copy(shards, partitioning, spec, metric, idColumn, vectorColumn, attributeColumns, sampleSize, kmeansIterations, seed,
                t, addBatch, overwrite, fault);
    }

    /** Replace an index already at the path (default: refuse). */
    public ShardedIndexOptions overwrite(boolean o) {
        return copy(shards, partitioning, spec, metric, idColumn, vectorColumn, attributeColumns, sampleSize, kmeansIterations, seed,
                threadsPerTask, addBatch, o, fault);
    }

    ShardedIndexOptions faultInjection(FaultInjection f) {
        return copy(shards, partitioning, spec, metric, idColumn, vectorColumn, attributeColumns, sampleSize, kmeansIterations, seed,
                threadsPerTask, addBatch, overwrite, f);
    }

    public String path() {
        return path;
    }

    public int shards() {
        return shards;
    }

    int effectiveSampleSize() {
        return sampleSize > 0 ? sampleSize : Math.max(2000, 256 * shards);
    }
}
