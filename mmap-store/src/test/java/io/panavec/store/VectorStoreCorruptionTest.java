package io.panavec.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorStoreCorruptionTest {
    private static final int DIM = 8;
    private static final int FIRST_COMMIT = 10; // generation 2, slot 0
    private static final int SECOND_COMMIT = 25; // generation 3, slot 1
    private static final long SLOT1 = 4096;
    private static final long DATA = 8192;
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void writeStore() throws IOException {
        file = dir.resolve("store");
        try (VectorStore s = VectorStore.builder(file).dimension(DIM).rowsPerChunk(4).create()) {
            for (int i = 0; i < SECOND_COMMIT; i++) {
                s.append(TestVectors.g(i), TestVectors.f(i, DIM));
                if (i + 1 == FIRST_COMMIT || i + 1 == SECOND_COMMIT) {
                    s.commit();
                }
            }
            assertEquals(3, s.generation());
        }
    }

    private void flipByte(long pos) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, pos);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            ch.write(b, pos);
        }
    }

    private void writeAt(long pos, ByteBuffer b) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(b, pos);
        }
    }

    private void truncateTo(long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private CorruptStoreException openFails(String... parts) {
        CorruptStoreException w = assertThrows(CorruptStoreException.class, () -> VectorStore.open(file));
        CorruptStoreException r = assertThrows(CorruptStoreException.class, () -> VectorStore.openReadOnly(file));
        for (String p : parts) {
            assertTrue(w.getMessage().contains(p), "'" + w.getMessage() + "' should mention '" + p + "'");
            assertTrue(r.getMessage().contains(p), "'" + r.getMessage() + "' should mention '" + p + "'");
        }
        return w;
    }

    private void assertReadable(long rows) throws IOException {
        try (VectorStore s = VectorStore.openReadOnly(file)) {
            assertEquals(rows, s.size());
            for (int i = 0; i < rows; i++) {
                assertArrayEquals(TestVectors.f(i, DIM), s.rowAsFloats(i));
                assertEquals(TestVectors.g(i), s.externalId(i));
            }
            s.verify();
        }
    }

    @Test
    void intactStoreOpens() throws IOException {
        assertReadable(SECOND_COMMIT);
    }

    @Test
    void truncatedDataIsReportedWithExpectedAndActualSize() throws IOException {
        long size = Files.size(file);
        truncateTo(size - 100);
        openFails("truncated", SECOND_COMMIT + " committed rows", "needing " + size + " bytes",
                "actual file size " + (size - 100) + " bytes");
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        truncateTo(5000);
        openFails("truncated", "8192", "actual file size 5000 bytes");
    }

    @Test
    void foreignFilesAreNotStores() throws IOException {
        Files.write(file, "hello, this is not a vector store at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        openFails("not a panavec store");
        Files.write(file, new byte[0]);
        openFails("not a panavec store", "0 bytes");
    }

    @Test
    void wrongMagicIsNotAStore() throws IOException {
        ByteBuffer junk = ByteBuffer.wrap("NOTPANAV".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        writeAt(0, junk.duplicate());
        writeAt(SLOT1, junk.duplicate());
        openFails("not a panavec store", "expected \"PANAVECS\"");
    }

    @Test
    void futureVersionIsUnsupported() throws IOException {
        writeAt(SLOT1 + 8, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 3));
        openFails("unsupported format version 3", "supports format versions 1 and 2");
    }

    @Test
    void bothSlotsCorruptIsReportedPerSlot() throws IOException {
        flipByte(33);
        flipByte(SLOT1 + 41);
        openFails("both header slots are invalid", "slot 0: header checksum mismatch", "slot 1: header checksum mismatch");
    }

    @Test
    void corruptNewestSlotFallsBackToPreviousCommit() throws IOException {
        flipByte(SLOT1 + 33); // committed-rows field of generation 3
        assertReadable(FIRST_COMMIT);
    }

    @Test
    void corruptOlderSlotKeepsNewestCommit() throws IOException {
        flipByte(33);
        assertReadable(SECOND_COMMIT);
    }

    @Test
    void tornHeaderReopensAtPreviousCommitAndCanBeWrittenAgain() throws IOException {
        byte[] garbage = new byte[64];
        new Random(3).nextBytes(garbage);
        System.arraycopy("PANAVECS".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, garbage, 0, 8);
        garbage[8] = 1; // looks like version 1 up front, rest is torn
        garbage[9] = garbage[10] = garbage[11] = 0;
        writeAt(SLOT1, ByteBuffer.wrap(garbage));
        assertReadable(FIRST_COMMIT);
        try (VectorStore w = VectorStore.open(file)) {
            assertEquals(FIRST_COMMIT, w.size());
            for (int i = FIRST_COMMIT; i < 30; i++) {
                w.append(TestVectors.g(i), TestVectors.f(i, DIM));
            }
            w.commit(); // generation 3 again, rewrites the torn slot
        }
        assertReadable(30);
    }

    @Test
    void flippedDataByteFailsVerifyButNotOpen() throws IOException {
        // chunk = 4 rows * 32 bytes + 4 ids * 8 bytes, padded to one 4 KiB page: row 5 starts at DATA + 4096 + 32
        flipByte(DATA + 4096 + 32 + 5);
        try (VectorStore s = VectorStore.openReadOnly(file)) {
            assertEquals(SECOND_COMMIT, s.size(), "open is O(1) and does not read data");
            assertTrue(!java.util.Arrays.equals(TestVectors.f(5, DIM), s.rowAsFloats(5)), "the flip lands in row 5");
            assertArrayEquals(TestVectors.f(4, DIM), s.rowAsFloats(4));
            CorruptStoreException e = assertThrows(CorruptStoreException.class, s::verify);
            assertTrue(e.getMessage().contains("data CRC mismatch"), e.getMessage());
            assertTrue(e.getMessage().contains(SECOND_COMMIT + " committed rows"), e.getMessage());
        }
    }

    @Test
    void flippedIdByteFailsVerify() throws IOException {
        long idsOfChunk0 = DATA + 4L * DIM * 4; // 4 rows * 32 bytes = 128, already 64-aligned
        flipByte(idsOfChunk0 + 8 + 3); // id of row 1
        try (VectorStore s = VectorStore.openReadOnly(file)) {
            assertEquals(TestVectors.g(1) ^ (0x10L << 24), s.externalId(1), "the flip lands in row 1's id");
            CorruptStoreException e = assertThrows(CorruptStoreException.class, s::verify);
            assertTrue(e.getMessage().contains("ids stored"), e.getMessage());
        }
    }

    @Test
    void bytesOutsideCommittedDataAreNotChecked() throws IOException {
        flipByte(DATA + 4L * DIM * 4 + 4 * 8 + 1); // chunk 0 padding after the ids
        try (VectorStore s = VectorStore.openReadOnly(file)) {
            s.verify();
        }
    }
}
