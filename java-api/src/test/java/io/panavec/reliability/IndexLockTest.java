package io.panavec.reliability;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchRequest;
import io.panavec.TestData;
import io.panavec.store.StoreLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One process writes an index at a time (issue 10 item 10): while a child JVM holds the index open for writing,
 * this JVM's open for writing fails with an exception naming the child's pid, and read-only opens search. The
 * child first opens and closes the index read-only itself, which drops the POSIX lock its store holds on
 * {@code vectors.pvs} (record locks belong to the process and go with any descriptor of the file closed): on the
 * code that relied on that lock, the second writer got in here. After the child is killed (-9), the kernel has
 * dropped its lock and the index opens for writing again. A second writer in the same JVM is refused too.
 */
class IndexLockTest {
    private static final int DIM = 8;

    @TempDir
    Path tmp;

    @Test
    void aSecondWriterIsRefusedReadersSearchAndAKilledWriterLetsGo() throws Exception {
        Path dir = tmp.resolve("index");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("hnsw:M=8,efc=40").threads(1).create()) {
            long[] ids = new long[100];
            for (int i = 0; i < ids.length; i++) ids[i] = i;
            index.add(ids, TestData.random(ids.length, DIM, 3));
            index.commit();
        }
        HeldIndex held = holdInChild(dir);
        Process child = held.process();
        try {
            BufferedReader out = held.out();

            StoreLockedException refused = assertThrows(StoreLockedException.class, () -> PanavecIndex.open(dir, 1));
            assertTrue(refused.getMessage().contains("another process (pid " + child.pid() + ")"), refused.getMessage());
            try (PanavecIndex reader = PanavecIndex.openReadOnly(dir)) {
                assertEquals(3, reader.search(SearchRequest.of(new float[DIM], 3)).size());
            }
            // still refused after this JVM opened and closed the files too
            assertThrows(StoreLockedException.class, () -> PanavecIndex.open(dir, 1));

            // the child is still the writer: it adds and closes cleanly
            Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
            in.write("go\n");
            in.flush();
            assertEquals("added", next(out, "added"));
            assertEquals("closed", next(out, "closed"));
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue());
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        try (PanavecIndex writer = PanavecIndex.open(dir, 1)) {
            assertEquals(101, writer.size());
            StoreLockedException sameJvm = assertThrows(StoreLockedException.class, () -> PanavecIndex.open(dir, 1));
            assertTrue(sameJvm.getMessage().contains("in this JVM"), sameJvm.getMessage());
        }
    }

    /** A child JVM that holds an index open for writing, and its output. */
    private record HeldIndex(Process process, BufferedReader out) {}

    /** Starts {@link IndexWriterChild} on {@code dir} and returns once it says it holds the index as the writer. */
    private static HeldIndex holdInChild(Path dir) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(TestData.panavecJvmFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), IndexWriterChild.class.getName(), dir.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("writing ")) {
                // JVM warnings
            }
            assertTrue(line != null, "the child exited before it held the index");
            assertEquals("writing " + child.pid(), line);
            return new HeldIndex(child, out);
        } catch (java.io.IOException | RuntimeException | AssertionError e) {
            child.destroyForcibly();
            throw e;
        }
    }

    /** The next line that is {@code wanted}, skipping the JVM's and libraries' warnings; null at the end. */
    private static String next(BufferedReader out, String wanted) throws java.io.IOException {
        String line;
        while ((line = out.readLine()) != null && !line.equals(wanted)) {
            // warnings
        }
        return line;
    }

    @Test
    void aWriterKilledWithSigkillReleasesTheIndex() throws Exception {
        Path dir = tmp.resolve("killed");
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("flat").threads(1).create()) {
            index.add(new long[] {1, 2}, TestData.random(2, DIM, 4));
        }
        Process child = holdInChild(dir).process();
        try {
            assertThrows(StoreLockedException.class, () -> PanavecIndex.open(dir, 1));
        } finally {
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        }
        try (PanavecIndex writer = PanavecIndex.open(dir, 1)) {
            assertEquals(2, writer.size());
        }
    }
}
