package io.panavec.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class VectorFileTest {
    @TempDir
    Path tmp;

    static final float[][] ROWS = {{1.5f, -2f, 3.25f}, {0f, 65504f, -0.5f}};

    static Path fvecs(Path p, float[][] rows) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(rows.length * (4 + rows[0].length * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) {
            b.putInt(r.length);
            for (float f : r) b.putFloat(f);
        }
        Files.write(p, b.array());
        return p;
    }

    static Path npy(Path p, String descr, String shape, byte[] data) throws IOException {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.put(data);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void readsFvecs() throws IOException {
        try (VectorFile f = VectorFile.open(fvecs(tmp.resolve("a.fvecs"), ROWS))) {
            assertEquals(3, f.dimension());
            assertEquals(2, f.count());
            assertArrayEquals(ROWS[1], f.read(1));
        }
    }

    @Test
    void readsNpyFloat32AndFloat16() throws IOException {
        ByteBuffer f32 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer f16 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : ROWS) for (float x : r) {
            f32.putFloat(x);
            f16.putShort(Float.floatToFloat16(x));
        }
        try (VectorFile f = VectorFile.open(npy(tmp.resolve("a.npy"), "<f4", "(2, 3)", f32.array()))) {
            assertEquals(VectorFile.Encoding.FLOAT32, f.encoding());
            assertTrue(Arrays.deepEquals(ROWS, f.readAll()));
        }
        try (VectorFile f = VectorFile.open(npy(tmp.resolve("b.npy"), "<f2", "(2, 3)", f16.array()))) {
            assertEquals(VectorFile.Encoding.FLOAT16, f.encoding());
            assertTrue(Arrays.deepEquals(ROWS, f.readAll()), "these values are exact in float16");
        }
    }

    @Test
    void readsBvecsAsUnsigned() throws IOException {
        Files.write(tmp.resolve("a.bvecs"), new byte[] {2, 0, 0, 0, (byte) 255, 7});
        try (VectorFile f = VectorFile.open(tmp.resolve("a.bvecs"))) {
            assertArrayEquals(new float[] {255f, 7f}, f.read(0));
        }
    }

    @Test
    void refusesBadFilesWithAMessageThatSaysWhy() throws IOException {
        Path good = fvecs(tmp.resolve("t.fvecs"), ROWS);
        byte[] all = Files.readAllBytes(good);
        Files.write(tmp.resolve("trunc.fvecs"), Arrays.copyOf(all, all.length - 3));
        IOException e = assertThrows(IOException.class, () -> VectorFile.open(tmp.resolve("trunc.fvecs")));
        assertTrue(e.getMessage().contains("not a multiple of the record size"), e.getMessage());

        ByteBuffer b = ByteBuffer.wrap(all.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16, 3); // fine
        byte[] mixed = all.clone();
        ByteBuffer.wrap(mixed).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 2); // first record claims dim 2
        Files.write(tmp.resolve("mixed.fvecs"), mixed);
        assertThrows(IOException.class, () -> VectorFile.open(tmp.resolve("mixed.fvecs")));

        e = assertThrows(IOException.class, () -> VectorFile.open(npy(tmp.resolve("i.npy"), "<i4", "(2, 3)", new byte[24])));
        assertTrue(e.getMessage().contains("<i4"), e.getMessage());
        e = assertThrows(IOException.class, () -> VectorFile.open(npy(tmp.resolve("s.npy"), "<f4", "(2, 3)", new byte[10])));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(IOException.class, () -> VectorFile.open(npy(tmp.resolve("d.npy"), "<f4", "(6,)", new byte[24])));
        assertTrue(e.getMessage().contains("2-D"), e.getMessage());
        Files.write(tmp.resolve("x.txt"), new byte[8]);
        assertThrows(IOException.class, () -> VectorFile.open(tmp.resolve("x.txt")));
        Files.write(tmp.resolve("empty.fvecs"), new byte[0]);
        assertThrows(IOException.class, () -> VectorFile.open(tmp.resolve("empty.fvecs")));
    }
}
