package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.CorruptIndexException;
import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.TestData;
import io.panavec.Verify;
import io.panavec.VerifyReport;
import io.panavec.store.CorruptStoreException;
import io.panavec.store.ElementType;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 13: the store is bound to its index (identity, metric, dimension, element type, rows), so a
 * swapped {@code vectors.pvs} or a manifest naming another metric is refused with a {@link CorruptIndexException}
 * naming the file instead of answering wrongly; {@link Verify#FULL} finds a flipped vector byte, in parallel,
 * reporting progress and what it checked.
 */
class StoreBindingTest {
    private static final int DIM = 16;
    @TempDir
    Path tmp;

    private Path build(String name, Metric metric, ElementType type, int rows, long seed) throws IOException {
        Path dir = tmp.resolve(name);
        float[][] v = TestData.random(rows, DIM, seed);
        long[] ids = new long[rows];
        for (int i = 0; i < rows; i++) ids[i] = i;
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(metric).elementType(type).spec("flat").threads(1).create()) {
            index.add(ids, v);
            index.commit();
        }
        return dir;
    }

    private static CorruptIndexException refused(Path dir, String fileName) {
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> PanavecIndex.open(dir, 1).close());
        assertEquals(fileName, e.file().getFileName().toString(), e.getMessage());
        CorruptIndexException r = assertThrows(CorruptIndexException.class, () -> PanavecIndex.openReadOnly(dir).close());
        assertEquals(fileName, r.file().getFileName().toString(), r.getMessage());
        return e;
    }

    @Test
    void aStoreSwappedInFromAnotherIndexIsRefused() throws IOException {
        Path a = build("a", Metric.INNER_PRODUCT, ElementType.F32, 50, 1);
        Path b = build("b", Metric.INNER_PRODUCT, ElementType.F32, 50, 2); // same shape, other vectors
        Files.copy(b.resolve("vectors.pvs"), a.resolve("vectors.pvs"), StandardCopyOption.REPLACE_EXISTING);
        CorruptIndexException e = refused(a, "vectors.pvs");
        assertTrue(e.getMessage().contains("another index"), e.getMessage());
    }

    @Test
    void aStoreOfAnotherElementTypeIsRefused() throws IOException {
        Path a = build("a", Metric.L2, ElementType.F32, 30, 1);
        Path b = build("b", Metric.L2, ElementType.F16, 30, 1);
        Files.copy(b.resolve("vectors.pvs"), a.resolve("vectors.pvs"), StandardCopyOption.REPLACE_EXISTING);
        refused(a, "vectors.pvs");
    }

    @Test
    void aManifestNamingAnotherMetricIsRefused() throws IOException {
        Path a = build("a", Metric.INNER_PRODUCT, ElementType.F32, 40, 3);
        setEntry(a, "metric", "L2", true); // forged consistently: the seal recomputed, as an attacker could
        CorruptIndexException e = refused(a, "vectors.pvs");
        assertTrue(e.getMessage().contains("metric INNER_PRODUCT") && e.getMessage().contains("L2"), e.getMessage());
    }

    @Test
    void aFlippedManifestValueBreaksItsSeal() throws IOException {
        Path a = build("a", Metric.INNER_PRODUCT, ElementType.F32, 40, 3);
        setEntry(a, "rows", "39", false);
        CorruptIndexException e = refused(a, "manifest.properties");
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        setEntry(a, "manifest.crc32c", null, false); // the seal removed
        refused(a, "manifest.properties");
    }

    @Test
    void verifyFullFindsAFlippedVectorByteInParallelWithProgress() throws IOException {
        int rows = 3000;
        Path a = build("a", Metric.INNER_PRODUCT, ElementType.F32, rows, 4);
        try (PanavecIndex index = PanavecIndex.open(a, 1)) {
            List<Long> done = new ArrayList<>();
            VerifyReport report = index.verify(2, (step, n, total) -> {
                if (step.equals("vectors")) {
                    assertEquals(rows, total);
                    synchronized (done) { done.add(n); }
                }
            });
            assertEquals(rows, done.get(done.size() - 1));
            for (int i = 1; i < done.size(); i++) assertTrue(done.get(i) > done.get(i - 1), "progress increases: " + done);
            String text = String.join("\n", report.checked());
            assertTrue(text.contains("manifest.properties") && text.contains("sealed"), text);
            assertTrue(text.contains("vectors.pvs: " + rows + " rows of " + DIM + " x F32") && text.contains("owner index"), text);
            assertTrue(text.contains("every live row's id maps to it"), text);
        }
        try (FileChannel ch = FileChannel.open(a.resolve("vectors.pvs"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long pos = 8192 + 1234L * DIM * 4 + 7; // inside row 1234
            ch.read(b, pos);
            b.put(0, (byte) (b.get(0) ^ 0x20)).rewind();
            ch.write(b, pos);
        }
        PanavecIndex.open(a, Verify.QUICK).close(); // O(1) open does not read the rows
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> PanavecIndex.open(a, Verify.FULL));
        assertEquals("vectors.pvs", e.file().getFileName().toString());
        assertTrue(e.getMessage().contains("data CRC mismatch"), e.getMessage());
        assertInstanceOf(CorruptStoreException.class, e, "code catching store corruption catches index corruption");
    }

    /** Sets (or with null removes) a manifest entry; {@code reseal} recomputes the manifest's checksum. */
    static void setEntry(Path dir, String key, String value, boolean reseal) throws IOException {
        Path file = dir.resolve("manifest.properties");
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file)));
        if (value == null) p.remove(key); else p.setProperty(key, value);
        if (reseal) ManifestAttackTest.reseal(p);
        StringWriter w = new StringWriter();
        p.store(w, null);
        Files.writeString(file, w.toString());
    }
}
