package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.ChildJvm;
import io.panavec.PanavecIndex;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash matrix: a child JVM halts (as kill -9) at the N-th write, fsync, rename or log append inside
 * create, commit, compact and attribute-log appends; every point reopens with everything added before it
 * (adds are durable on return), deletes made durable by a finished commit, attributes intact, nothing
 * half-visible; or, for points inside create, leaves no directory (or an empty one) that a new create fills.
 */
class CrashMatrixTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"hnsw:M=8,efc=16"}) // graph, attributes, deletes, id map: every component file of a commit
    void everyCrashPointReopensConsistent(String spec) throws IOException {
        ChildJvm.Result trace = ChildJvm.run(CrashMatrixChild.class, Duration.ofSeconds(120), List.of("-Dpanavec.test.crashTrace=true"),
                tmp.resolve("trace").toString(), spec);
        assertTrue(trace.output().contains("done"), trace.toString());
        int points = (int) trace.output().lines().filter(l -> l.startsWith("crash point ")).count();
        assertTrue(points > 10, trace.toString());
        // Every point inside create (the first few), then every fifth: one child JVM each, within the CI budget.
        for (int n = 1; n <= points; n += n < 6 ? 1 : 5) {
            Path dir = tmp.resolve("crash" + n);
            ChildJvm.Result r = ChildJvm.run(CrashMatrixChild.class, Duration.ofSeconds(120), List.of("-Dpanavec.test.crashAt=" + n),
                    dir.toString(), spec);
            assertEquals(137, r.exitCode(), "point " + n + ": " + r);
            check(dir, r.output(), "point " + n + " of " + points + " (" + spec + ")");
        }
    }

    private static void check(Path dir, String output, String where) throws IOException {
        long added = output.lines().filter(l -> l.startsWith("added ")).mapToLong(l -> Long.parseLong(l.substring(6))).max().orElse(0);
        boolean created = output.lines().anyMatch(l -> l.startsWith("committed "));
        boolean deleteCommitted = false;
        boolean seenDelete = false;
        for (String l : output.lines().toList()) {
            if (l.startsWith("deleted ")) seenDelete = true;
            if (seenDelete && l.startsWith("committed ")) deleteCommitted = true;
        }
        if (!Files.exists(dir.resolve("manifest.properties"))) {
            assertFalse(created, where + ": create returned but the directory holds no index");
            if (Files.exists(dir)) {
                try (var s = Files.list(dir)) {
                    assertEquals(0, s.count(), where + ": a half-created index was left");
                }
            }
            try (PanavecIndex again = PanavecIndex.builder(dir).dimension(CrashMatrixChild.DIM).spec("flat").create()) {
                assertEquals(0, again.rows());
            }
            return;
        }
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            long rows = index.rows();
            assertTrue(rows >= added, where + ": " + rows + " rows after reopen, " + added + " were added");
            assertEquals(0, rows % CrashMatrixChild.BATCH, where + ": a half-added batch is visible");
            for (long id = 0; id < rows; id++) {
                OptionalLong row = index.rowOf(id);
                if (id == 5 && deleteCommitted) {
                    assertTrue(row.isEmpty(), where + ": a committed delete came back");
                    continue;
                }
                if (id == 5 && row.isEmpty()) {
                    continue; // deleted, its commit switched the manifest just before the halt
                }
                assertEquals(OptionalLong.of(id), row, where + ": id " + id);
                assertEquals(Optional.of(Map.of("pos", CrashMatrixChild.pos(id))), index.attributesOf(id), where + ": attributes of " + id);
            }
            for (long id = rows; id < rows + 5; id++) {
                assertTrue(index.rowOf(id).isEmpty(), where + ": id " + id + " was never added");
            }
            SearchResult r = index.search(SearchRequest.of(CrashMatrixChild.vector(7), (int) Math.max(1, rows)).withEfSearch(200));
            Set<Long> seen = new HashSet<>();
            r.hits().forEach(h -> assertTrue(seen.add(h.id()), where + ": duplicate id " + h.id()));
            if (rows > 7) assertEquals(7, r.get(0).id(), where);
            index.add(new long[] {100_000}, new float[][] {CrashMatrixChild.vector(100_000)}, null);
            index.commit(); // and it still takes writes
        }
    }
}
