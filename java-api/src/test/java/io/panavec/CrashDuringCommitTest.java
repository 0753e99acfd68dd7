package io.panavec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** kill -9 a JVM that is adding and committing; the index directory must reopen with every committed vector and id. */
class CrashDuringCommitTest {
    @TempDir
    Path tmp;

    @Test
    void killedWhileCommittingReopensWithEveryCommittedVector() throws Exception {
        killAndReopen("hnsw:M=8,efc=32", 3);
    }

    /** The code file is switched with the manifest like the graph: a kill leaves a consistent pair. */
    @Test
    void quantizedIndexKilledWhileCommittingReopensWithEveryCommittedVector() throws Exception {
        killAndReopen("hnsw:M=8,efc=32,quant=lvq8", 2);
    }

    private void killAndReopen(String spec, int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            Path dir = tmp.resolve("crash-" + spec.replaceAll("[^a-z0-9]", "") + round);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(TestData.panavecJvmFlags());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CommitLoop.class.getName(), dir.toString(), spec));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            long lastCommitted = -1;
            List<String> output = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                int commits = 0;
                int killAfter = 3 + round * 2;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("committed ")) {
                        lastCommitted = Long.parseLong(line.substring(10));
                        if (++commits == killAfter) {
                            p.destroyForcibly(); // SIGKILL, in the middle of the next add/commit
                            break;
                        }
                    }
                }
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(lastCommitted > 0, "child printed no commit: " + output);

            try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
                long rows = index.rows();
                assertTrue(rows >= lastCommitted, rows + " rows after reopen, " + lastCommitted + " were committed");
                // Committed vectors are findable as their own nearest neighbour (distance 0), with their ids.
                // The graph is approximate, so allow a rare miss; a lost or garbled vector would miss always.
                int sampled = 0, found = 0;
                for (long i = 0; i < rows; i += 7) {
                    SearchResult res = index.search(SearchRequest.of(CommitLoop.vector(i), 1).withEfSearch(128));
                    if (spec.contains("quant=")) {
                        assertTrue(res.strategy().startsWith("hnsw-codes:"), res.strategy());
                    }
                    sampled++;
                    if (res.get(0).id() == i && res.get(0).score() < 1e-6f) found++;
                }
                assertTrue(found >= sampled * 0.99, found + " of " + sampled + " vectors found themselves");
                // The id map (a cache, possibly cut mid-put by the kill) maps every stored id to its row.
                for (long i = 0; i < rows; i++) {
                    assertEquals(OptionalLong.of(i), index.rowOf(i), "id " + i);
                }
                assertTrue(index.delete(rows / 2));
                // And the index keeps working: add and commit after recovery.
                index.add(new long[] {rows}, new float[][] {CommitLoop.vector(rows)});
                index.commit();
            }
            try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
                assertTrue(index.rows() >= lastCommitted + 1);
            }
        }
    }
}
