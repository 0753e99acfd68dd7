package io.panavec.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing child JVM with SIGKILL mid-append and checks every committed row survives. */
class VectorStoreKillTest {
    private static final int DIM = 16;
    private static final int BATCH = 300;
    @TempDir
    Path dir;

    private static void assertPrefix(VectorStore s, long rows) throws IOException {
        assertTrue(s.size() >= rows, "size " + s.size() + " must be at least " + rows);
        for (long i = 0; i < s.size(); i++) {
            assertArrayEquals(TestVectors.f(i, DIM), s.rowAsFloats(i), "row " + i);
            assertEquals(TestVectors.g(i), s.externalId(i), "id of row " + i);
        }
        s.verify();
    }

    @Test
    void killedWriterLosesNoCommittedRow() throws Exception {
        Path file = dir.resolve("killed");
        // different kill points: after the n-th printed commit, plus a small delay into the next batch
        int[][] killPoints = {{2, 0}, {5, 3}, {1, 11}, {4, 1}};
        long expectedAtLeast = 0;
        for (int[] point : killPoints) {
            long lastPrinted = runAndKill(file, point[0], point[1], expectedAtLeast);
            assertTrue(lastPrinted >= expectedAtLeast + (long) point[0] * BATCH, "child appended where we left off");
            long size;
            try (VectorStore s = VectorStore.open(file)) {
                assertPrefix(s, lastPrinted);
                // the writer continues after the crash
                long start = s.size();
                for (long i = start; i < start + 50; i++) {
                    s.append(TestVectors.g(i), TestVectors.f(i, DIM));
                }
                s.commit();
                size = s.size();
            }
            try (VectorStore r = VectorStore.openReadOnly(file)) {
                assertEquals(size, r.size());
                assertPrefix(r, size);
            }
            expectedAtLeast = size;
        }
    }

    /** Runs a child writer until it printed {@code commits} commits, then kills it. Returns the last printed size. */
    private long runAndKill(Path file, int commits, int delayMillis, long startRows) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path errors = dir.resolve("child-stderr.txt");
        Process child = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), KillTestWriter.class.getName(),
                file.toString(), Integer.toString(DIM), Integer.toString(BATCH)))
                .redirectError(errors.toFile())
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        });
        try {
            assertEquals("OPENED " + startRows, next(lines, child, errors));
            long last = -1;
            for (int k = 0; k < commits; k++) {
                String line = next(lines, child, errors);
                assertTrue(line.startsWith("COMMITTED "), line);
                last = Long.parseLong(line.substring("COMMITTED ".length()));
                if (k == 0) {
                    // another process holds the write lock; read-only readers work alongside it
                    StoreLockedException e = assertThrows(StoreLockedException.class, () -> VectorStore.open(file));
                    assertTrue(e.getMessage().contains("another process"), e.getMessage());
                    try (VectorStore r = VectorStore.openReadOnly(file)) {
                        assertPrefix(r, last);
                    }
                }
            }
            Thread.sleep(delayMillis);
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
            pump.join(10_000);
            // commits printed between our last read and the kill also count
            for (String line; (line = lines.poll()) != null; ) {
                if (line.startsWith("COMMITTED ")) {
                    last = Long.parseLong(line.substring("COMMITTED ".length()));
                }
            }
            return last;
        } finally {
            child.destroyForcibly();
        }
    }

    private static String next(BlockingQueue<String> lines, Process child, Path errors) throws Exception {
        String line = lines.poll(60, TimeUnit.SECONDS);
        assertNotNull(line, () -> "child printed nothing; alive=" + child.isAlive() + ", stderr: " + readQuietly(errors));
        return line;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
