package io.panavec.embedding;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit hashes of embedding tables, fixed by this file (tables and trained models depend on them, so they
 * never change): FNV-1a over a string's UTF-8 bytes, and SplitMix64's finalizer to mix a value with a seed.
 * Stateless and thread-safe.
 */
final class Hashing {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Hashing() {}

    /** SplitMix64's finalizer of {@code x}. */
    static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /** FNV-1a (64-bit) of {@code s}'s UTF-8 bytes. */
    static long of(String s) {
        return of(s.getBytes(StandardCharsets.UTF_8));
    }

    static long of(byte[] utf8) {
        long h = 0xCBF29CE484222325L;
        for (byte b : utf8) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }

    /** {@code value} mixed with {@code seed} and probe number {@code probe}: the hash behind every bucket and slot. */
    static long probe(long value, long seed, int probe) {
        return mix(value ^ mix(seed + GOLDEN * (probe + 1L)));
    }

    /** The bucket in [0, buckets) of {@code value} for {@code seed}, probe {@code probe}. */
    static long bucket(long value, long seed, int probe, long buckets) {
        return Long.remainderUnsigned(probe(value, seed, probe), buckets);
    }
}
