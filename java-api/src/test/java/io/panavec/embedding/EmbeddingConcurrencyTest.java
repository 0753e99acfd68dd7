package io.panavec.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Look-ups (single keys, batches, bags) run on three threads while one writer upserts new versions of the same
 * keys: every vector read must be one whole version that was put for that key (no torn row, no other key's row),
 * never older than a version whose put had returned before the read started, and never newer than the last put.
 * And while one writer adds new keys (the vocabulary grows through several rebuilds), deletes some of them and
 * compacts: keys never deleted are always found whole, others read as zeros or a whole row of their own.
 */
class EmbeddingConcurrencyTest {
    private static final int KEYS = 64, DIM = 16;

    @TempDir
    Path tmp;

    private static float[] version(long key, int v) {
        float[] x = new float[DIM];
        x[0] = key;
        for (int j = 1; j < DIM; j++) x[j] = v;
        return x;
    }

    @Test
    void readersSeeWholeVersionsWhileOneWriterUpserts() throws Exception {
        try (EmbeddingTable t = EmbeddingTable.builder(tmp.resolve("t")).dimension(DIM).rowsPerChunk(32).create()) {
            long[] all = new long[KEYS];
            float[][] first = new float[KEYS][];
            for (int k = 0; k < KEYS; k++) {
                all[k] = k;
                first[k] = version(k, 0);
            }
            t.putAll(all, first);
            AtomicLongArray acknowledged = new AtomicLongArray(KEYS); // latest version whose put returned
            AtomicLongArray started = new AtomicLongArray(KEYS);      // latest version whose put started
            besideOneWriter(3, r -> {
                long[] keys = new long[1 + r.nextInt(20)];
                long[] floor = new long[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = r.nextInt(KEYS);
                    floor[i] = acknowledged.get((int) keys[i]);
                }
                float[][] got = t.lookup(keys);
                for (int i = 0; i < keys.length; i++) {
                    float[] v = got[i];
                    assertEquals(keys[i], v[0], 0f, "another key's row");
                    for (int j = 2; j < DIM; j++) assertEquals(v[1], v[j], 0f, "a torn row of key " + keys[i]);
                    assertTrue(v[1] >= floor[i], "key " + keys[i] + " read version " + v[1] + " after version " + floor[i] + " was acknowledged");
                    assertTrue(v[1] <= started.get((int) keys[i]), "key " + keys[i] + " read version " + v[1] + " before it was put");
                }
                float[][] sums = t.lookupBags(keys, new int[] {0}, Pooling.SUM);
                assertTrue(Float.isFinite(sums[0][1]));
            }, () -> {
                Random r = new Random(99);
                for (int v = 1; v <= 60; v++) {
                    long[] keys = new long[1 + r.nextInt(8)];
                    float[][] vs = new float[keys.length][];
                    for (int i = 0; i < keys.length; i++) {
                        keys[i] = r.nextInt(KEYS);
                        vs[i] = version(keys[i], v);
                        started.accumulateAndGet((int) keys[i], v, Math::max);
                    }
                    t.putAll(keys, vs);
                    for (long k : keys) acknowledged.accumulateAndGet((int) k, v, Math::max);
                }
                return null;
            });
        }
    }

    @Test
    void readersKeepFindingKeysWhileTheVocabularyGrowsDeletesAndCompacts() throws Exception {
        try (EmbeddingTable t = EmbeddingTable.builder(tmp.resolve("grow")).dimension(DIM).rowsPerChunk(64).create()) {
            long[] stable = new long[KEYS];
            float[][] first = new float[KEYS][];
            for (int k = 0; k < KEYS; k++) {
                stable[k] = k;
                first[k] = version(k, 0);
            }
            t.putAll(stable, first);
            besideOneWriter(2, r -> {
                long[] keys = new long[1 + r.nextInt(32)];
                for (int i = 0; i < keys.length; i++) keys[i] = r.nextBoolean() ? r.nextInt(KEYS) : 1000 + r.nextInt(2000);
                float[][] got = t.lookup(keys);
                for (int i = 0; i < keys.length; i++) {
                    float[] v = got[i];
                    boolean zeros = v[0] == 0 && v[1] == 0;
                    if (keys[i] < KEYS) assertEquals(keys[i], v[0], 0f, "stable key " + keys[i] + " lost or another key's row");
                    else assertTrue(zeros || v[0] == keys[i], "key " + keys[i] + " read another key's row " + v[0]);
                    for (int j = 2; j < DIM; j++) assertEquals(v[1], v[j], 0f, "a torn row of key " + keys[i]);
                }
            }, () -> {
                Random r = new Random(7);
                for (int v = 1; v <= 400; v++) {
                    long[] keys = new long[5];
                    float[][] vs = new float[5][];
                    for (int i = 0; i < 5; i++) {
                        keys[i] = 1000 + (v * 5L + i) % 2000;
                        vs[i] = version(keys[i], v);
                    }
                    t.putAll(keys, vs);
                    t.delete(1000 + r.nextInt(2000), 1000 + r.nextInt(2000));
                    if (v % 100 == 0) t.compact();
                }
                return null;
            });
        }
    }

    /** A reader's check of one look-up, drawing its keys from its own random source. */
    @FunctionalInterface
    private interface Read {
        void once(Random r) throws Exception;
    }

    /** Runs {@code readers} threads repeating {@code read} until {@code writer} (on its own thread) returns; each reader must have run. */
    private static void besideOneWriter(int readers, Read read, java.util.concurrent.Callable<?> writer) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        try {
            List<Future<Integer>> reads = new ArrayList<>();
            for (int th = 0; th < readers; th++) {
                int seed = th;
                reads.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    go.await();
                    int n = 0;
                    while (!stop.get()) {
                        read.once(r);
                        n++;
                    }
                    return n;
                }));
            }
            Future<?> w = pool.submit(() -> {
                go.await();
                return writer.call();
            });
            go.countDown();
            try {
                w.get();
            } finally {
                stop.set(true);
            }
            for (Future<Integer> f : reads) assertTrue(f.get() > 0, "a reader ran");
        } finally {
            pool.shutdownNow();
        }
    }
}
