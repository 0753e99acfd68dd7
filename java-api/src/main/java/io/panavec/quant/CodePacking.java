package io.panavec.quant;

import io.panavec.bindings.panavec_quant_h;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The byte layout of code rows shared with the native kernels (native/include/panavec_quant.h):
 * a 16-byte header (float a, float b, float norm2, float norm2Full) then codes of {@code bits} (1, 4
 * or 8) packed over the dimension rounded up to 32. Residual rows are the packed codes alone.
 * Stateless and thread-safe.
 */
public final class CodePacking {
    /** Bytes of the per-row header. */
    public static final int HEADER_BYTES = panavec_quant_h.PV_QUANT_HEADER_BYTES;
    /** Floats a prepared query carries after its {@link #paddedDim padded} code-space part. */
    public static final int QUERY_EXTRA = panavec_quant_h.PV_QUANT_QUERY_EXTRA;

    private CodePacking() {}

    /** The dimension rounded up to a multiple of 32 (the kernels' block). */
    public static int paddedDim(int dim) {
        return (dim + 31) & ~31;
    }

    /** Bytes of the packed codes of one row (no header). */
    public static int codeBytes(int bits, int dim) {
        checkBits(bits);
        return paddedDim(dim) * bits / 8;
    }

    /** Bytes of one primary row: header plus codes. */
    public static int rowBytes(int bits, int dim) {
        return HEADER_BYTES + codeBytes(bits, dim);
    }

    static void checkBits(int bits) {
        if (bits != 1 && bits != 4 && bits != 8) {
            throw new IllegalArgumentException("code bits must be 1, 4 or 8, got " + bits);
        }
    }

    /** Packs codes c[0..dim) (each in [0, 2^bits)) at {@code off}; padding codes are 0. */
    public static void pack(int bits, int[] c, int dim, MemorySegment dst, long off) {
        int pd = paddedDim(dim);
        switch (bits) {
            case 8 -> {
                for (int i = 0; i < pd; i++) {
                    dst.set(ValueLayout.JAVA_BYTE, off + i, (byte) (i < dim ? c[i] : 0));
                }
            }
            case 4 -> {
                for (int t = 0; t < pd; t += 32) {
                    for (int j = 0; j < 16; j++) {
                        int lo = t + j < dim ? c[t + j] : 0;
                        int hi = t + 16 + j < dim ? c[t + 16 + j] : 0;
                        dst.set(ValueLayout.JAVA_BYTE, off + t / 2 + j, (byte) (lo | hi << 4));
                    }
                }
            }
            case 1 -> {
                for (int t = 0; t < pd; t += 32) {
                    int w = 0;
                    for (int j = 0; j < 32 && t + j < dim; j++) {
                        w |= (c[t + j] & 1) << j;
                    }
                    dst.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), off + t / 8, w);
                }
            }
            default -> checkBits(bits);
        }
    }

    /** Unpacks dim codes written by {@link #pack}. */
    public static int[] unpack(int bits, MemorySegment src, long off, int dim) {
        int[] c = new int[dim];
        for (int i = 0; i < dim; i++) {
            c[i] = switch (bits) {
                case 8 -> Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, off + i));
                case 4 -> {
                    int t = i & ~31, j = i & 31;
                    int b = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, off + t / 2 + (j & 15)));
                    yield j < 16 ? b & 15 : b >>> 4;
                }
                case 1 -> (Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, off + i / 8)) >>> (i & 7)) & 1;
                default -> throw new IllegalArgumentException("code bits must be 1, 4 or 8, got " + bits);
            };
        }
        return c;
    }

    /** Writes a row header. */
    public static void putHeader(MemorySegment dst, long off, float a, float b, float norm2, float norm2Full) {
        dst.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off, a);
        dst.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off + 4, b);
        dst.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off + 8, norm2);
        dst.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off + 12, norm2Full);
    }

    static float header(MemorySegment src, long off, int field) {
        return src.get(ValueLayout.JAVA_FLOAT_UNALIGNED, off + 4L * field);
    }

    /**
     * Decodes unpacked codes {@code c} as {@code offset[i] + shift + (scale == null ? step : scale[i]) * c[i]}
     * (the inverse of the affine encodings of the scalar and binary quantizers).
     */
    static float[] affineDecode(int[] c, float[] offset, float shift, float[] scale, float step) {
        float[] x = new float[offset.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = offset[i] + shift + (scale == null ? step : scale[i]) * c[i];
        }
        return x;
    }

    /**
     * The query prepared for codes that decode coordinate i as {@code offset[i] + scale[i] * code[i]}
     * ({@code scale} null: 1): coordinates {@code q[i] * scale[i]}, then C0 = q . offset, C1 = the sum of the
     * prepared coordinates and |q|^2.
     */
    static float[] affineQuery(float[] q, float[] scale, float[] offset) {
        int d = offset.length, pd = paddedDim(d);
        float[] qt = new float[pd + QUERY_EXTRA];
        double c0 = 0, c1 = 0, qq = 0;
        for (int i = 0; i < d; i++) {
            qt[i] = scale == null ? q[i] : q[i] * scale[i];
            c0 += (double) q[i] * offset[i];
            c1 += qt[i];
            qq += (double) q[i] * q[i];
        }
        return withQueryConstants(qt, pd, c0, c1, qq);
    }

    /** Stores the prepared query's constants (C0, C1, |q|^2) after its {@code pd} padded coordinates. */
    static float[] withQueryConstants(float[] qt, int pd, double c0, double c1, double qq) {
        qt[pd] = (float) c0;
        qt[pd + 1] = (float) c1;
        qt[pd + 2] = (float) qq;
        return qt;
    }
}
