package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fused top-k against sorting the reference scores: same rows up to ties within tolerance, the heap
 * carried across two chunks with base_row, with and without an allow bitset (dense and selective,
 * which take different paths), and exact ties resolved to the lower row.
 */
class TopkKernelTest {
    static final int N = 700; // > 2 blocks of the native scan
    static final int SPLIT = 300;

    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_f32_topk", "pv_f16_topk", "pv_i8_topk", "pv_topk_sort"})
    void topkMatchesSortedReference(int isa) {
        IsaLevels.use(isa);
        for (Elem elem : Elem.values()) {
            for (int dim : new int[] {1, 7, 33, 384}) {
                SplittableRandom rnd = new SplittableRandom(dim * 7L + elem.ordinal());
                float[] q = ScoreKernelTest.vector(elem, dim, rnd, 1);
                float[][] x = new float[N][];
                for (int r = 0; r < N; r++) x[r] = ScoreKernelTest.vector(elem, dim, rnd, 1);
                for (int metric = 0; metric < 3; metric++) {
                    for (double density : new double[] {1.0, 0.6, 0.05}) {
                        long[] allow = density == 1.0 ? null : bits(N, density, rnd);
                        for (int k : new int[] {1, 10, N + 5}) {
                            check(elem, metric, q, x, dim, allow, k);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_f32_topk", "pv_f16_topk", "pv_i8_topk"})
    void exactTiesKeepTheLowerRow(int isa) {
        IsaLevels.use(isa);
        SplittableRandom rnd = new SplittableRandom(5);
        for (Elem elem : Elem.values()) {
            int dim = 17;
            float[] q = ScoreKernelTest.vector(elem, dim, rnd, 1);
            float[] v = ScoreKernelTest.vector(elem, dim, rnd, 1);
            float[][] x = new float[N][];
            for (int r = 0; r < N; r++) x[r] = v;
            for (int metric = 0; metric < 3; metric++) {
                long[] rows = run(elem, metric, q, x, dim, null, 5).rows;
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L), List.of(rows[0], rows[1], rows[2], rows[3], rows[4]),
                        elem + " metric " + metric);
            }
        }
    }

    record Result(float[] scores, long[] rows, int size) {}

    /** Two chunks [0, SPLIT) and [SPLIT, N) merged into one heap (heap arrays on the Java heap), then sorted. */
    static Result run(Elem elem, int metric, float[] q, float[][] x, int dim, long[] allow, int k) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment qs = elem.encodeQuery(arena, q, 4);
            MemorySegment xs = elem.encode(arena, x, dim, elem == Elem.I8 ? 1 : elem.bytes);
            MemorySegment allowSeg = allow == null ? MemorySegment.NULL : arena.allocateFrom(ValueLayout.JAVA_LONG, allow);
            float[] hs = new float[k];
            long[] hr = new long[k];
            long rowBytes = (long) dim * elem.bytes;
            long size = elem.topk(metric, qs, xs.asSlice(0, SPLIT * rowBytes), SPLIT, dim, 0, allowSeg, k,
                    MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), 0);
            size = elem.topk(metric, qs, xs.asSlice(SPLIT * rowBytes), N - SPLIT, dim, SPLIT, allowSeg, k,
                    MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), size);
            panavec_h.pv_topk_sort(metric, MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), size);
            return new Result(hs, hr, (int) size);
        }
    }

    static void check(Elem elem, int metric, float[] q, float[][] x, int dim, long[] allow, int k) {
        verify(elem, metric, q, x, dim, allow, k, run(elem, metric, q, x, dim, allow, k));
    }

    /** {@code got} (sorted) holds the best min(k, allowed) rows for q, by the double-precision reference. */
    static void verify(Elem elem, int metric, float[] q, float[][] x, int dim, long[] allow, int k, Result got) {
        String what = String.format("%s %s metric %d dim %d k %d allow %s", Kernels.isaName(Kernels.isaActive()), elem,
                metric, dim, k, allow == null ? "all" : "bitset");
        int n = x.length;
        List<Integer> allowed = new ArrayList<>();
        Reference[] ref = new Reference[n];
        for (int r = 0; r < n; r++) {
            ref[r] = Reference.of(elem, metric, q, x[r]);
            if (allow == null || (allow[r >> 6] >>> (r & 63) & 1) != 0) allowed.add(r);
        }
        Comparator<Integer> bestFirst = Comparator.comparingDouble(r -> metric == Reference.L2 ? ref[r].value() : -ref[r].value());
        allowed.sort(bestFirst);
        int want = Math.min(k, allowed.size());
        assertEquals(want, got.size(), "heap size, " + what);
        if (want == 0) return;
        double kth = ref[allowed.get(want - 1)].value();
        Set<Long> gotRows = new HashSet<>();
        for (int i = 0; i < want; i++) {
            long row = got.rows()[i];
            assertTrue(gotRows.add(row), "duplicate row " + row + ", " + what);
            assertTrue(allow == null || (allow[(int) (row >> 6)] >>> (row & 63) & 1) != 0, "row " + row + " not allowed, " + what);
            Reference r = ref[(int) row];
            assertEquals(r.value(), got.scores()[i], r.tolerance(), "score of row " + row + ", " + what);
            // Not worse than the k-th best reference score, up to the tolerance of the two scores.
            double slack = r.tolerance() + ref[allowed.get(want - 1)].tolerance();
            assertTrue(!Reference.better(metric, kth, r.value() + (metric == Reference.L2 ? -slack : slack)),
                    "row " + row + " (" + r.value() + ") is worse than the k-th best " + kth + ", " + what);
            if (i > 0) {
                float prev = got.scores()[i - 1], cur = got.scores()[i];
                assertTrue(!Reference.better(metric, cur, prev) && (prev != cur || got.rows()[i - 1] < row),
                        "not sorted best-first at " + i + ", " + what);
            }
        }
        // Every row clearly better than the k-th best must be there.
        for (int r : allowed.subList(0, want)) {
            double slack = ref[r].tolerance() + ref[allowed.get(want - 1)].tolerance();
            boolean clearlyBetter = Reference.better(metric, ref[r].value() + (metric == Reference.L2 ? slack : -slack), kth);
            assertTrue(!clearlyBetter || gotRows.contains((long) r), "missing row " + r + ", " + what);
        }
    }

    static long[] bits(int n, double density, SplittableRandom rnd) {
        long[] b = new long[(n + 63) / 64];
        for (int r = 0; r < n; r++) if (rnd.nextDouble() < density) b[r >> 6] |= 1L << (r & 63);
        return b;
    }
}
