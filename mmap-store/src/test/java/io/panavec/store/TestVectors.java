package io.panavec.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** Deterministic test data: row i is f(i), its id g(i); values are exact in F32, F16 and (for I8) bytes. */
final class TestVectors {
    private TestVectors() {
    }

    /** Row i of a float store: multiples of 1/8 in -125..125, exact in binary16. */
    static float[] f(long i, int dim) {
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = (Math.floorMod(i * 7919 + j * 104729L, 2001) - 1000) / 8f;
        }
        return v;
    }

    /** Row i of an I8 store. */
    static byte[] b(long i, int dim) {
        byte[] v = new byte[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = (byte) (Math.floorMod(i * 7919 + j * 104729L, 255) - 127);
        }
        return v;
    }

    static long g(long i) {
        return i * 1_000_003L + 17;
    }

    /** Row i encoded as the store keeps it (little-endian), computed without the store. */
    static byte[] encoded(ElementType type, long i, int dim) {
        ByteBuffer out = ByteBuffer.allocate(dim * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> { for (float x : f(i, dim)) out.putFloat(x); }
            case F16 -> { for (float x : f(i, dim)) out.putShort(Float.floatToFloat16(x)); }
            case I8 -> out.put(b(i, dim));
        }
        return out.array();
    }

    /** Row i as the floats rowAsFloats must return. */
    static float[] expectedFloats(ElementType type, long i, int dim) {
        if (type != ElementType.I8) {
            return f(i, dim);
        }
        byte[] b = b(i, dim);
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = b[j];
        }
        return v;
    }

    /** Independent CRC-32C of the encoded rows 0..n-1 in order. */
    static int vectorsCrc(ElementType type, long n, int dim) {
        CRC32C crc = new CRC32C();
        for (long i = 0; i < n; i++) {
            crc.update(encoded(type, i, dim));
        }
        return (int) crc.getValue();
    }

    /** Independent CRC-32C of ids(0..n-1) as little-endian int64. */
    static int idsCrc(long n, java.util.function.LongUnaryOperator id) {
        CRC32C crc = new CRC32C();
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            crc.update(b.clear().putLong(0, id.applyAsLong(i)).array());
        }
        return (int) crc.getValue();
    }
}
