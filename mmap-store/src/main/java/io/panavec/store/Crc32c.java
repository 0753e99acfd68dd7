package io.panavec.store;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * CRC-32C helpers. {@link CRC32C} cannot resume from a stored value, so the store keeps its data
 * checksum incrementally with {@link #combine}: zlib's crc32_combine (GF(2) matrix squaring)
 * with the Castagnoli polynomial. Stateless, thread-safe.
 */
final class Crc32c {
    /** Reflected Castagnoli polynomial. */
    private static final int POLY = 0x82F63B78;
    /** Largest piece handed to CRC32C at once: ByteBuffer views are limited to int sizes. */
    private static final long MAX_PIECE = 1L << 30;

    private Crc32c() {
    }

    /** Feeds every byte of {@code seg} to {@code crc} without copying it to the heap. */
    static void update(CRC32C crc, MemorySegment seg) {
        long size = seg.byteSize();
        for (long off = 0; off < size; off += MAX_PIECE) {
            crc.update(seg.asSlice(off, Math.min(MAX_PIECE, size - off)).asByteBuffer());
        }
    }

    /** CRC-32C of the whole segment. */
    static int of(MemorySegment seg) {
        CRC32C crc = new CRC32C();
        update(crc, seg);
        return (int) crc.getValue();
    }

    /**
     * CRC-32C of A||B given crc(A), crc(B) and the length of B in bytes.
     */
    static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("negative length " + lengthB);
        }
        if (lengthB == 0) {
            return crcA;
        }
        int[] even = new int[32];
        int[] odd = new int[32];
        // operator for one zero bit
        odd[0] = POLY;
        int row = 1;
        for (int n = 1; n < 32; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long len = lengthB;
        // apply len zero bytes to crcA: first squaring yields the one-byte operator
        do {
            square(even, odd);
            if ((len & 1) != 0) {
                crcA = times(even, crcA);
            }
            len >>>= 1;
            if (len == 0) {
                break;
            }
            square(odd, even);
            if ((len & 1) != 0) {
                crcA = times(odd, crcA);
            }
            len >>>= 1;
        } while (len != 0);
        return crcA ^ crcB;
    }

    private static int times(int[] mat, int vec) {
        int sum = 0;
        for (int i = 0; vec != 0; i++, vec >>>= 1) {
            if ((vec & 1) != 0) {
                sum ^= mat[i];
            }
        }
        return sum;
    }

    private static void square(int[] result, int[] mat) {
        for (int n = 0; n < 32; n++) {
            result[n] = times(mat, mat[n]);
        }
    }
}
