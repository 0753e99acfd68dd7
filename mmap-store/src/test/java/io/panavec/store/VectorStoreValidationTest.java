package io.panavec.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorStoreValidationTest {
    private static final int DIM = 4;
    @TempDir
    Path dir;

    private static void assertMessage(Throwable t, String... parts) {
        for (String p : parts) {
            assertTrue(t.getMessage().contains(p), "message '" + t.getMessage() + "' should mention '" + p + "'");
        }
    }

    /** Nothing from a rejected append may become visible, even after a later commit. */
    private static void assertUnchanged(VectorStore s, long rows) throws Exception {
        assertEquals(0, s.pendingRows());
        s.commit();
        assertEquals(rows, s.size());
        s.verify();
    }

    @Test
    void rejectsBadFloatVectorsBeforeWriting() throws Exception {
        try (VectorStore s = VectorStore.builder(dir.resolve("f32")).dimension(DIM).rowsPerChunk(2).create()) {
            s.append(new float[] {1, 2, 3, 4});
            s.commit();
            assertMessage(assertThrows(IllegalArgumentException.class, () -> s.append(new float[] {1, 2, 3})),
                    "dimension 3", "store has 4");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> s.append(new float[] {1, Float.NaN, 3, 4})),
                    "element 1", "NaN");
            assertMessage(assertThrows(IllegalArgumentException.class,
                    () -> s.append(7, new float[] {1, 2, 3, Float.NEGATIVE_INFINITY})), "element 3", "Infinity");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> s.append(new byte[] {1, 2, 3, 4})),
                    "I8", "F32");
            assertThrows(NullPointerException.class, () -> s.append((float[]) null));
            assertUnchanged(s, 1);
            assertArrayEquals(new float[] {1, 2, 3, 4}, s.rowAsFloats(0));
        }
    }

    @Test
    void rejectsValuesOutsideTheElementType() throws Exception {
        try (VectorStore h = VectorStore.builder(dir.resolve("f16")).dimension(DIM).elementType(ElementType.F16).create()) {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> h.append(new float[] {1, 2, 70000f, 4})),
                    "element 2", "overflows F16");
            h.append(new float[] {0.1f, 65504f, -2.5f, 1e-3f});
            h.commit();
            float[] back = h.rowAsFloats(0);
            for (int j = 0; j < DIM; j++) {
                float x = new float[] {0.1f, 65504f, -2.5f, 1e-3f}[j];
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(x)), back[j], "F16 rounding of " + x);
            }
        }
        try (VectorStore b = VectorStore.builder(dir.resolve("i8")).dimension(DIM).elementType(ElementType.I8).create()) {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> b.append(new float[] {1, 2.5f, 3, 4})),
                    "element 1", "-128..127");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> b.append(new float[] {1, 2, 128, 4})),
                    "element 2");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> b.append(new byte[] {1, 2})),
                    "dimension 2");
            b.append(new float[] {-128, 127, 0, -1});
            b.commit();
            assertArrayEquals(new byte[] {-128, 127, 0, -1}, b.row(0).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void batchIsValidatedWholeBeforeAnythingIsWritten() throws Exception {
        try (Arena arena = Arena.ofConfined();
             VectorStore s = VectorStore.builder(dir.resolve("batch")).dimension(DIM).rowsPerChunk(2).create()) {
            MemorySegment src = arena.allocate(5L * DIM * 4);
            for (int k = 0; k < 5 * DIM; k++) {
                src.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), k, k);
            }
            src.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4 * DIM + 2, Float.NaN);
            assertMessage(assertThrows(IllegalArgumentException.class, () -> s.appendBatch(src, 5)),
                    "row 4 element 2", "NaN");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> s.appendBatch(src, 6)),
                    "src holds 80 bytes", "need 96");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> s.appendBatch(src, new long[3], 4)),
                    "ids has 3 entries for 4 rows");
            assertThrows(IllegalArgumentException.class, () -> s.appendBatch(src, -1));
            assertUnchanged(s, 0);
            s.appendBatch(src, 4);
            s.commit();
            assertArrayEquals(new float[] {12, 13, 14, 15}, s.rowAsFloats(3));
        }
        try (Arena arena = Arena.ofConfined();
             VectorStore h = VectorStore.builder(dir.resolve("batch16")).dimension(DIM).elementType(ElementType.F16).create()) {
            MemorySegment src = arena.allocate(2L * DIM * 2);
            src.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 6, (short) 0x7C00); // +inf
            assertMessage(assertThrows(IllegalArgumentException.class, () -> h.appendBatch(src, 2)),
                    "row 1 element 2", "Infinity");
            assertUnchanged(h, 0);
        }
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> VectorStore.builder(dir.resolve("a")).dimension(0).create());
        assertThrows(IllegalArgumentException.class, () -> VectorStore.builder(dir.resolve("b")).create());
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> VectorStore.builder(dir.resolve("c")).dimension(4).rowsPerChunk(3).create()), "power of two");
    }

    @Test
    void useAfterCloseAndWritesOnReadOnlyThrowIllegalState() throws Exception {
        Path file = dir.resolve("closed");
        VectorStore s = VectorStore.builder(file).dimension(DIM).create();
        s.append(new float[] {1, 2, 3, 4});
        s.commit();
        MemorySegment row = s.row(0);
        s.close();
        s.close(); // idempotent
        assertMessage(assertThrows(IllegalStateException.class, s::size), "closed");
        assertThrows(IllegalStateException.class, () -> s.row(0));
        assertThrows(IllegalStateException.class, () -> s.append(new float[] {1, 2, 3, 4}));
        assertThrows(IllegalStateException.class, s::commit);
        assertThrows(IllegalStateException.class, () -> row.get(ValueLayout.JAVA_BYTE, 0), "old slices die with the mapping");

        try (VectorStore r = VectorStore.openReadOnly(file)) {
            assertMessage(assertThrows(IllegalStateException.class, () -> r.append(new float[] {1, 2, 3, 4})), "read-only");
            assertThrows(IllegalStateException.class, r::commit);
            assertThrows(IllegalArgumentException.class, () -> r.row(0).set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
        }
    }

    @Test
    void singleWriterIsEnforcedAndCreateNeverOverwrites() throws Exception {
        Path file = dir.resolve("locked");
        try (VectorStore w = VectorStore.builder(file).dimension(DIM).create()) {
            assertEquals(false, w.isReadOnly());
            assertMessage(assertThrows(StoreLockedException.class, () -> VectorStore.open(file)), "already open for writing");
            assertThrows(FileAlreadyExistsException.class, () -> VectorStore.builder(file).dimension(DIM).create());
            try (VectorStore r = VectorStore.openReadOnly(file)) {
                assertEquals(0, r.size());
            }
        }
        try (VectorStore again = VectorStore.open(file)) {
            assertEquals(0, again.size(), "the lock is released on close");
        }
    }
}
