package io.panavec.bindings;

import static io.panavec.bindings.panavec_faiss_h.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * FAISS's OpenMP regions inside the dlopen'ed, self-contained library (src/omp_runtime.c): builds and
 * searches with 2 threads give the results of 1 thread and of a brute-force scan, the second thread is
 * really a worker thread of the process, and concurrent callers each get their own team.
 */
class OpenMpRuntimeTest {
    static final int N = 4000, DIM = 16, NQ = 200, K = 5;

    /** Child-JVM entry for SelfContainedLibraryIT: one check with 2 threads, prints "ok <workers>". */
    public static void main(String[] args) throws Exception {
        Data d = new Data(1);
        long[] one = d.flatThenIvf(1);
        long before = workers();
        long[] two = d.flatThenIvf(2);
        if (!java.util.Arrays.equals(one, two)) throw new AssertionError("2 threads differ from 1");
        if (!java.util.Arrays.equals(d.firstColumn(two), d.bruteForce())) throw new AssertionError("2-thread flat search differs from brute force");
        System.out.println("ok workers " + before + " -> " + workers());
    }

    /** The OpenMP worker threads of this process (named by src/omp_runtime.c; not Java threads). */
    static long workers() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            return s.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).trim().equals("panavec-omp");
                } catch (IOException e) {
                    return false; // the thread ended meanwhile
                }
            }).count();
        }
    }

    /** Random vectors and queries, and FAISS indexes over them through the bindings. */
    static final class Data {
        final float[] base = new float[N * DIM], queries = new float[NQ * DIM];

        Data(long seed) {
            Random r = new Random(seed);
            for (int i = 0; i < base.length; i++) base[i] = (float) r.nextGaussian();
            for (int i = 0; i < queries.length; i++) queries[i] = (float) r.nextGaussian();
        }

        /** Exact nearest row (L2) per query, ties to the lower row. */
        long[] bruteForce() {
            long[] best = new long[NQ];
            for (int q = 0; q < NQ; q++) {
                double bd = Double.MAX_VALUE;
                for (int r = 0; r < N; r++) {
                    double s = 0;
                    for (int i = 0; i < DIM; i++) {
                        double t = queries[q * DIM + i] - base[r * DIM + i];
                        s += t * t;
                    }
                    if (s < bd) {
                        bd = s;
                        best[q] = r;
                    }
                }
            }
            return best;
        }

        long[] firstColumn(long[] labels) {
            long[] c = new long[NQ];
            for (int q = 0; q < NQ; q++) c[q] = labels[q * 2 * K];
            return c;
        }

        /** With n OpenMP threads: Flat search labels (k = K) then IVF (trained, 16 lists, nprobe 4) labels, per query. */
        long[] flatThenIvf(int threads) {
            int previous = pv_faiss_get_omp_threads();
            check(pv_faiss_set_omp_threads(threads), null);
            try (Arena a = Arena.ofConfined()) {
                long[] out = new long[NQ * 2 * K];
                String[] specs = {"Flat", "IVF16,Flat"};
                for (int s = 0; s < 2; s++) {
                    MemorySegment err = a.allocate(512), holder = a.allocate(ValueLayout.ADDRESS);
                    check(pv_faiss_index_factory(DIM, a.allocateFrom(specs[s]), panavec_h.PV_METRIC_L2, holder, err, 512), err);
                    MemorySegment index = holder.get(ValueLayout.ADDRESS, 0);
                    MemorySegment x = a.allocateFrom(ValueLayout.JAVA_FLOAT, base);
                    check(pv_faiss_index_train(index, N, x, err, 512), err);
                    check(pv_faiss_index_add(index, N, x, err, 512), err);
                    MemorySegment dist = a.allocate(ValueLayout.JAVA_FLOAT, (long) NQ * K), lab = a.allocate(ValueLayout.JAVA_LONG, (long) NQ * K);
                    check(pv_faiss_index_search(index, NQ, a.allocateFrom(ValueLayout.JAVA_FLOAT, queries), K, 0, 4, MemorySegment.NULL, 0,
                            dist, lab, err, 512), err);
                    for (int q = 0; q < NQ; q++) {
                        for (int j = 0; j < K; j++) out[q * 2 * K + s * K + j] = lab.getAtIndex(ValueLayout.JAVA_LONG, (long) q * K + j);
                    }
                    pv_faiss_index_free(index);
                }
                return out;
            } finally {
                pv_faiss_set_omp_threads(previous);
            }
        }

        private static void check(int status, MemorySegment err) {
            if (status != panavec_h.PV_OK) throw new PanavecNativeException(status, err == null ? "" : err.getString(0));
        }
    }

    @Test
    void twoThreadsGiveTheResultsOfOneAndRunOnAWorker() throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of(), OpenMpRuntimeTest.class); // a fresh process: no pooled worker yet
        assertEquals(0, r.exit(), r.output());
        assertEquals("ok workers 0 -> 1", r.output(), "one pooled worker after the first 2-thread region");
    }

    @Test
    void concurrentCallersEachGetTheirOwnTeam() throws Exception {
        Data d = new Data(9);
        long[] expected = d.flatThenIvf(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) runs.add(pool.submit(() -> d.flatThenIvf(2)));
            for (Future<long[]> f : runs) assertArrayEquals(expected, f.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(expected.length, NQ * 2 * K);
    }
}
