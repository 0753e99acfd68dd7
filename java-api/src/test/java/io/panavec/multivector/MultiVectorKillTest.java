package io.panavec.multivector;

import io.panavec.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** kill -9 a JVM that keeps adding documents: every document whose add returned reopens whole and searchable. */
class MultiVectorKillTest {
    @TempDir
    Path tmp;

    @Test
    void killedWhileAddingReopensWithEveryAddedDocument() throws Exception {
        for (int round = 0; round < 2; round++) {
            Path dir = tmp.resolve("kill" + round);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(TestData.panavecJvmFlags());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MultiVectorAddLoop.class.getName(), dir.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            long added = -1;
            List<String> output = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                int adds = 0;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("added ")) {
                        added = Long.parseLong(line.substring(6));
                        if (++adds == 4 + round) {
                            p.destroyForcibly(); // SIGKILL, in the middle of the next add (or commit)
                            break;
                        }
                    }
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertTrue(added > 0, "child printed no add: " + output);
            try (MultiVectorIndex index = MultiVectorIndex.open(dir, 1)) {
                assertTrue(index.rows() >= added, index.rows() + " documents after reopen, " + added + " were added");
                for (long id = 0; id < index.rows(); id++) {
                    float[][] want = MultiVectorAddLoop.document(id);
                    float[][] got = index.tokensOf(id).orElseThrow(() -> new AssertionError("lost document"));
                    assertEquals(want.length, got.length, "tokens of document " + id);
                    for (int t = 0; t < want.length; t++) assertArrayEquals(want[t], got[t], "document " + id + " token " + t);
                }
                float[][] q = MultiVectorAddLoop.document(3);
                var exact = index.searchExact(q, (int) index.rows());
                assertEquals(index.rows(), exact.size(), "exact search sees every document once");
                for (var h : exact.hits()) { // the re-rank reads each document's tokens through the offsets column
                    assertEquals(MultiVectorData.chamfer(q, MultiVectorAddLoop.document(h.id())), h.score(), 1e-3, "document " + h.id());
                }
                long n = index.rows();
                index.add(n, MultiVectorAddLoop.document(n)); // and the index keeps working
                index.commit();
            }
            try (MultiVectorIndex index = MultiVectorIndex.open(dir, 1)) {
                assertTrue(index.tokensOf(added).isPresent() || index.rows() > added);
            }
        }
    }
}
