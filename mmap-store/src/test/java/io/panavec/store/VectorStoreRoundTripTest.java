package io.panavec.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VectorStoreRoundTripTest {
    private static final int DIM = 13; // odd on purpose: rows are not multiples of 8 bytes
    @TempDir
    Path dir;

    private static void appendRow(VectorStore s, ElementType type, long i) {
        if (type == ElementType.I8) {
            s.append(TestVectors.g(i), TestVectors.b(i, DIM));
        } else {
            s.append(TestVectors.g(i), TestVectors.f(i, DIM));
        }
    }

    /** Checks every row, id, chunk and both CRCs against data computed without the store. */
    private static void assertHolds(VectorStore s, ElementType type, long n) throws Exception {
        assertEquals(n, s.size());
        for (long i = 0; i < n; i++) {
            assertArrayEquals(TestVectors.encoded(type, i, DIM), s.row(i).toArray(ValueLayout.JAVA_BYTE), "row " + i);
            assertArrayEquals(TestVectors.expectedFloats(type, i, DIM), s.rowAsFloats(i), "floats of row " + i);
            assertEquals(TestVectors.g(i), s.externalId(i), "id of row " + i);
        }
        long seen = 0;
        for (int c = 0; c < s.chunkCount(); c++) {
            MemorySegment chunk = s.chunk(c);
            MemorySegment ids = s.chunkIds(c);
            long rows = chunk.byteSize() / s.rowBytes();
            assertEquals(rows * 8, ids.byteSize());
            assertEquals(0, chunk.address() % 64, "chunk " + c + " is 64-byte aligned");
            for (long r = 0; r < rows; r++) {
                long i = seen + r;
                assertArrayEquals(TestVectors.encoded(type, i, DIM),
                        chunk.asSlice(r * s.rowBytes(), s.rowBytes()).toArray(ValueLayout.JAVA_BYTE));
                assertEquals(TestVectors.g(i), ids.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), r));
            }
            seen += rows;
        }
        assertEquals(n, seen, "chunks cover exactly the committed rows");
        assertEquals(TestVectors.vectorsCrc(type, n, DIM), s.vectorsCrc(), "incremental CRC = CRC of all vectors");
        assertEquals(TestVectors.idsCrc(n, TestVectors::g), s.idsCrc(), "incremental CRC = CRC of all ids");
        s.verify();
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void roundTripAcrossManySmallChunksAndReopen(ElementType type) throws Exception {
        Path file = dir.resolve("s-" + type);
        int total = 0;
        try (VectorStore s = VectorStore.builder(file).dimension(DIM).elementType(type).rowsPerChunk(8).create()) {
            assertEquals(8, s.rowsPerChunk());
            assertEquals(DIM * type.bytes(), s.rowBytes());
            // several commits of uneven sizes so commits straddle chunk boundaries
            for (int batch : new int[] {1, 7, 8, 9, 30, 0, 45}) {
                for (int k = 0; k < batch; k++) {
                    appendRow(s, type, total++);
                }
                s.commit();
                assertHolds(s, type, total);
            }
            assertEquals(13, s.chunkCount());
        }
        try (VectorStore r = VectorStore.openReadOnly(file)) {
            assertTrue(r.isReadOnly());
            assertEquals(DIM, r.dimension());
            assertEquals(type, r.elementType());
            assertEquals(8, r.rowsPerChunk());
            assertHolds(r, type, total);
        }
        try (VectorStore w = VectorStore.open(file)) {
            assertHolds(w, type, total);
            for (int k = 0; k < 20; k++) {
                appendRow(w, type, total++);
            }
            w.commit();
        }
        try (VectorStore r = VectorStore.openReadOnly(file)) {
            assertHolds(r, type, total);
        }
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void appendBatchFromOffHeapRows(ElementType type) throws Exception {
        Path file = dir.resolve("b-" + type);
        int n = 37;
        try (Arena arena = Arena.ofConfined();
             VectorStore s = VectorStore.builder(file).dimension(DIM).elementType(type).rowsPerChunk(4).create()) {
            MemorySegment src = arena.allocate((long) n * s.rowBytes());
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(MemorySegment.ofArray(TestVectors.encoded(type, i, DIM)), 0, src,
                        (long) i * s.rowBytes(), s.rowBytes());
            }
            long[] ids = new long[n - 10];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = TestVectors.g(i + 10);
            }
            for (int i = 0; i < 10; i++) {
                appendRow(s, type, i);
            }
            assertEquals(10, s.appendBatch(src.asSlice(10L * s.rowBytes()), ids, n - 10));
            s.commit();
            assertHolds(s, type, n);
            // default ids are row numbers
            s.appendBatch(src, 2);
            s.commit();
            assertEquals(n, s.externalId(n));
            assertEquals(n + 1, s.externalId(n + 1));
            assertArrayEquals(TestVectors.encoded(type, 1, DIM), s.row(n + 1).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void defaultIdIsRowNumberAndDefaultChunkingIsLarge() throws Exception {
        try (VectorStore s = VectorStore.create(dir.resolve("d"), 384, ElementType.F32)) {
            assertEquals(1L << 17, s.rowsPerChunk(), "256 MiB / (384*4+8) bytes rounded down to a power of two");
            s.append(TestVectors.f(0, 384));
            s.append(TestVectors.f(1, 384));
            s.commit();
            assertEquals(0, s.externalId(0));
            assertEquals(1, s.externalId(1));
            assertArrayEquals(TestVectors.f(1, 384), s.rowAsFloats(1));
        }
    }

    @Test
    void uncommittedRowsAreInvisibleAndDiscardedOnClose() throws Exception {
        Path file = dir.resolve("u");
        try (VectorStore s = VectorStore.builder(file).dimension(DIM).rowsPerChunk(2).create()) {
            for (int i = 0; i < 3; i++) {
                s.append(TestVectors.g(i), TestVectors.f(i, DIM));
            }
            s.commit();
            for (int i = 3; i < 9; i++) {
                s.append(TestVectors.g(i), TestVectors.f(i, DIM));
            }
            assertEquals(3, s.size());
            assertEquals(6, s.pendingRows());
            assertEquals(2, s.chunkCount());
            assertThrows(IndexOutOfBoundsException.class, () -> s.row(3));
            assertThrows(IndexOutOfBoundsException.class, () -> s.externalId(3));
            try (VectorStore r = VectorStore.openReadOnly(file)) {
                assertEquals(3, r.size());
            }
        }
        try (VectorStore s = VectorStore.open(file)) {
            assertEquals(3, s.size());
            assertHolds(s, ElementType.F32, 3);
            // rows after a discarded tail are written over it
            for (int i = 3; i < 5; i++) {
                s.append(TestVectors.g(i), TestVectors.f(i, DIM));
            }
            s.commit();
            assertHolds(s, ElementType.F32, 5);
        }
    }

    @Test
    void readOnlyRefreshSeesNewCommits() throws Exception {
        Path file = dir.resolve("r");
        try (VectorStore w = VectorStore.builder(file).dimension(DIM).rowsPerChunk(4).create();
             VectorStore r = VectorStore.openReadOnly(file)) {
            assertEquals(0, r.size());
            for (int i = 0; i < 11; i++) {
                w.append(TestVectors.g(i), TestVectors.f(i, DIM));
            }
            assertEquals(0, r.refresh(), "nothing committed yet");
            w.commit();
            assertEquals(0, r.size(), "a reader keeps its snapshot until refresh");
            assertEquals(11, r.refresh());
            assertHolds(r, ElementType.F32, 11);
        }
    }
}
