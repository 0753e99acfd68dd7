package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.persist.CheckedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's file checksum tells apart two files of one length that each end with the CRC-32C of what precedes
 * them (as the codes file does): their plain CRC-32C is the same constant, so another index's codes file passed the
 * manifest's check and answered with its codes (found by the corruption matrix).
 */
class ChecksumTest {
    @TempDir
    Path tmp;

    private Path selfChecked(String name, long seed) throws IOException {
        byte[] body = new byte[4000];
        new Random(seed).nextBytes(body);
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer file = ByteBuffer.allocate(body.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(body).putInt((int) crc.getValue());
        return Files.write(tmp.resolve(name), file.array());
    }

    @Test
    void filesEndingWithTheirOwnCrcAreToldApart() throws IOException {
        Path a = selfChecked("a", 1);
        Path b = selfChecked("b", 2);
        assertEquals(CheckedFile.crc32c(a), CheckedFile.crc32c(b), "the plain CRC-32C cannot tell them apart");
        assertNotEquals(CheckedFile.checksum(a), CheckedFile.checksum(b));
        IOException e = assertThrows(IOException.class, () -> CheckedFile.verify(b, Files.size(a), CheckedFile.checksum(a), false));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        CheckedFile.verify(a, Files.size(a), CheckedFile.checksum(a), false);
    }
}
