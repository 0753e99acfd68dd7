package io.panavec.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The multiplexed layout against a heap model: the shared rows in a {@code HashMap<bucket, float[]>}, dedicated
 * tables in their own maps, and the bucket hash re-implemented here from its documented definition (SplitMix64's
 * finalizer over FNV-1a), so a change of the hash, which would silently move every trained model's rows, fails.
 * Single values, multi-probe sums, bags, unknown values of dedicated tables (zeros or hashed into the shared rows),
 * buckets the shared table lacks (zeros), and one request over every feature at once.
 */
class EmbeddingFeaturesTest {
    private static final int DIM = 12;
    private static final long BUCKETS = 50;

    @TempDir
    Path tmp;

    // ---- the documented hash, written again
    static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    static long fnv(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        return h;
    }

    static long bucket(long value, long seed, int probe) {
        return Long.remainderUnsigned(mix(value ^ mix(seed + 0x9E3779B97F4A7C15L * (probe + 1L))), BUCKETS);
    }

    private final Map<Long, float[]> sharedModel = new HashMap<>();
    private final Map<Long, float[]> adModel = new HashMap<>();
    private final Map<Long, float[]> userModel = new HashMap<>();

    /** The model's vector of a value: the sum of its probes' shared rows (missing: zeros), or its dedicated row. */
    private float[] expected(String feature, long value) {
        return switch (feature) {
            case "country" -> shared(value, fnv("country"), 1);
            case "history" -> shared(value, fnv("history"), 3);
            case "ad" -> adModel.getOrDefault(value, new float[DIM]);
            case "user" -> userModel.containsKey(value) ? userModel.get(value) : shared(value, fnv("user"), 2);
            default -> throw new AssertionError(feature);
        };
    }

    private float[] shared(long value, long seed, int probes) {
        float[] s = new float[DIM];
        for (int p = 0; p < probes; p++) {
            float[] row = sharedModel.get(bucket(value, seed, p));
            if (row != null) for (int j = 0; j < DIM; j++) s[j] += row[j];
        }
        return s;
    }

    @Test
    void everyFeatureReadsAsTheModel() throws Exception {
        Random r = new Random(1);
        try (EmbeddingTable shared = EmbeddingTable.builder(tmp.resolve("shared")).dimension(DIM).create();
             EmbeddingTable ads = EmbeddingTable.builder(tmp.resolve("ads")).dimension(DIM).create();
             EmbeddingTable users = EmbeddingTable.builder(tmp.resolve("users")).dimension(DIM).create()) {
            fill(shared, sharedModel, r, 0, BUCKETS, 7); // bucket 7 never put: reads as zeros
            fill(ads, adModel, r, 100, 120, -1);
            fill(users, userModel, r, 1000, 1010, -1);
            EmbeddingFeatures features = EmbeddingFeatures.builder(shared, BUCKETS)
                    .hashed("country").hashed("history", 3).dedicated("ad", ads).dedicatedWithHashedOov("user", users, 2).build();

            long[] values = new long[40];
            for (int i = 0; i < values.length; i++) values[i] = r.nextInt(5) == 0 ? 1000 + r.nextInt(15) : 90 + r.nextInt(40);
            for (String f : features.features()) {
                float[][] got = features.lookup(f, values);
                for (int i = 0; i < values.length; i++) {
                    assertClose(expected(f, values[i]), got[i], f + " value " + values[i]);
                }
                int[] offsets = {0, 0, 3, 10, 10, 25}; // empty bags first and in the middle
                for (Pooling pool : Pooling.values()) {
                    float[][] bags = features.lookupBags(f, values, offsets, pool);
                    for (int b = 0; b < offsets.length; b++) {
                        int from = offsets[b], to = b + 1 < offsets.length ? offsets[b + 1] : values.length;
                        assertClose(pooled(f, values, from, to, pool), bags[b], f + " " + pool + " bag " + b);
                    }
                }
            }
            assertEquals(bucket(42, fnv("history"), 2), features.bucket("history", 42, 2));

            String[] words = {"fr", "de", "fr", "jp"};
            float[][] byString = features.lookup("country", words);
            for (int i = 0; i < words.length; i++) {
                assertClose(shared(fnv(words[i]), fnv("country"), 1), byString[i], "string value " + words[i]);
            }

            FeatureRequest request = FeatureRequest.builder()
                    .single("country", new long[] {5, 6})
                    .bags("history", new long[] {1, 2, 3}, new int[] {0, 1}, Pooling.MEAN)
                    .single("user", new long[] {1001, 999_999})
                    .bags("ad", new long[] {100, 555}, new int[] {0}, Pooling.SUM)
                    .build();
            assertEquals(7, request.vectors());
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(request.vectors() * DIM * Float.BYTES);
                features.lookup(request, out);
                float[][] want = {expected("country", 5), expected("country", 6), pooled("history", new long[] {1, 2, 3}, 0, 1, Pooling.MEAN),
                        pooled("history", new long[] {1, 2, 3}, 1, 3, Pooling.MEAN), expected("user", 1001), expected("user", 999_999),
                        pooled("ad", new long[] {100, 555}, 0, 2, Pooling.SUM)};
                for (int v = 0; v < want.length; v++) {
                    float[] got = out.asSlice((long) v * DIM * Float.BYTES, DIM * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
                    assertClose(want[v], got, "request vector " + v);
                }
            }
            Map<String, float[][]> byFeature = features.lookup(request);
            assertClose(expected("user", 999_999), byFeature.get("user")[1], "request map");

            assertThrows(IllegalArgumentException.class, () -> features.lookup("nope", new long[] {1}));
            assertThrows(IllegalArgumentException.class, () -> features.lookupBags("country", new long[] {1, 2}, new int[] {1}, Pooling.SUM));
            assertThrows(IllegalArgumentException.class, () -> EmbeddingFeatures.builder(shared, BUCKETS).hashed("a").hashed("a"));
            assertThrows(IllegalArgumentException.class, () -> EmbeddingFeatures.builder(shared, BUCKETS).hashed("a", 0));
        }
    }

    private float[] pooled(String f, long[] values, int from, int to, Pooling pool) {
        double[] acc = new double[DIM];
        int count = 0;
        for (int v = from; v < to; v++) {
            if (f.equals("ad") && !adModel.containsKey(values[v])) continue; // Oov.zeros(): left out of the bag
            float[] x = expected(f, values[v]);
            for (int j = 0; j < DIM; j++) acc[j] = pool == Pooling.MAX ? (count == 0 ? x[j] : Math.max(acc[j], x[j])) : acc[j] + x[j];
            count++;
        }
        float[] out = new float[DIM];
        for (int j = 0; j < DIM; j++) out[j] = (float) (pool == Pooling.MEAN && count > 0 ? acc[j] / count : acc[j]);
        return out;
    }

    private static void fill(EmbeddingTable t, Map<Long, float[]> model, Random r, long from, long to, long skip) throws Exception {
        int n = (int) (to - from);
        long[] keys = new long[n];
        float[][] vs = new float[n][];
        int k = 0;
        for (long key = from; key < to; key++) {
            if (key == skip) continue;
            keys[k] = key;
            vs[k] = TableOracle.gaussian(r, DIM, 0f);
            model.put(key, vs[k]);
            k++;
        }
        t.putAll(java.util.Arrays.copyOf(keys, k), java.util.Arrays.copyOf(vs, k));
    }

    private static void assertClose(float[] want, float[] got, String what) {
        for (int j = 0; j < DIM; j++) assertEquals(want[j], got[j], 1e-5 * (1 + Math.abs(want[j])), what + " element " + j);
    }
}
