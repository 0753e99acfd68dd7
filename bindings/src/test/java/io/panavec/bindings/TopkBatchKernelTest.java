package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocked multi-query scan against the double-precision reference, query by query (the checks of
 * {@link TopkKernelTest}): query counts that leave remainders of the register blocks and cross a query
 * tile, rows crossing row tiles, heaps carried across two chunks, f32 and f16 rows, every metric, with
 * and without an allow bitset, at every ISA level; L2 of near duplicates, where the dot-based filter cancels;
 * and its argument checks.
 */
class TopkBatchKernelTest {
    static final int N = TopkKernelTest.N;
    static final int SPLIT = TopkKernelTest.SPLIT;

    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers("pv_topk_batch")
    void everyQueryMatchesTheReference(int isa) {
        IsaLevels.use(isa);
        for (Elem elem : new Elem[] {Elem.F32, Elem.F16}) {
            for (int dim : new int[] {1, 7, 33, 384, 785, 1023, 1600}) { // 785+: tiles of fewer rows, not a multiple of the chunks
                SplittableRandom rnd = new SplittableRandom(dim * 11L + elem.ordinal());
                float[][] x = new float[N][];
                for (int r = 0; r < N; r++) x[r] = ScoreKernelTest.vector(elem, dim, rnd, 1);
                for (int nq : dim > 33 ? new int[] {1, 5} : new int[] {1, 5, 53}) { // 53: two query tiles of 48, remainders of the 6- and 4-query blocks
                    float[][] q = new float[nq][];
                    for (int i = 0; i < nq; i++) q[i] = ScoreKernelTest.vector(Elem.F32, dim, rnd, 1);
                    for (int metric = 0; metric < 3; metric++) {
                        long[] allow = nq == 5 ? TopkKernelTest.bits(N, 0.3, rnd) : null;
                        for (int k : new int[] {1, 10, N + 5}) { // N + 5: every row
                            TopkKernelTest.Result[] got = run(elem, metric, q, x, dim, allow, k);
                            for (int i = 0; i < nq; i++) {
                                TopkKernelTest.verify(elem, metric, q[i], x, dim, allow, k, got[i]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * L2 over near duplicates far from the origin: the rows and queries are one vector c of norm ~1000 plus
     * noise of ~1e-3, so |q|^2 + |x|^2 - 2 q.x (which the scan filters with) cancels to noise far larger than the
     * distances themselves; the scores and the order must still be those of the direct difference, within its
     * own (relative) tolerance. Also dimensions that leave partial panels and register blocks.
     */
    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers("pv_topk_batch")
    void l2OfNearDuplicatesIsExact(int isa) {
        IsaLevels.use(isa);
        for (Elem elem : new Elem[] {Elem.F32, Elem.F16}) {
            for (int dim : new int[] {7, 129, 785}) {
                SplittableRandom rnd = new SplittableRandom(dim * 13L + elem.ordinal());
                // f16: c ~ 100 (ulp 1/16) and noise in whole ulps, so every value is exactly an f16
                double scale = elem == Elem.F16 ? 100 : 1000, step = elem == Elem.F16 ? 0.0625 : 1e-3;
                float[] c = new float[dim];
                for (int d = 0; d < dim; d++) c[d] = representable(elem, Math.rint(rnd.nextDouble(-scale, scale)));
                float[][] x = new float[N][];
                for (int r = 0; r < N; r++) x[r] = nearby(elem, c, step, rnd);
                float[][] q = new float[7][];
                for (int i = 0; i < q.length; i++) q[i] = nearby(elem, c, step, rnd);
                for (int k : new int[] {1, 10}) {
                    TopkKernelTest.Result[] got = run(elem, Reference.L2, q, x, dim, null, k);
                    for (int i = 0; i < q.length; i++) TopkKernelTest.verify(elem, Reference.L2, q[i], x, dim, null, k, got[i]);
                }
            }
        }
    }

    private static float representable(Elem elem, double v) {
        return elem == Elem.F16 ? Float.float16ToFloat(Float.floatToFloat16((float) v)) : (float) v;
    }

    /** c plus -3..3 steps in each element. */
    private static float[] nearby(Elem elem, float[] c, double step, SplittableRandom rnd) {
        float[] v = new float[c.length];
        for (int d = 0; d < c.length; d++) v[d] = representable(elem, c[d] + step * rnd.nextInt(-3, 4));
        return v;
    }

    @Test
    void badArgumentsAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = arena.allocate(ValueLayout.JAVA_FLOAT, 8);
            MemorySegment x = arena.allocate(ValueLayout.JAVA_FLOAT, 8);
            MemorySegment hs = arena.allocate(ValueLayout.JAVA_FLOAT, 2);
            MemorySegment hr = arena.allocate(ValueLayout.JAVA_LONG, 2);
            MemorySegment sizes = arena.allocate(ValueLayout.JAVA_LONG, 1);
            int einval = panavec_h.PV_EINVAL();
            assertEquals(einval, panavec_h.pv_topk_batch(7, 0, q, 1, x, 1, 8, 0, MemorySegment.NULL, 2, hs, hr, sizes), "metric");
            assertEquals(einval, panavec_h.pv_topk_batch(0, 2, q, 1, x, 1, 8, 0, MemorySegment.NULL, 2, hs, hr, sizes), "i8 rows");
            assertEquals(einval, panavec_h.pv_topk_batch(0, 0, q, 1, x, 1, 8, 0, MemorySegment.NULL, 0, hs, hr, sizes), "k 0");
            sizes.set(ValueLayout.JAVA_LONG, 0, 3);
            assertEquals(einval, panavec_h.pv_topk_batch(0, 0, q, 1, x, 1, 8, 0, MemorySegment.NULL, 2, hs, hr, sizes), "heap size > k");
        }
    }

    /** Chunks [0, SPLIT) and [SPLIT, N) merged into one heap per query, then each heap sorted. */
    static TopkKernelTest.Result[] run(Elem elem, int metric, float[][] q, float[][] x, int dim, long[] allow, int k) {
        int nq = q.length;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment qs = Elem.F32.encode(arena, q, dim, 4);
            MemorySegment xs = elem.encode(arena, x, dim, elem.bytes);
            MemorySegment allowSeg = allow == null ? MemorySegment.NULL : arena.allocateFrom(ValueLayout.JAVA_LONG, allow);
            MemorySegment hs = arena.allocate(ValueLayout.JAVA_FLOAT, (long) nq * k);
            MemorySegment hr = arena.allocate(ValueLayout.JAVA_LONG, (long) nq * k);
            MemorySegment sizes = arena.allocate(ValueLayout.JAVA_LONG, nq);
            long rowBytes = (long) dim * elem.bytes;
            int e = elem == Elem.F32 ? panavec_h.PV_ELEM_F32() : panavec_h.PV_ELEM_F16();
            assertEquals(0, panavec_h.pv_topk_batch(metric, e, qs, nq, xs.asSlice(0, SPLIT * rowBytes), SPLIT, dim, 0,
                    allowSeg, k, hs, hr, sizes));
            assertEquals(0, panavec_h.pv_topk_batch(metric, e, qs, nq, xs.asSlice(SPLIT * rowBytes), N - SPLIT, dim, SPLIT,
                    allowSeg, k, hs, hr, sizes));
            TopkKernelTest.Result[] out = new TopkKernelTest.Result[nq];
            for (int i = 0; i < nq; i++) {
                long size = sizes.getAtIndex(ValueLayout.JAVA_LONG, i);
                MemorySegment s = hs.asSlice((long) i * k * 4, (long) k * 4);
                MemorySegment r = hr.asSlice((long) i * k * 8, (long) k * 8);
                panavec_h.pv_topk_sort(metric, s, r, size);
                out[i] = new TopkKernelTest.Result(s.toArray(ValueLayout.JAVA_FLOAT), r.toArray(ValueLayout.JAVA_LONG), (int) size);
            }
            return out;
        }
    }
}
