package io.panavec.store;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner recorded in the header (format 2), format 1 stores still read and written as format 1, parallel verify. */
class StoreOwnerTest {
    private static final int DIM = 8;
    @TempDir
    Path dir;

    @Test
    void theOwnerIsRecordedInBothSlotsAndSurvivesCommits() throws IOException {
        Path file = dir.resolve("s.pvs");
        StoreOwner owner = new StoreOwner(UUID.randomUUID(), 3);
        try (VectorStore s = VectorStore.builder(file).dimension(DIM).owner(owner).create()) {
            s.append(TestVectors.g(0), TestVectors.f(0, DIM));
            s.commit();
        }
        try (VectorStore s = VectorStore.openReadOnly(file)) {
            assertEquals(owner, s.owner());
            assertEquals(1, s.size());
        }
        assertEquals(2, versionOfSlot(file, 0));
        assertEquals(2, versionOfSlot(file, 1));
    }

    @Test
    void slotsThatDisagreeOnTheOwnerAreRefused() throws IOException {
        Path file = dir.resolve("s.pvs");
        try (VectorStore s = VectorStore.builder(file).dimension(DIM).owner(new StoreOwner(UUID.randomUUID(), 1)).create()) {
            s.append(TestVectors.g(0), TestVectors.f(0, DIM));
            s.commit();
        }
        StoreLayout layout = new StoreLayout(DIM, ElementType.F32, VectorStore.openReadOnly(file).rowsPerChunk());
        writeSlot(file, new StoreHeader(2, layout, new StoreOwner(UUID.randomUUID(), 1), 0, 1, 0, 0));
        CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> VectorStore.openReadOnly(file));
        assertTrue(e.getMessage().contains("disagree on the owning index"), e.getMessage());
    }

    @Test
    void aFormatOneStoreOpensWithoutOwnerAndStaysFormatOne() throws IOException {
        Path file = dir.resolve("old.pvs");
        long rowsPerChunk;
        try (VectorStore s = VectorStore.builder(file).dimension(DIM).rowsPerChunk(4).create()) {
            rowsPerChunk = s.rowsPerChunk();
        }
        StoreLayout layout = new StoreLayout(DIM, ElementType.F32, rowsPerChunk);
        // What a 0.1 build wrote: two format 1 slots, bytes 64.. of each slot zero.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(80), 0);
            ch.write(ByteBuffer.allocate(80), 4096);
        }
        writeSlot(file, new StoreHeader(1, layout, StoreOwner.NONE, 0, 0, 0, 0));
        writeSlot(file, new StoreHeader(1, layout, StoreOwner.NONE, 0, 1, 0, 0));
        try (VectorStore s = VectorStore.open(file)) {
            assertTrue(s.owner().isNone());
            for (int i = 0; i < 10; i++) s.append(TestVectors.g(i), TestVectors.f(i, DIM));
            s.commit();
        }
        assertEquals(1, versionOfSlot(file, 0), "a format 1 store keeps writing format 1, which 0.1 builds read");
        try (VectorStore s = VectorStore.openReadOnly(file)) {
            assertEquals(10, s.size());
            assertArrayEquals(TestVectors.f(9, DIM), s.rowAsFloats(9));
            s.verify();
        }
    }

    @Test
    void parallelVerifyAgreesWithSequentialAndReportsProgress() throws IOException {
        Path file = dir.resolve("s.pvs");
        int rows = 1000;
        try (VectorStore s = VectorStore.builder(file).dimension(DIM).rowsPerChunk(64).create()) {
            for (int i = 0; i < rows; i++) {
                s.append(TestVectors.g(i), TestVectors.f(i, DIM));
                if (i % 97 == 0) s.commit(); // commits of odd sizes: pieces never line up with them
            }
            s.commit();
        }
        try (VectorStore s = VectorStore.openReadOnly(file)) {
            for (int threads : new int[] {1, 2, 3, 8}) {
                AtomicLong last = new AtomicLong(-1);
                s.verify(threads, done -> {
                    assertTrue(done > last.get(), "progress increases");
                    last.set(done);
                });
                assertEquals(rows, last.get(), "progress ends at the committed rows, " + threads + " threads");
            }
        }
        // One flipped bit in row 960 (the last chunk; 64 rows of 32 bytes + their ids pad to one 4 KiB page per chunk).
        flip(file, 8192 + 15L * 4096 + 5);
        try (VectorStore s = VectorStore.openReadOnly(file)) {
            for (int threads : new int[] {1, 2, 8}) {
                CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> s.verify(threads, d -> { }));
                assertTrue(e.getMessage().contains("data CRC mismatch"), e.getMessage());
            }
        }
    }

    private static void flip(Path file, long pos) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, pos);
            b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
            ch.write(b, pos);
        }
    }

    private static void writeSlot(Path file, StoreHeader h) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            HeaderSlots.write(ch, h);
        }
    }

    private static int versionOfSlot(Path file, int slot) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, slot * 4096L + 8);
            return b.getInt(0);
        }
    }
}
