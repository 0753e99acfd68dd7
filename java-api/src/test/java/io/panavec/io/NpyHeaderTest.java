package io.panavec.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Crafted .npy headers: the dictionary is parsed as NumPy parses it, and sizes are checked without overflow. */
class NpyHeaderTest {
    @TempDir
    Path tmp;

    /** A version-1 .npy file with the header text given verbatim (padded to 64 bytes, newline-terminated). */
    Path npy(String name, String header, byte[] data) throws IOException {
        int pad = (64 - (10 + header.length() + 1) % 64) % 64;
        String h = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.ISO_8859_1));
        b.put(data);
        return Files.write(tmp.resolve(name), b.array());
    }

    static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) b.putDouble(d);
        return b.array();
    }

    static String message(Path p) {
        return assertThrows(IOException.class, () -> VectorFile.open(p).close()).getMessage();
    }

    @Test
    void aDescrInsideACommentDoesNotWinAndFloat64IsConvertedNotReadAsFloat32() throws IOException {
        Path p = npy("comment.npy", "{'shape': (2, 3), 'fortran_order': False, # 'descr': '<f4'\n 'descr': '<f8'}",
                doubles(1.5, -2, 3.25, 0.125, 1e10, -7));
        try (VectorFile f = VectorFile.open(p)) {
            assertEquals(VectorFile.Encoding.FLOAT64, f.encoding());
            assertEquals(2, f.count());
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, f.read(0));
            assertArrayEquals(new float[] {0.125f, 1e10f, -7f}, f.read(1));
        }
    }

    @Test
    void aDescrInsideAStringIsAnExtraKeyAndRefused() throws IOException {
        Path p = npy("string.npy", "{'note': \"'descr': '<f4', \", 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                doubles(1, 2, 3, 4, 5, 6));
        assertTrue(message(p).contains("exactly the keys"), message(p));
    }

    @Test
    void quotesAndEscapesInsideStringsDoNotConfuseTheParser() throws IOException {
        Path p = npy("escaped.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), 'x': 'it\\'s'}", new byte[8]);
        assertTrue(message(p).contains("exactly the keys"), message(p));
        Path ok = npy("ok.npy", "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1, 2)}", new byte[8]);
        try (VectorFile f = VectorFile.open(ok)) {
            assertEquals(2, f.dimension());
        }
    }

    @Test
    void duplicateKeysAreRefused() throws IOException {
        Path p = npy("dup.npy", "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", doubles(1, 2, 3, 4, 5, 6));
        assertTrue(message(p).contains("duplicate key 'descr'"), message(p));
    }

    @Test
    void negativeShapesAreRefused() throws IOException {
        Path p = npy("neg.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 384), }", new byte[0]);
        assertTrue(message(p).contains("invalid dimension -1"), message(p));
    }

    @Test
    void shapesWhoseByteSizeOverflowsAreRefused() throws IOException {
        Path p = npy("big.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", new byte[16]);
        assertTrue(message(p).contains("overflows"), message(p));
        Path q = npy("big2.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2305843009213693952, 1), }", new byte[16]);
        assertTrue(message(q).contains("overflows"), message(q));
        Path r = npy("huge.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 1), }", new byte[16]);
        assertTrue(message(r).contains("out of range"), message(r));
    }

    @Test
    void trailingBytesAndTruncationAreRefused() throws IOException {
        Path p = npy("trail.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", new byte[12]);
        assertTrue(message(p).contains("trailing bytes"), message(p));
        Path q = npy("short.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", new byte[7]);
        assertTrue(message(q).contains("truncated"), message(q));
    }

    @Test
    void malformedHeadersAreRefusedWithTheirText() throws IOException {
        for (String h : new String[] {"{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2)", "{'descr': <f4}",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2)} extra", "[1, 2]",
                "{'descr': '<f4', 'fortran_order': None, 'shape': (1, 2)}", "{'descr': '<f4', 'fortran_order': False, 'shape': 2}",
                "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1, 2)}", "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2)}"}) {
            Path p = npy("bad.npy", h, new byte[8]);
            String m = message(p);
            assertTrue(m.contains(".npy"), h + " -> " + m);
        }
    }
}
