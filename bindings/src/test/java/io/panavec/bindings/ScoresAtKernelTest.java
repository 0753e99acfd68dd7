package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code pv_f32_scores_at} (rows named by address, as a re-rank reads them from a mapped store) against the
 * double-precision {@link Reference}, at every ISA level: rows scattered at unaligned addresses, named out of order
 * and repeatedly, heap query and output, every metric, dimensions around the kernels' block sizes.
 */
class ScoresAtKernelTest {
    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers("pv_f32_scores_at")
    void scoresRowsWhereTheyLie(int isa) {
        IsaLevels.use(isa);
        for (int dim : new int[] {1, 3, 8, 15, 16, 17, 64, 100, 383, 384, 385, 1025, 2048}) {
            SplittableRandom rnd = new SplittableRandom(dim);
            int rows = 9;
            float[][] x = new float[rows][dim];
            for (float[] v : x) for (int i = 0; i < dim; i++) v[i] = (float) rnd.nextDouble(-1, 1);
            float[] q = new float[dim];
            for (int i = 0; i < dim; i++) q[i] = (float) rnd.nextDouble(-1, 1);
            try (Arena arena = Arena.ofConfined()) {
                long[] at = new long[rows];
                for (int r = 0; r < rows; r++) { // each row in its own block, 1..3 floats off alignment
                    MemorySegment block = arena.allocate(dim * 4L + 16, 64).asSlice(4L * (1 + r % 3), dim * 4L);
                    MemorySegment.copy(x[r], 0, block, ValueLayout.JAVA_FLOAT, 0, dim);
                    at[r] = block.address();
                }
                int[] order = {4, 0, 8, 4, 2, 7, 1, 1, 6, 3, 5}; // out of order, repeated
                long[] addrs = new long[order.length];
                for (int i = 0; i < order.length; i++) addrs[i] = at[order[i]];
                for (int metric = 0; metric < 3; metric++) {
                    float[] out = new float[order.length];
                    panavec_h.pv_f32_scores_at(metric, MemorySegment.ofArray(q), MemorySegment.ofArray(addrs), order.length, dim,
                            MemorySegment.ofArray(out));
                    for (int i = 0; i < order.length; i++) {
                        Reference ref = Reference.of(Elem.F32, metric, q, x[order[i]]);
                        assertEquals(ref.value(), out[i], ref.tolerance(),
                                Kernels.isaName(Kernels.isaActive()) + " metric " + metric + " dim " + dim + " entry " + i);
                    }
                }
                float[] none = {42f}; // n = 0 writes nothing
                panavec_h.pv_f32_scores_at(0, MemorySegment.ofArray(q), MemorySegment.ofArray(new long[0]), 0, dim,
                        MemorySegment.ofArray(none));
                assertEquals(42f, none[0]);
            }
        }
    }
}
