package io.panavec.bindings;

import static io.panavec.bindings.GraphFixture.*;
import static io.panavec.bindings.panavec_graph_h.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Graph walks score at the ISA level in use when the search starts, whatever level the graph was built
 * at: a float walk's scores are bit for bit the one-to-one kernel's at that level, a walk over 8-bit
 * codes scores as pv_quant_score does, and both find the brute-force neighbors.
 */
class GraphLevelTest {
    static final int N = 3000, DIM = 40, NQ = 40, K = 10;
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;

    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_hnsw_search", "pv_hnsw_search_filtered"})
    void floatWalksScoreAtTheLevelInUse(int isa) {
        for (int metric : new int[] {METRIC_IP, METRIC_L2}) {
            try (GraphFixture fx = new GraphFixture(N + NQ, DIM, 20, metric == METRIC_IP, 21); Arena a = Arena.ofConfined()) {
                Kernels.forceIsa(Kernels.isaDetected()); // built at the best level, searched at isa
                MemorySegment index = create(a, DIM, metric, 16, 80);
                add(a, index, fx.view(N), 0, N, 2);
                IsaLevels.use(isa);
                MemorySegment all = a.allocate(ValueLayout.JAVA_LONG, (N + 63) / 64);
                all.fill((byte) -1);
                double recall = 0;
                for (int i = 0; i < NQ; i++) {
                    float[] q = fx.data[N + i];
                    long[] truth = fx.bruteForce(metric, q, K, N, r -> true);
                    Hits plain = search(index, fx.view(N), q, K, 64, null);
                    Hits acorn = searchFiltered(a, index, fx.view(N), q, all);
                    for (Hits h : new Hits[] {plain, acorn}) {
                        for (int j = 0; j < h.rows().length; j++) {
                            float kernel = panavec_h.pv_f32_score(metric, MemorySegment.ofArray(q),
                                    MemorySegment.ofArray(fx.data[(int) h.rows()[j]]), DIM);
                            assertEquals(Float.floatToIntBits(kernel), Float.floatToIntBits(h.scores()[j]),
                                    "metric " + metric + " row " + h.rows()[j] + " at " + Kernels.isaName(isa) + ": walk " + h.scores()[j]
                                            + ", kernel " + kernel);
                        }
                    }
                    recall += (overlap(plain.rows(), truth) + overlap(acorn.rows(), truth)) / 2;
                }
                assertTrue(recall / NQ >= 0.9, "recall@10 " + recall / NQ);
                pv_hnsw_free(index);
            }
        }
    }

    private static Hits searchFiltered(Arena a, MemorySegment index, MemorySegment view, float[] q, MemorySegment allow) {
        MemorySegment rows = a.allocate(ValueLayout.JAVA_LONG, K), scores = a.allocate(F, K);
        MemorySegment found = a.allocate(ValueLayout.JAVA_INT), err = a.allocate(256);
        PanavecNativeException.check(pv_hnsw_search_filtered(index, view, a.allocateFrom(F, q), K, 64, allow, rows, scores, found,
                MemorySegment.NULL, err, 256), err);
        int n = found.get(ValueLayout.JAVA_INT, 0);
        return new Hits(Arrays.copyOf(rows.toArray(ValueLayout.JAVA_LONG), n), Arrays.copyOf(scores.toArray(F), n), 0);
    }

