package io.panavec.embedding;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Feature multiplexing (Unified Embedding, Coleman et al., 2023): one shared table serves many categorical
 * features. The shared table holds {@code buckets} rows under the long keys {@code 0 .. buckets - 1}; the value
 * {@code v} of feature {@code f} reads the row of key {@link #bucket bucket(f, v, p)}, a hash of the value with the
 * feature's seed, and with {@code probes > 1} the sum of the rows of probes {@code p = 0 .. probes - 1} (the
 * multi-probe variant). String values are hashed to a long first (FNV-1a of their UTF-8 bytes). A feature may
 * instead have a dedicated table (its own vocabulary); its unknown values then read as that table's {@link Oov}
 * policy, or, when configured, hash into the shared rows like a multiplexed feature. Every value maps to a
 * defined vector: a bucket key the shared table does not hold reads as zeros; nothing in the look-up path throws
 * for a value.
 *
 * <p>The hash ({@link Hashing}) is fixed: a model trained against these buckets keeps reading the same rows.
 *
 * <p>Thread safety: immutable once built; look-ups run concurrently (as the tables' own look-ups do).
 */
public final class EmbeddingFeatures {
    private record Feature(String name, long seed, int probes, EmbeddingTable dedicated, boolean oovHashed) {}

    private final EmbeddingTable shared;
    private final long buckets;
    private final int dim;
    private final Map<String, Feature> features;

    private EmbeddingFeatures(EmbeddingTable shared, long buckets, Map<String, Feature> features) {
        this.shared = shared;
        this.buckets = buckets;
        this.dim = shared.dimension();
        this.features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** Features over {@code shared}, whose long keys {@code 0 .. buckets - 1} are the shared rows. */
    public static Builder builder(EmbeddingTable shared, long buckets) {
        return new Builder(shared, buckets);
    }

    public int dimension() {
        return dim;
    }

    public long buckets() {
        return buckets;
    }

    /** The configured feature names, in the order they were added. */
    public Set<String> features() {
        return features.keySet();
    }

    /** The shared-table key (in [0, buckets)) of value {@code value} of {@code feature}, probe {@code probe}. */
    public long bucket(String feature, long value, int probe) {
        Feature f = feature(feature);
        if (probe < 0 || probe >= f.probes()) {
            throw new IllegalArgumentException("feature '" + feature + "' has " + f.probes() + " probes, not " + probe);
        }
        return Hashing.bucket(value, f.seed(), probe, buckets);
    }

    /** The long a string value is hashed to before its buckets are taken. */
    public static long valueHash(String value) {
        return Hashing.of(value);
    }

    // ------------------------------------------------------------------------------------------ look-ups

    /** One vector per value of a single-valued feature into {@code out} (values.length * dimension floats). */
    public void lookup(String feature, long[] values, MemorySegment out) {
        run(new FeatureRequest.Part(feature, Objects.requireNonNull(values, "values"), null, null, null), out);
    }

    public void lookup(String feature, String[] values, MemorySegment out) {
        run(new FeatureRequest.Part(feature, null, Objects.requireNonNull(values, "values"), null, null), out);
    }

    public float[][] lookup(String feature, long[] values) {
        return asArrays(new FeatureRequest.Part(feature, Objects.requireNonNull(values, "values"), null, null, null));
    }

    public float[][] lookup(String feature, String[] values) {
        return asArrays(new FeatureRequest.Part(feature, null, Objects.requireNonNull(values, "values"), null, null));
    }

    /** Pooled bags of a multi-valued feature ({@link EmbeddingTable#lookupBags} offsets) into {@code out}. */
    public void lookupBags(String feature, long[] values, int[] offsets, Pooling pool, MemorySegment out) {
        run(new FeatureRequest.Part(feature, Objects.requireNonNull(values, "values"), null, Objects.requireNonNull(offsets, "offsets"),
                Objects.requireNonNull(pool, "pool")), out);
    }

    public void lookupBags(String feature, String[] values, int[] offsets, Pooling pool, MemorySegment out) {
        run(new FeatureRequest.Part(feature, null, Objects.requireNonNull(values, "values"), Objects.requireNonNull(offsets, "offsets"),
                Objects.requireNonNull(pool, "pool")), out);
    }

    public float[][] lookupBags(String feature, long[] values, int[] offsets, Pooling pool) {
        return asArrays(new FeatureRequest.Part(feature, Objects.requireNonNull(values, "values"), null, Objects.requireNonNull(offsets, "offsets"),
                Objects.requireNonNull(pool, "pool")));
    }

    /**
     * Every feature of a request: {@code out} receives each part's vectors back to back, in the request's order
     * ({@link FeatureRequest#vectors()} * dimension floats).
     */
    public void lookup(FeatureRequest request, MemorySegment out) {
        long need = Math.multiplyExact(request.vectors(), (long) dim * Float.BYTES);
        if (out.byteSize() < need) {
            throw new IllegalArgumentException("out holds " + out.byteSize() + " bytes, the request's " + request.vectors() + " vectors need " + need);
        }
        long at = 0;
        for (FeatureRequest.Part p : request.parts()) {
            long bytes = (long) p.vectors() * dim * Float.BYTES;
            run(p, out.asSlice(at, bytes));
            at += bytes;
        }
    }

    /** Every feature of a request, by feature name (a feature named twice: its last part). */
    public Map<String, float[][]> lookup(FeatureRequest request) {
        Map<String, float[][]> out = new LinkedHashMap<>();
        for (FeatureRequest.Part p : request.parts()) out.put(p.feature(), asArrays(p));
        return out;
    }

    // ------------------------------------------------------------------------------------------ internals

    private Feature feature(String name) {
        Feature f = features.get(Objects.requireNonNull(name, "feature"));
        if (f == null) {
            throw new IllegalArgumentException("unknown feature '" + name + "': configured are " + features.keySet());
        }
        return f;
    }

    private float[][] asArrays(FeatureRequest.Part p) {
        int n = p.vectors();
        float[] flat = new float[Math.multiplyExact(n, dim)];
        run(p, MemorySegment.ofArray(flat));
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(flat, i * dim, i * dim + dim);
        return out;
    }

    private void run(FeatureRequest.Part p, MemorySegment out) {
        Feature f = feature(p.feature());
        boolean bags = p.offsets() != null;
        if (f.dedicated() != null && !f.oovHashed()) {
            EmbeddingTable t = f.dedicated();
            if (p.longValues() != null) {
                if (bags) t.lookupBags(p.longValues(), p.offsets(), p.pool(), out); else t.lookup(p.longValues(), out);
            } else {
                if (bags) t.lookupBags(p.stringValues(), p.offsets(), p.pool(), out); else t.lookup(p.stringValues(), out);
            }
            return;
        }
        int n = p.longValues() != null ? p.longValues().length : p.stringValues().length;
        if (f.dedicated() == null) { // multiplexed: every value hashes into the shared rows
            long[] rows = sharedRows(f, p, n, null);
            shared.withGather(g -> g.bags(rows, f.probes(), bounds(p, n), bags ? p.offsets().length : n, bags ? p.pool() : Pooling.SUM, out));
            return;
        }
        // dedicated with unknown values hashed into the shared rows: each value's vector, then pooled
        long[] own = new long[n];
        boolean[] unknown = new boolean[n];
        for (int i = 0; i < n; i++) {
            own[i] = p.longValues() != null ? f.dedicated().rowOfKey(p.longValues()[i]) : f.dedicated().rowOfKey(p.stringValues()[i]);
            unknown[i] = own[i] < 0;
        }
        float[] each = new float[Math.multiplyExact(n, dim)];
        MemorySegment eachSeg = MemorySegment.ofArray(each);
        f.dedicated().withGather(g -> g.gather(own, n, eachSeg));
        long[] hashed = sharedRows(f, p, n, unknown);
        int nu = hashed.length / f.probes();
        float[] fromShared = new float[Math.multiplyExact(nu, dim)];
        long[] singles = new long[nu + 1];
        for (int i = 0; i <= nu; i++) singles[i] = i;
        shared.withGather(g -> g.bags(hashed, f.probes(), singles, nu, Pooling.SUM, MemorySegment.ofArray(fromShared)));
        for (int i = 0, u = 0; i < n; i++) {
            if (unknown[i]) System.arraycopy(fromShared, u++ * dim, each, i * dim, dim);
        }
        if (!bags) {
            checkOut(out, n);
            MemorySegment.copy(each, 0, out, F32Codec.LE, 0, each.length);
            return;
        }
        poolInJava(each, p.offsets(), n, p.pool(), out);
    }

    /** The shared rows of the values (only those marked in {@code only}, when given), probes consecutive per value. */
    private long[] sharedRows(Feature f, FeatureRequest.Part p, int n, boolean[] only) {
        int count = 0;
        for (int i = 0; i < n; i++) if (only == null || only[i]) count++;
        long[] rows = new long[Math.multiplyExact(count, f.probes())];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (only != null && !only[i]) continue;
            long v = p.longValues() != null ? p.longValues()[i] : Hashing.of(Objects.requireNonNull(p.stringValues()[i], "value"));
            for (int probe = 0; probe < f.probes(); probe++) {
                rows[k++] = shared.rowOfKey(Hashing.bucket(v, f.seed(), probe, buckets)); // -1: a bucket never put reads as zeros
            }
        }
        return rows;
    }

    /** The kernels' nbags + 1 bounds: one per value for a single-valued part, else the request's offsets (checked) plus the end. */
    private static long[] bounds(FeatureRequest.Part p, int n) {
        if (p.offsets() == null) {
            long[] b = new long[n + 1];
            for (int i = 0; i <= n; i++) b[i] = i;
            return b;
        }
        int[] o = p.offsets();
        long[] b = new long[o.length + 1];
        for (int i = 0; i < o.length; i++) {
            if ((i == 0 && o[0] != 0) || o[i] < 0 || o[i] > n || (i > 0 && o[i] < o[i - 1])) {
                throw new IllegalArgumentException("bad bag offsets for '" + p.feature() + "': offset " + i + " is " + o[i]
                        + " (offsets start at 0, do not decrease and stay within the " + n + " values)");
            }
            b[i] = o[i];
        }
        b[o.length] = n;
        return b;
    }

    private void poolInJava(float[] each, int[] offsets, int n, Pooling pool, MemorySegment out) {
        long[] b = bounds(new FeatureRequest.Part("", new long[n], null, offsets, pool), n);
        int nbags = offsets.length;
        checkOut(out, nbags);
        float[] acc = new float[dim];
        for (int bag = 0; bag < nbags; bag++) {
            Arrays.fill(acc, 0f);
            int from = (int) b[bag], to = (int) b[bag + 1];
            for (int v = from; v < to; v++) {
                for (int j = 0; j < dim; j++) {
                    float x = each[v * dim + j];
                    acc[j] = pool == Pooling.MAX ? (v == from ? x : Math.max(acc[j], x)) : acc[j] + x;
                }
            }
            if (pool == Pooling.MEAN && to > from) {
                for (int j = 0; j < dim; j++) acc[j] /= (to - from);
            }
            MemorySegment.copy(acc, 0, out, F32Codec.LE, (long) bag * dim * Float.BYTES, dim);
        }
    }

    private void checkOut(MemorySegment out, long vectors) {
        long need = vectors * dim * Float.BYTES;
        if (out.byteSize() < need || out.isReadOnly()) {
            throw new IllegalArgumentException("out holds " + out.byteSize() + (out.isReadOnly() ? " read-only" : "") + " bytes, "
                    + vectors + " vectors of dimension " + dim + " need " + need + " writable");
        }
    }

    /** Configures the features of one shared table; not thread-safe. */
    public static final class Builder {
        private final EmbeddingTable shared;
        private final long buckets;
        private final Map<String, Feature> features = new LinkedHashMap<>();

        private Builder(EmbeddingTable shared, long buckets) {
            this.shared = Objects.requireNonNull(shared, "shared");
            if (shared.keyType() != KeyType.LONG) {
                throw new IllegalArgumentException("the shared table needs long keys (its rows are keys 0 .. buckets - 1)");
            }
            if (buckets < 1) {
                throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
            }
            this.buckets = buckets;
        }

        /** A feature multiplexed into the shared rows, one probe, seeded by its name. */
        public Builder hashed(String feature) {
            return hashed(feature, 1);
        }

        /** A feature multiplexed into the shared rows with {@code probes} hashed rows summed per value. */
        public Builder hashed(String feature, int probes) {
            return hashed(feature, probes, Hashing.of(feature));
        }

        /** As {@link #hashed(String, int)} with an explicit seed (the one a model was trained with). */
        public Builder hashed(String feature, int probes, long seed) {
            return add(new Feature(feature, seed, checkProbes(probes), null, false));
        }

        /** A feature with its own table; unknown values read as that table's {@link Oov} policy. */
        public Builder dedicated(String feature, EmbeddingTable table) {
            return add(new Feature(feature, 0, 1, checkDimension(table), false));
        }

        /** A feature with its own table whose unknown values hash into the shared rows ({@code probes} summed, seeded by its name). */
        public Builder dedicatedWithHashedOov(String feature, EmbeddingTable table, int probes) {
            return add(new Feature(feature, Hashing.of(feature), checkProbes(probes), checkDimension(table), true));
        }

        private EmbeddingTable checkDimension(EmbeddingTable table) {
            Objects.requireNonNull(table, "table");
            if (table.dimension() != shared.dimension()) {
                throw new IllegalArgumentException("a dedicated table of dimension " + table.dimension() + " beside a shared table of "
                        + shared.dimension());
            }
            return table;
        }

        private static int checkProbes(int probes) {
            if (probes < 1 || probes > 64) {
                throw new IllegalArgumentException("probes must be in 1..64, got " + probes);
            }
            return probes;
        }

        private Builder add(Feature f) {
            Objects.requireNonNull(f.name(), "feature");
            if (features.putIfAbsent(f.name(), f) != null) {
                throw new IllegalArgumentException("feature '" + f.name() + "' is configured twice");
            }
            return this;
        }

        public EmbeddingFeatures build() {
            return new EmbeddingFeatures(shared, buckets, features);
        }
    }
}
