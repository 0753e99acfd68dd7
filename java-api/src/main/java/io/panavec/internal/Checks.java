package io.panavec.internal;

/** Argument checks done in Java before any downcall, so bad input becomes an exception, never a crash. */
public final class Checks {
    private Checks() {}

    /** Throws if {@code v} is not {@code dimension} long or holds NaN or an infinity. */
    public static void requireVector(float[] v, int dimension, String what) {
        if (v == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (v.length != dimension) {
            throw new IllegalArgumentException(what + " has dimension " + v.length + ", expected " + dimension);
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(what + " has a non-finite value (" + v[i] + ") at index " + i);
            }
        }
    }

    /** Throws unless every vector of {@code vs} passes {@link #requireVector(float[], int, String)} ({@code what i} names it). */
    public static void requireVectors(float[][] vs, int dimension, String what) {
        for (int i = 0; i < vs.length; i++) {
            requireVector(vs[i], dimension, what + " " + i);
        }
    }

    /** Throws if {@code v} is not {@code dimension} long. */
    public static void requireVector(byte[] v, int dimension, String what) {
        if (v == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (v.length != dimension) {
            throw new IllegalArgumentException(what + " has dimension " + v.length + ", expected " + dimension);
        }
    }

    public static void requirePositiveK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, was " + k);
        }
    }

    /**
     * A result depth (k, re-rank depth) no larger than the {@code available} rows, at least 1: buffers are
     * sized by it, so k = 2^31 - 1 over 1,000 rows must not allocate 16 GiB.
     */
    public static int clampDepth(long requested, long available) {
        return (int) Math.max(1, Math.min(Math.min(requested, available), Integer.MAX_VALUE));
    }

    /** A beam (efSearch) no wider than the {@code available} rows (a wider one finds nothing more), at least k. */
    public static int clampEffort(long requested, int k, long available) {
        return (int) Math.min(requested, Math.max(k, Math.min(available, Integer.MAX_VALUE)));
    }
}
