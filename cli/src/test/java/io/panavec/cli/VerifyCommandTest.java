package io.panavec.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code panavec verify} prints what it checked; search and bench verify by default, {@code --no-verify} skips it. */
class VerifyCommandTest {
    @TempDir
    Path tmp;

    @Test
    void verifyPrintsItsChecksAndSearchRefusesAFlippedVectorUnlessToldNotToVerify() throws Exception {
        int dim = 12;
        Path in = TestFiles.fvecs(tmp.resolve("v.fvecs"), TestFiles.gaussian(400, dim, 5));
        Path idx = tmp.resolve("idx");
        assertEquals(0, TestFiles.run("build", "--input", in.toString(), "--index", idx.toString(), "--spec", "hnsw:M=8,efc=40").code());
        TestFiles.Run ok = TestFiles.run("verify", "--index", idx.toString(), "--threads", "2");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("ok  manifest.properties: ") && ok.out().contains("sealed"), ok.out());
        assertTrue(ok.out().contains("ok  graph-") && ok.out().contains("CRC-32C as the manifest recorded"), ok.out());
        assertTrue(ok.out().contains("ok  vectors.pvs: 400 rows of 12 x F32, owner index "), ok.out());
        assertTrue(ok.out().contains("every live row's id maps to it"), ok.out());
        assertTrue(ok.out().strip().endsWith("verified"), ok.out());

        try (FileChannel ch = FileChannel.open(idx.resolve("vectors.pvs"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long pos = 8192 + 200L * dim * 4 + 3; // inside row 200
            ch.read(b, pos);
            b.put(0, (byte) (b.get(0) ^ 0x08)).rewind();
            ch.write(b, pos);
        }
        TestFiles.Run bad = TestFiles.run("verify", "--index", idx.toString());
        assertEquals(1, bad.code(), bad.out());
        assertTrue(bad.err().contains("vectors.pvs") && bad.err().contains("data CRC mismatch"), bad.err());
        TestFiles.Run search = TestFiles.run("search", "--index", idx.toString(), "--queries", in.toString(), "--k", "3");
        assertEquals(1, search.code(), search.out());
        assertTrue(search.err().contains("data CRC mismatch"), search.err());
        TestFiles.Run unchecked = TestFiles.run("search", "--index", idx.toString(), "--queries", in.toString(), "--k", "3",
                "--no-verify");
        assertEquals(0, unchecked.code(), unchecked.err());
    }
}
