package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pv_emb_gather / pv_emb_bags at every ISA level against a scalar Java decoder written from the layouts of
 * panavec_embedding.h, over every encoding, block and tail dimensions, rows spread over several chunks, empty
 * bags, hashed probe groups (with rows of -1 reading as zeros) and the three poolings.
 */
class EmbeddingGatherKernelTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK_LOG2 = 2; // 4 rows per chunk: every batch crosses chunks
    private static final int CHUNKS = 3;
    private static final int[] ENCODINGS = {panavec_embedding_h.PV_EMB_F32, panavec_embedding_h.PV_EMB_F16,
            panavec_embedding_h.PV_EMB_CODES8, panavec_embedding_h.PV_EMB_CODES4};

    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    /** A table of CHUNKS chunks of random rows in one encoding, with its Java decoding. */
    private record Table(MemorySegment[] chunks, long[] chunkTable, int encoding, int dim, long rowBytes, float[] mean) {
        int rows() {
            return CHUNKS << CHUNK_LOG2;
        }

        MemorySegment row(long r) {
            return chunks[(int) (r >> CHUNK_LOG2)].asSlice((r & ((1 << CHUNK_LOG2) - 1)) * rowBytes, rowBytes);
        }

        /** The reference decoding of row r. */
        float[] decode(long r) {
            MemorySegment s = row(r);
            float[] x = new float[dim];
            for (int i = 0; i < dim; i++) {
                x[i] = switch (encoding) {
                    case 0 -> s.get(F32, 4L * i);
                    case 1 -> Float.float16ToFloat(s.get(F16, 2L * i));
                    default -> {
                        float a = s.get(F32, 0), b = s.get(F32, 4);
                        int c;
                        if (encoding == panavec_embedding_h.PV_EMB_CODES8) {
                            c = Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, 16 + i));
                        } else {
                            int t = i & ~31, j = i & 31;
                            int byt = Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, 16 + t / 2 + (j & 15)));
                            c = j < 16 ? byt & 15 : byt >>> 4;
                        }
                        yield (mean == null ? 0f : mean[i]) + (a + b * c);
                    }
                };
            }
            return x;
        }
    }

    private static Table table(Arena arena, Random r, int encoding, int dim, boolean withMean) {
        long rowBytes = panavec_embedding_h.pv_emb_row_bytes(encoding, dim);
        MemorySegment[] chunks = new MemorySegment[CHUNKS];
        long[] addresses = new long[CHUNKS];
        for (int c = 0; c < CHUNKS; c++) {
            chunks[c] = arena.allocate(rowBytes << CHUNK_LOG2, 64);
            addresses[c] = chunks[c].address();
            for (int k = 0; k < (1 << CHUNK_LOG2); k++) {
                MemorySegment s = chunks[c].asSlice(k * rowBytes, rowBytes);
                switch (encoding) {
                    case 0 -> { for (int i = 0; i < dim; i++) s.set(F32, 4L * i, (float) r.nextGaussian()); }
                    case 1 -> { for (int i = 0; i < dim; i++) s.set(F16, 2L * i, Float.floatToFloat16((float) r.nextGaussian())); }
                    default -> {
                        s.set(F32, 0, (float) r.nextGaussian());
                        s.set(F32, 4, (float) Math.abs(r.nextGaussian()) * 0.1f);
                        for (long b = 16; b < rowBytes; b++) s.set(ValueLayout.JAVA_BYTE, b, (byte) r.nextInt(256));
                    }
                }
            }
        }
        float[] mean = null;
        if (withMean) {
            mean = new float[dim];
            for (int i = 0; i < dim; i++) mean[i] = (float) r.nextGaussian();
        }
        return new Table(chunks, addresses, encoding, dim, rowBytes, mean);
    }

    private static MemorySegment meanOf(Table t) {
        return t.mean() == null ? MemorySegment.NULL : MemorySegment.ofArray(t.mean());
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers("pv_emb_gather")
    void gatherDecodesEveryNamedRowAndZeroesMissingOnes(int isa) {
        IsaLevels.use(isa);
        Random r = new Random(31 + isa);
        try (Arena arena = Arena.ofConfined()) {
            for (int encoding : ENCODINGS) {
                for (int dim : new int[] {1, 3, 7, 8, 9, 16, 31, 32, 33, 64, 70, 384}) {
                    for (boolean withMean : new boolean[] {false, true}) {
                        Table t = table(arena, r, encoding, dim, withMean);
                        int n = 1 + r.nextInt(20);
                        long[] rows = new long[n];
                        for (int i = 0; i < n; i++) rows[i] = r.nextInt(8) == 0 ? -1 : r.nextInt(t.rows());
                        float[] out = new float[n * dim];
                        java.util.Arrays.fill(out, Float.NaN); // every element must be written
                        panavec_embedding_h.pv_emb_gather(MemorySegment.ofArray(t.chunkTable()), CHUNK_LOG2, t.rowBytes(), encoding, dim,
                                meanOf(t), MemorySegment.ofArray(rows), n, MemorySegment.ofArray(out));
                        for (int i = 0; i < n; i++) {
                            float[] want = rows[i] < 0 ? new float[dim] : t.decode(rows[i]);
                            for (int j = 0; j < dim; j++) {
                                assertEquals(want[j], out[i * dim + j], 1e-6 * (1 + Math.abs(want[j])),
                                        "encoding " + encoding + " dim " + dim + " mean " + withMean + " row " + rows[i] + " element " + j);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers("pv_emb_bags")
    void bagsPoolSumMeanAndMaxOverProbeGroupsWithEmptyBags(int isa) {
        IsaLevels.use(isa);
        Random r = new Random(77 + isa);
        try (Arena arena = Arena.ofConfined()) {
            for (int encoding : ENCODINGS) {
                for (int dim : new int[] {1, 5, 8, 31, 32, 40, 384}) {
                    Table t = table(arena, r, encoding, dim, r.nextBoolean());
                    for (int pool = 0; pool <= 2; pool++) {
                        for (int group = 1; group <= 3; group++) {
                            int nbags = 1 + r.nextInt(6);
                            long[] offsets = new long[nbags + 1];
                            for (int b = 0; b < nbags; b++) offsets[b + 1] = offsets[b] + (r.nextInt(3) == 0 ? 0 : r.nextInt(5));
                            int values = (int) offsets[nbags];
                            long[] rows = new long[values * group];
                            for (int k = 0; k < rows.length; k++) rows[k] = r.nextInt(10) == 0 ? -1 : r.nextInt(t.rows()); // -1: zeros
                            float[] out = new float[nbags * dim];
                            java.util.Arrays.fill(out, Float.NaN);
                            panavec_embedding_h.pv_emb_bags(MemorySegment.ofArray(t.chunkTable()), CHUNK_LOG2, t.rowBytes(), encoding, dim,
                                    meanOf(t), MemorySegment.ofArray(rows), group, MemorySegment.ofArray(offsets), nbags, pool,
                                    MemorySegment.ofArray(new float[dim]), MemorySegment.ofArray(out));
                            for (int b = 0; b < nbags; b++) {
                                double[] want = pooled(t, rows, group, (int) offsets[b], (int) offsets[b + 1], pool);
                                int count = (int) (offsets[b + 1] - offsets[b]) * group;
                                for (int j = 0; j < dim; j++) {
                                    assertEquals(want[j], out[b * dim + j], 1e-5 * (1 + count) * (1 + Math.abs(want[j])),
                                            "encoding " + encoding + " dim " + dim + " pool " + pool + " group " + group + " bag " + b + " element " + j);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The bag's pooled value in double precision: each value the sum of its group's rows. */
    private static double[] pooled(Table t, long[] rows, int group, int from, int to, int pool) {
        double[] acc = new double[t.dim()];
        if (from == to) {
            return acc;
        }
        if (pool == panavec_embedding_h.PV_EMB_POOL_MAX) java.util.Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        for (int v = from; v < to; v++) {
            double[] value = new double[t.dim()];
            for (int p = 0; p < group; p++) {
                float[] x = rows[v * group + p] < 0 ? new float[t.dim()] : t.decode(rows[v * group + p]);
                for (int j = 0; j < x.length; j++) value[j] += x[j];
            }
            for (int j = 0; j < value.length; j++) {
                acc[j] = pool == panavec_embedding_h.PV_EMB_POOL_MAX ? Math.max(acc[j], value[j]) : acc[j] + value[j];
            }
        }
        if (pool == panavec_embedding_h.PV_EMB_POOL_MEAN) {
            for (int j = 0; j < acc.length; j++) acc[j] /= (to - from);
        }
        return acc;
    }
}
