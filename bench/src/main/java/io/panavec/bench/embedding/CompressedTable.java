package io.panavec.bench.embedding;

import io.panavec.embedding.EmbeddingTable;
import io.panavec.embedding.HashedRows;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;

/**
 * One compression method applied to a {@link KeyedTable} after training, as panavec serves it: an
 * {@link EmbeddingTable} in the method's row encoding, holding every key's row, or (hashing) the bucket means of
 * {@link HashedRows} under the bucket numbers. Method names: a row encoding ({@code f16}, {@code int8},
 * {@code pq48}, {@code pca96.int8}, ...) or {@code hash<r>:<encoding>}, the keys hashed into {@code ceil(n / r)}
 * rows. Not thread-safe.
 */
final class CompressedTable implements AutoCloseable {
    static final int BATCH = 4096;
    /** Rows per put: each put is durable on return (an fsync), so large tables load in large batches. */
    static final int PUT_BATCH = 32_768;

    final String method;
    final EmbeddingTable table;
    final HashedRows hashing; // null: one row per key
    final double buildSeconds;

    CompressedTable(String method, EmbeddingTable table, HashedRows hashing, double buildSeconds) {
        this.method = method;
        this.table = table;
        this.hashing = hashing;
        this.buildSeconds = buildSeconds;
    }

    /** Builds {@code method}'s table of {@code source} in {@code dir} (new or empty), training on {@code sample} rows. */
    static CompressedTable build(String method, KeyedTable source, Path dir, int sampleSize, long seed) throws IOException {
        long t0 = System.nanoTime();
        int ratio = 1;
        String encoding = method;
        if (method.startsWith("hash")) {
            int colon = method.indexOf(':');
            ratio = Integer.parseInt(method.substring(4, colon));
            encoding = method.substring(colon + 1);
        }
        int n = source.size(), dim = source.dimension();
        EmbeddingTable table = EmbeddingTable.builder(dir).dimension(dim).encoding(encoding).create();
        try {
            if (ratio == 1) {
                table.train(sample(source, sampleSize, seed));
                long[] keys = new long[PUT_BATCH];
                float[][] rows = new float[PUT_BATCH][dim];
                for (int from = 0; from < n; from += PUT_BATCH) {
                    int m = Math.min(PUT_BATCH, n - from);
                    for (int i = 0; i < m; i++) {
                        keys[i] = source.keys()[from + i];
                        source.read(from + i, rows[i]);
                    }
                    table.putAll(m == PUT_BATCH ? keys : java.util.Arrays.copyOf(keys, m), m == PUT_BATCH ? rows : java.util.Arrays.copyOf(rows, m));
                }
                table.commit();
                return new CompressedTable(method, table, null, (System.nanoTime() - t0) / 1e9);
            }
            HashedRows hashing = new HashedRows((n + ratio - 1) / ratio, seed);
            HashedRows.Merger merger = hashing.merger(dim);
            float[] row = new float[dim];
            for (int i = 0; i < n; i++) {
                source.read(i, row);
                merger.add(source.keys()[i], row);
            }
            // The codec learns from the rows it stores: a sample of the bucket means.
            Random r = new Random(seed);
            java.util.List<float[]> means = new java.util.ArrayList<>();
            for (int tries = 0; means.size() < Math.min(sampleSize, hashing.buckets()) && tries < 4 * sampleSize; tries++) {
                float[] m = merger.mean(r.nextLong(hashing.buckets()));
                if (m != null) means.add(m);
            }
            table.train(means.toArray(new float[0][]));
            merger.writeTo(table, PUT_BATCH);
            table.commit();
            return new CompressedTable(method, table, hashing, (System.nanoTime() - t0) / 1e9);
        } catch (IOException | RuntimeException e) {
            table.close();
            throw e;
        }
    }

    static float[][] sample(KeyedTable source, int size, long seed) {
        int n = source.size();
        if (size >= n) {
            float[][] all = new float[n][source.dimension()];
            for (int i = 0; i < n; i++) source.read(i, all[i]);
            return all;
        }
        Random r = new Random(seed);
        float[][] s = new float[size][source.dimension()];
        for (int i = 0; i < size; i++) source.read(r.nextInt(n), s[i]);
        return s;
    }

    /** Decodes the vectors of {@code keys} into {@code out}, as a serving caller reads them. */
    void lookup(long[] keys, MemorySegment out) {
        if (hashing == null) table.lookup(keys, out);
        else hashing.lookup(table, keys, out);
    }

    /** Bytes of the stored rows plus the codec's learned parameters (the vocabulary is not counted). */
    long bytes() {
        long params = 0;
        for (float[] p : table.codec().parameters()) params += 4L * p.length;
        return table.storedRows() * table.codec().rowBytes() + params;
    }

    long codeBytes() {
        return table.storedRows() * table.codec().rowBytes();
    }

    @Override
    public void close() throws IOException {
        table.close();
    }
}
