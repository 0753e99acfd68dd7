package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.TestData;
import io.panavec.store.VectorStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flipped byte in the store's newest header slot is reported, not silently answered from the previous
 * generation (issue 10, item 4: the index opened with 0 rows of 50 and "info" said the store was fine).
 */
class StoreHeaderDamageTest {
    @TempDir
    Path tmp;

    @Test
    void aDamagedHeaderSlotIsReportedByTheIndexAndTheStore() throws IOException {
        Path dir = tmp.resolve("index");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(8).metric(Metric.L2).spec("flat").create()) {
            float[][] v = TestData.random(50, 8, 2);
            long[] ids = new long[50];
            for (int i = 0; i < 50; i++) ids[i] = i;
            index.add(ids, v); // durable in the store, no index commit after it
        }
        Path store = dir.resolve("vectors.pvs");
        long generation;
        try (VectorStore s = VectorStore.openReadOnly(store)) {
            generation = s.generation();
            assertNull(s.headerDamage());
        }
        long slot = generation % 2 == 0 ? 0 : 4096; // the newest slot (one per 4 KiB page, slot = generation % 2)
        try (FileChannel ch = FileChannel.open(store, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, slot + 33);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            ch.write(b, slot + 33);
        }
        try (VectorStore s = VectorStore.openReadOnly(store)) {
            assertNotNull(s.headerDamage(), "the store opened from the older slot without saying so");
            assertTrue(s.headerDamage().contains("slot " + generation % 2), s.headerDamage());
        }
        IOException e = assertThrows(IOException.class, () -> PanavecIndex.open(dir, 1).close());
        assertTrue(e.getMessage().contains("damaged header slot " + generation % 2), e.getMessage());
    }
}
