package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** f16 conversions against Java's Float16 conversions, CRC-32C against java.util.zip.CRC32C, streaming sum. */
class ConversionAndChecksumTest {
    @AfterEach
    void restore() {
        IsaLevels.restore();
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_f16_to_f32", "pv_f32_to_f16"})
    void everyHalfConvertsAndRoundTripsExactly(int isa) {
        IsaLevels.use(isa);
        short[] halves = new short[65536];
        for (int i = 0; i < halves.length; i++) halves[i] = (short) i;
        float[] floats = new float[halves.length];
        short[] back = new short[halves.length];
        // Offset by one element so the SIMD body and the scalar tail both run on unaligned data.
        panavec_h.pv_f16_to_f32(MemorySegment.ofArray(halves).asSlice(2), MemorySegment.ofArray(floats).asSlice(4), halves.length - 1);
        panavec_h.pv_f16_to_f32(MemorySegment.ofArray(halves), MemorySegment.ofArray(floats), 1);
        panavec_h.pv_f32_to_f16(MemorySegment.ofArray(floats), MemorySegment.ofArray(back), floats.length);
        for (int i = 0; i < halves.length; i++) {
            float want = Float.float16ToFloat(halves[i]);
            if (Float.isNaN(want)) {
                assertTrue(Float.isNaN(floats[i]), "half 0x" + Integer.toHexString(i) + " -> " + floats[i]);
                assertTrue(Float.isNaN(Float.float16ToFloat(back[i])), "NaN half 0x" + Integer.toHexString(i) + " round trip");
            } else {
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(floats[i]), "half 0x" + Integer.toHexString(i));
                assertEquals(halves[i], back[i], "round trip of half 0x" + Integer.toHexString(i));
            }
        }
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_f32_to_f16"})
    void floatsRoundToNearestEvenHalf(int isa) {
        IsaLevels.use(isa);
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 200_003;
        float[] src = new float[n];
        for (int i = 0; i < n; i++) {
            src[i] = switch (i % 4) {
                case 0 -> Float.intBitsToFloat(rnd.nextInt()); // any bits: overflow, underflow, NaN, inf
                case 1 -> Float.intBitsToFloat(rnd.nextInt(0x33000000 - 8, 0x477ff000 + 8) | (rnd.nextBoolean() ? 0x80000000 : 0));
                // exact ties between two halves: round to even
                case 2 -> Float.intBitsToFloat((rnd.nextInt(0x38800000, 0x47800000) & ~0x1fff) | 0x1000);
                default -> (float) rnd.nextGaussian() * 1000;
            };
        }
        short[] dst = new short[n];
        panavec_h.pv_f32_to_f16(MemorySegment.ofArray(src), MemorySegment.ofArray(dst), n);
        for (int i = 0; i < n; i++) {
            short want = Float.floatToFloat16(src[i]);
            if (Float.isNaN(src[i])) {
                assertTrue(Float.isNaN(Float.float16ToFloat(dst[i])), "NaN " + Integer.toHexString(Float.floatToRawIntBits(src[i])));
            } else {
                assertEquals(want, dst[i], "float bits 0x" + Integer.toHexString(Float.floatToRawIntBits(src[i])));
            }
        }
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_crc32c"})
    void crc32cMatchesJavaAndResumes(int isa) {
        IsaLevels.use(isa);
        byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, panavec_h.pv_crc32c(0, MemorySegment.ofArray(check), check.length));
        assertEquals(0, panavec_h.pv_crc32c(0, MemorySegment.ofArray(check), 0));
        SplittableRandom rnd = new SplittableRandom(11);
        byte[] data = new byte[100_000];
        rnd.nextBytes(data);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nat = arena.allocate(data.length + 8);
            for (int len : new int[] {1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4097, 99_990}) {
                for (int off = 0; off < 8; off += 3) {
                    MemorySegment.copy(data, off, nat, ValueLayout.JAVA_BYTE, off, len);
                    CRC32C want = new CRC32C();
                    want.update(data, off, len);
                    int whole = panavec_h.pv_crc32c(0, nat.asSlice(off), len);
                    assertEquals((int) want.getValue(), whole, "len " + len + " offset " + off);
                    int cut = rnd.nextInt(0, len + 1);
                    int first = panavec_h.pv_crc32c(0, MemorySegment.ofArray(data).asSlice(off), cut);
                    int resumed = panavec_h.pv_crc32c(first, MemorySegment.ofArray(data).asSlice(off + cut), len - cut);
                    assertEquals(whole, resumed, "resumed at " + cut + " of " + len);
                }
            }
        }
    }

    @ParameterizedTest(name = "isa {0}")
    @MethodSource("io.panavec.bindings.IsaLevels#levels")
    @Covers({"pv_stream_sum_f32"})
    void streamSumMatchesDoubleSum(int isa) {
        IsaLevels.use(isa);
        SplittableRandom rnd = new SplittableRandom(13);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {0, 1, 15, 16, 33, 1000, 100_001}) {
                MemorySegment x = arena.allocate(4L * n + 4).asSlice(4);
                double want = 0, abs = 0;
                for (int i = 0; i < n; i++) {
                    float v = (float) rnd.nextDouble(-1, 1);
                    x.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, v);
                    want += v;
                    abs += Math.abs(v);
                }
                assertEquals(want, panavec_h.pv_stream_sum_f32(x, n), (n + 4) * 0x1p-52 * abs, "n " + n);
            }
        }
    }
}
