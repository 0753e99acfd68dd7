package io.panavec.embedding;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Hashing into fewer rows, after training: every key of a table is sent to one of {@code buckets} rows by a seeded
 * hash ({@link Hashing#bucket}, probe 0), and each row becomes the mean of the vectors of the keys sent to it (the
 * merge that minimizes the squared error over those keys). The merged rows are stored in an ordinary
 * {@link EmbeddingTable} under the bucket numbers 0 .. buckets - 1, in any row encoding, and {@link #lookup} reads a
 * key's bucket: so the compressed table needs no per-key vocabulary at all, only the hash.
 *
 * <p>Error: a key alone in its bucket is decoded with its codec's error only; a key sharing its bucket reads the
 * bucket mean, off by {@code ||x - mean||} before the codec's error (the tests check exactly this against a heap
 * model). Unknown keys read their bucket like any other (hashing has no out-of-vocabulary case).
 *
 * <p>{@link Merger} is not thread-safe; the rest is immutable and thread-safe.
 */
public final class HashedRows {
    private final long buckets;
    private final long seed;

    /** {@code buckets} rows (1 and up), hashed with {@code seed}. */
    public HashedRows(long buckets, long seed) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
        }
        this.buckets = buckets;
        this.seed = seed;
    }

    public long buckets() {
        return buckets;
    }

    public long seed() {
        return seed;
    }

    /** The row of {@code key}. */
    public long bucketOf(long key) {
        return Hashing.bucket(key, seed, 0, buckets);
    }

    /** A merger of vectors of dimension {@code dim}, fed key by key. */
    public Merger merger(int dim) {
        if (buckets > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(buckets + " buckets do not fit a heap merger");
        }
        return new Merger(dim);
    }

    /** Reads the vectors of {@code keys} from a table holding the merged rows: row i = {@code table}'s bucket of key i. */
    public void lookup(EmbeddingTable table, long[] keys, MemorySegment out) {
        Objects.requireNonNull(keys, "keys");
        long[] rows = new long[keys.length];
        for (int i = 0; i < keys.length; i++) rows[i] = bucketOf(keys[i]);
        table.lookup(rows, out);
    }

    /** Sums the vectors of each bucket; {@link #writeTo} puts their means into a table. */
    public final class Merger {
        private final int dim;
        private final float[][] sums;
        private final long[] counts;

        private Merger(int dim) {
            if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
            this.dim = dim;
            this.sums = new float[(int) buckets][];
            this.counts = new long[(int) buckets];
        }

        /** Adds {@code vector} (finite, of the merger's dimension) as the vector of {@code key}; each key once. */
        public void add(long key, float[] vector) {
            if (vector.length != dim) throw new IllegalArgumentException("vector of dimension " + vector.length + ", merger " + dim);
            int b = (int) bucketOf(key);
            float[] s = sums[b];
            if (s == null) sums[b] = s = new float[dim];
            for (int j = 0; j < dim; j++) s[j] += vector[j];
            counts[b]++;
        }

        /** How many keys bucket {@code b} merges. */
        public long count(long b) {
            return counts[Math.toIntExact(b)];
        }

        /** The mean of bucket {@code b}, or null when no key was sent to it. */
        public float[] mean(long b) {
            int i = Math.toIntExact(b);
            if (counts[i] == 0) return null;
            float[] m = sums[i].clone();
            for (int j = 0; j < dim; j++) m[j] /= counts[i];
            return m;
        }

        /** Puts every non-empty bucket's mean into {@code table} (long keys: the bucket numbers), in batches of {@code batch}. */
        public void writeTo(EmbeddingTable table, int batch) throws IOException {
            if (batch < 1) throw new IllegalArgumentException("batch must be >= 1");
            long[] keys = new long[batch];
            float[][] rows = new float[batch][];
            int n = 0;
            for (int b = 0; b < buckets; b++) {
                if (counts[b] == 0) continue;
                keys[n] = b;
                rows[n++] = mean(b);
                if (n == batch) {
                    table.putAll(keys, rows);
                    n = 0;
                }
            }
            if (n > 0) table.putAll(java.util.Arrays.copyOf(keys, n), java.util.Arrays.copyOf(rows, n));
        }
    }
}
