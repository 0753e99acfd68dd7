package io.panavec.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer appends and commits while readers (same instance and a refreshed read-only one) check data. */
class VectorStoreConcurrencyTest {
    private static final int DIM = 8;
    private static final int TOTAL = 4000;
    @TempDir
    Path dir;

    @Test
    void readersSeeOnlyCommittedCorrectRows() throws Exception {
        Path file = dir.resolve("conc");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean writerDone = new AtomicBoolean();
        AtomicLong checks = new AtomicLong();
        try (VectorStore store = VectorStore.builder(file).dimension(DIM).rowsPerChunk(16).create();
             VectorStore readOnly = VectorStore.openReadOnly(file)) {
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean separate = t == 3; // the fourth reader uses its own read-only instance
                long seed = t;
                readers.add(Thread.ofPlatform().start(() -> {
                    try {
                        VectorStore s = separate ? readOnly : store;
                        Random rnd = new Random(seed);
                        long checked = 0;
                        long lastSize = 0;
                        while (true) {
                            boolean done = writerDone.get();
                            long size = separate ? s.refresh() : s.size();
                            assertTrue(size >= lastSize, "size went backwards");
                            assertTrue(size <= TOTAL);
                            for (; checked < size; checked++) { // every newly visible row, once
                                assertArrayEquals(TestVectors.f(checked, DIM), s.rowAsFloats(checked), "row " + checked);
                                assertEquals(TestVectors.g(checked), s.externalId(checked));
                            }
                            if (size > 0) { // and a random older one, through the chunk view
                                long i = rnd.nextLong(size);
                                MemorySegment chunk = s.chunk((int) (i / s.rowsPerChunk()));
                                long r = i % s.rowsPerChunk();
                                assertArrayEquals(TestVectors.encoded(ElementType.F32, i, DIM),
                                        chunk.asSlice(r * s.rowBytes(), s.rowBytes()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                            }
                            checks.incrementAndGet();
                            lastSize = size;
                            if (done && size == TOTAL) {
                                return;
                            }
                            if (failure.get() != null) {
                                return;
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            Random rnd = new Random(99);
            for (long i = 0; i < TOTAL; ) {
                int batch = (int) Math.min(TOTAL - i, 1 + rnd.nextInt(60));
                for (int k = 0; k < batch; k++, i++) {
                    store.append(TestVectors.g(i), TestVectors.f(i, DIM));
                }
                store.commit();
                if (failure.get() != null) {
                    break;
                }
            }
            writerDone.set(true);
            for (Thread r : readers) {
                r.join(60_000);
            }
            if (failure.get() != null) {
                throw new AssertionError("reader failed", failure.get());
            }
            assertEquals(TOTAL, store.size());
            assertEquals(TOTAL, readOnly.size());
            store.verify();
            readOnly.verify();
            assertTrue(checks.get() >= 4, "readers ran");
        }
    }
}
