package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.TestData;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.persist.Manifest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attribute log recovery drops only a torn tail, keeping a copy of it; a damaged frame before the end is
 * reported and nothing is truncated (issue 10, item 3: one flipped byte in the first frame truncated the
 * whole log, and every later open failed).
 */
class AttributeLogRecoveryTest {
    @TempDir
    Path tmp;

    private Path dir;
    private Path log;

    private void build() throws IOException {
        dir = tmp.resolve("index");
        Schema schema = Schema.builder().add("pos", AttributeType.KEYWORD).build();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(8).metric(Metric.L2).spec("flat").schema(schema).create()) {
            float[][] v = TestData.random(90, 8, 1);
            for (int batch = 0; batch < 3; batch++) { // three frames, committed to the store, not yet snapshotted
                long[] ids = new long[30];
                List<Map<String, Object>> attrs = new java.util.ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    ids[i] = batch * 30 + i;
                    attrs.add(Map.of("pos", "p" + batch));
                }
                index.add(ids, java.util.Arrays.copyOfRange(v, batch * 30, batch * 30 + 30), attrs);
            }
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(dir.resolve(Manifest.FILE_NAME))));
        log = dir.resolve(p.getProperty("attributes.log"));
    }

    @Test
    void aFlippedByteInTheFirstFrameIsReportedAndTruncatesNothing() throws IOException {
        build();
        byte[] before = Files.readAllBytes(log);
        byte[] flipped = before.clone();
        flipped[io.panavec.persist.LogHeader.BYTES + 20] ^= 0x40; // inside the first frame's records (after the log's header)
        Files.write(log, flipped);
        IOException e = assertThrows(IOException.class, () -> PanavecIndex.open(dir, 1).close());
        assertTrue(e.getMessage().contains(log.getFileName().toString()) && e.getMessage().contains("corrupt attribute log frame"),
                e.getMessage());
        assertArrayEquals(flipped, Files.readAllBytes(log), "the log was changed");
        // Repaired (the byte restored), the index opens with every row's attributes.
        Files.write(log, before);
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertEquals(90, index.rows());
            assertEquals(Optional.of(Map.of("pos", "p0")), index.attributesOf(0));
            assertEquals(Optional.of(Map.of("pos", "p2")), index.attributesOf(89));
        }
    }

    @Test
    void aTornTailIsCutAfterACopyAndEveryCommittedRowKeepsItsAttributes() throws IOException {
        build();
        byte[] before = Files.readAllBytes(log);
        byte[] torn = java.util.Arrays.copyOf(before, before.length + 17); // a frame header and part of a body
        java.nio.ByteBuffer.wrap(torn, before.length, 8).putInt(400).putInt(12345);
        Files.write(log, torn);
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            assertEquals(90, index.rows());
            assertEquals(Optional.of(Map.of("pos", "p1")), index.attributesOf(45));
        }
        assertArrayEquals(before, Files.readAllBytes(log));
        try (var s = Files.list(dir)) {
            Path copy = s.filter(p -> p.getFileName().toString().startsWith(log.getFileName() + ".torn-")).findFirst().orElseThrow();
            assertArrayEquals(java.util.Arrays.copyOfRange(torn, before.length, torn.length), Files.readAllBytes(copy));
        }
    }
}
