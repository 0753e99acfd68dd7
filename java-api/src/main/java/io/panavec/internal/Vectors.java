package io.panavec.internal;

/** Unit-length copies of vectors: how cosine indexes store and query (inner product over normalized vectors). */
public final class Vectors {
    private Vectors() {}

    /** {@code v} scaled to unit length (computed in double); a zero vector stays zero. A copy either way. */
    public static float[] normalized(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        if (s == 0) {
            return v.clone();
        }
        float inv = (float) (1 / Math.sqrt(s));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * inv;
        return out;
    }

    /** Every vector of {@code vs} {@link #normalized(float[]) normalized}. */
    public static float[][] normalized(float[][] vs) {
        float[][] out = new float[vs.length][];
        for (int i = 0; i < vs.length; i++) out[i] = normalized(vs[i]);
        return out;
    }
}
