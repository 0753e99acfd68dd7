package io.panavec.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cTest {
    private static int crc(byte[] data, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(data, from, to - from);
        return (int) c.getValue();
    }

    @Test
    void combineEqualsCrcOfConcatenation() {
        Random rnd = new Random(42);
        byte[] data = new byte[300_000];
        rnd.nextBytes(data);
        int[] splits = {0, 1, 2, 3, 7, 8, 63, 64, 4095, 4096, 65_537, 150_000, 299_999, 300_000};
        for (int split : splits) {
            int whole = crc(data, 0, data.length);
            int combined = Crc32c.combine(crc(data, 0, split), crc(data, split, data.length), data.length - split);
            assertEquals(whole, combined, "split at " + split);
        }
        // many pieces, like successive commits
        int running = 0;
        int pos = 0;
        while (pos < data.length) {
            int len = Math.min(data.length - pos, rnd.nextInt(5000));
            running = Crc32c.combine(running, crc(data, pos, pos + len), len);
            pos += len;
        }
        assertEquals(crc(data, 0, data.length), running);
    }

    @Test
    void segmentCrcMatchesArrayCrc() {
        byte[] data = new byte[10_000];
        new Random(7).nextBytes(data);
        assertEquals(crc(data, 0, data.length), Crc32c.of(MemorySegment.ofArray(data)));
        // known check value of CRC-32C("123456789")
        assertEquals(0xE3069283, Crc32c.of(MemorySegment.ofArray("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    }
}
