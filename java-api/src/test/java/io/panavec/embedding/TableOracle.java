package io.panavec.embedding;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The independent model of a table: a heap {@code HashMap<key, float[]>} of the vectors put, and what the codec's
 * scalar Java decoder makes of each (encode then decode on the heap, no table, no native code).
 */
final class TableOracle<K> {
    final Map<K, float[]> vectors = new HashMap<>();
    private final RowCodec codec;

    TableOracle(RowCodec codec) {
        this.codec = codec;
    }

    void put(K key, float[] v) {
        vectors.put(key, v.clone());
    }

    /** What the scalar decoder gives back for {@code x} through {@code codec}. */
    static float[] scalarRoundTrip(RowCodec codec, float[] x) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment row = a.allocate(codec.rowBytes());
            codec.encode(x, row, 0);
            float[] out = new float[codec.dimension()];
            codec.decode(row, 0, out, 0);
            return out;
        }
    }

    /** The expected vector of a key: its decoded vector, or the fallback's (null: zeros). */
    float[] expected(RowCodec trained, K key, K fallback) {
        float[] v = vectors.get(key);
        if (v == null && fallback != null) v = vectors.get(fallback);
        return v == null ? new float[trained.dimension()] : scalarRoundTrip(trained, v);
    }

    /** Checks a looked-up vector against the model: equal to the scalar decode (a few ulps), within the codec's bound of the original. */
    static void check(RowCodec trained, float[] original, float[] got, String what) {
        int d = trained.dimension();
        assertEquals(d, got.length, what);
        if (original == null) {
            for (int j = 0; j < d; j++) assertEquals(0f, got[j], 0f, what + ": unknown key reads as zeros");
            return;
        }
        float[] scalar = scalarRoundTrip(trained, original);
        double err2 = 0, scale = 0;
        for (int j = 0; j < d; j++) {
            assertEquals(scalar[j], got[j], 2e-6 * (1 + Math.abs(scalar[j])), what + ": element " + j + " against the scalar decoder");
            err2 += (double) (got[j] - original[j]) * (got[j] - original[j]);
            scale += (double) original[j] * original[j];
        }
        double bound = trained.errorBound(original);
        assertTrue(Math.sqrt(err2) <= bound * (1 + 1e-4) + 1e-6 * Math.sqrt(scale) + 1e-7,
                what + ": error " + Math.sqrt(err2) + " exceeds the stated bound " + bound);
    }

    static float[] gaussian(Random r, int d, float offset) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) v[j] = offset + (float) r.nextGaussian();
        return v;
    }
}