    /**
     * Walks over 8-bit codes return pv_quant_score's scores; walks over 4-bit codes score against the query
     * rounded to int8 (pv_hnsw_search_codes), so each score is within step * (scale / 2) * 15 * pdim of
     * pv_quant_score's, and the walk finds the brute-force top 10 by those float code scores.
     */
    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers("pv_hnsw_search_codes")
    void codeWalksScoreAtTheLevelInUse(int isa) {
        for (int bits : new int[] {8, 4}) {
            for (int metric : new int[] {METRIC_IP, METRIC_L2}) {
                try (GraphFixture fx = new GraphFixture(N + NQ, DIM, 20, metric == METRIC_IP, 22); Arena a = Arena.ofConfined()) {
                    MemorySegment index = create(a, DIM, metric, 16, 80);
                    add(a, index, fx.view(N), 0, N, 2);
                    int pd = (DIM + 31) & ~31, rb = 16 + pd * bits / 8;
                    MemorySegment codes = a.allocate((long) N * rb, 64);
                    for (int r = 0; r < N; r++) encode(bits, fx.data[r], codes, (long) r * rb);
                    MemorySegment chunks = a.allocate(ValueLayout.ADDRESS);
                    chunks.set(ValueLayout.ADDRESS, 0, codes);
                    MemorySegment view = a.allocate(32, 8); // pv_codes
                    view.set(ValueLayout.ADDRESS, 0, chunks);
                    view.set(ValueLayout.JAVA_LONG, 8, 20);
                    view.set(ValueLayout.JAVA_LONG, 16, N);
                    view.set(ValueLayout.JAVA_INT, 24, DIM);
                    view.set(ValueLayout.JAVA_INT, 28, bits);
                    IsaLevels.use(isa);
                    double recall = 0, worst = 0;
                    for (int i = 0; i < NQ; i++) {
                        float[] q = fx.data[N + i];
                        float[] qt = new float[pd + 4];
                        double sum = 0, qq = 0;
                        float max = 0;
                        for (int d = 0; d < DIM; d++) {
                            qt[d] = q[d];
                            sum += q[d];
                            qq += (double) q[d] * q[d];
                            max = Math.max(max, Math.abs(q[d]));
                        }
                        qt[pd + 1] = (float) sum;
                        qt[pd + 2] = (float) qq;
                        MemorySegment rows = a.allocate(ValueLayout.JAVA_LONG, K), scores = a.allocate(F, K);
                        MemorySegment found = a.allocate(ValueLayout.JAVA_INT), err = a.allocate(256);
                        PanavecNativeException.check(panavec_quant_h.pv_hnsw_search_codes(index, view, a.allocateFrom(F, qt), K, 64,
                                MemorySegment.NULL, rows, scores, found, MemorySegment.NULL, err, 256), err);
                        int n = found.get(ValueLayout.JAVA_INT, 0);
                        assertEquals(K, n);
                        for (int j = 0; j < n; j++) {
                            long r = rows.getAtIndex(ValueLayout.JAVA_LONG, j);
                            MemorySegment row = codes.asSlice(r * rb, rb);
                            float kernel = panavec_quant_h.pv_quant_score(metric, bits, MemorySegment.ofArray(qt), row, DIM);
                            double tol = 1e-5 * Math.max(1, Math.abs(kernel));
                            if (bits == 4) { // IP moves by b * the dot's error; L2 by twice that
                                tol += (metric == METRIC_L2 ? 2 : 1) * row.get(F, 4) * (max / 127.0 / 2) * 15 * pd;
                            }
                            double off = Math.abs(kernel - scores.getAtIndex(F, j));
                            worst = Math.max(worst, off);
                            assertTrue(off <= tol, bits + "-bit row " + r + ": walk " + scores.getAtIndex(F, j) + ", codes " + kernel + " (tol " + tol + ")");
                        }
                        double[] byCodes = new double[N];
                        for (int r = 0; r < N; r++) {
                            byCodes[r] = panavec_quant_h.pv_quant_score(metric, bits, MemorySegment.ofArray(qt), codes.asSlice((long) r * rb, rb), DIM);
                        }
                        long[] truth = java.util.stream.IntStream.range(0, N).boxed()
                                .sorted((x, y) -> metric == METRIC_IP ? Double.compare(byCodes[y], byCodes[x]) : Double.compare(byCodes[x], byCodes[y]))
                                .limit(K).mapToLong(r -> r).toArray();
                        recall += overlap(rows.toArray(ValueLayout.JAVA_LONG), truth);
                    }
                    assertTrue(recall / NQ >= 0.85, bits + "-bit recall@10 of the top 10 by code score " + recall / NQ);
                    if (bits == 4) {
                        assertTrue(worst > 0, "4-bit walk scores equal the float ones exactly: the int8 query is not in use");
                    }
                    pv_hnsw_free(index);
                }
            }
        }
    }

    /** Per-row codes of 8 or 4 bits as panavec_quant.h describes: a = min, b = step, norm2 of the decoded row. */
    private static void encode(int bits, float[] x, MemorySegment dst, long off) {
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        int levels = (1 << bits) - 1;
        float step = hi > lo ? (hi - lo) / levels : 1f;
        double n2 = 0;
        for (int d = 0; d < x.length; d++) {
            int c = Math.round((x[d] - lo) / step);
            if (bits == 8) {
                dst.set(ValueLayout.JAVA_BYTE, off + 16 + d, (byte) c);
            } else { // per 32 dims 16 bytes: dim j < 16 in the low nibble of byte j, dim j >= 16 in the high nibble of byte j - 16
                long at = off + 16 + (d / 32) * 16L + (d % 32) % 16;
                int shift = (d % 32) < 16 ? 0 : 4;
                dst.set(ValueLayout.JAVA_BYTE, at, (byte) (dst.get(ValueLayout.JAVA_BYTE, at) | (c << shift)));
            }
            double y = lo + (double) step * c;
            n2 += y * y;
        }
        dst.set(F, off, lo);
        dst.set(F, off + 4, step);
        dst.set(F, off + 8, (float) n2);
        dst.set(F, off + 12, 0f);
    }
}
