package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.ChildJvm;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash matrix of the id map rebuild (issue 10): an index whose id map is gone is opened in a child JVM that halts
 * at each step of the rebuild (and of the delete and add after it); every point reopens with every id mapped to its
 * latest row (upserts included), committed and durable deletes dead, the added id there once its add returned, and
 * deletes by id working on the reopened map.
 */
class IdMapRebuildCrashTest {
    @TempDir
    Path tmp;

    @Test
    void everyPointOfARebuildReopensWithEveryIdMapped() throws IOException {
        Path template = tmp.resolve("template");
        ChildJvm.Result built = ChildJvm.run(IdMapRebuildCrashChild.class, Duration.ofMinutes(2), "build", template.toString());
        assertEquals(0, built.exitCode(), built.toString());
        Path traced = withoutIdMap(template, tmp.resolve("trace"));
        ChildJvm.Result trace = ChildJvm.run(IdMapRebuildCrashChild.class, Duration.ofMinutes(2), List.of("-Dpanavec.test.crashTrace=true"),
                "open", traced.toString());
        assertTrue(trace.output().contains("done"), trace.toString());
        List<String> points = trace.output().lines().filter(l -> l.startsWith("crash point ")).toList();
        assertTrue(points.stream().anyMatch(l -> l.contains("id map rebuild: create")), trace.toString());
        assertTrue(points.stream().filter(l -> l.contains("id map: put row")).count() >= 6, trace.toString());
        // The rebuild's own steps first (remove, create, the first put), then every third point: a child JVM each.
        for (int n = 1; n <= points.size(); n += n < 4 ? 1 : 3) {
            Path dir = withoutIdMap(template, tmp.resolve("crash" + n));
            ChildJvm.Result r = ChildJvm.run(IdMapRebuildCrashChild.class, Duration.ofMinutes(2), List.of("-Dpanavec.test.crashAt=" + n),
                    "open", dir.toString());
            assertEquals(137, r.exitCode(), "point " + n + " (" + points.get(n - 1) + "): " + r);
            check(dir, r.output(), "point " + n + " (" + points.get(n - 1) + ")");
        }
    }

    private static Path withoutIdMap(Path template, Path to) throws IOException {
        CorruptionMatrixChild.copyIndex(template, to);
        try (Stream<Path> s = Files.list(to)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().endsWith(".cmap")) Files.delete(p);
            }
        }
        return to;
    }

    private static void check(Path dir, String output, String where) throws IOException {
        boolean deleted7 = output.contains("deleted 7");
        boolean added = output.contains("added 1000");
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            for (long id = 0; id < IdMapRebuildCrashChild.ROWS; id++) {
                Optional<float[]> v = index.vector(id);
                if (id == 3 || id == 7 && deleted7) {
                    assertTrue(v.isEmpty(), where + ": deleted id " + id + " is back");
                    continue;
                }
                assertTrue(v.isPresent(), where + ": id " + id + " lost");
                float[] want = IdMapRebuildCrashChild.vector(id, id == 5 || id == 6 ? 1 : 0);
                assertArrayEquals(want, v.get(), where + ": id " + id + " maps to a stale row");
            }
            assertEquals(added, index.vector(1000).isPresent(), where + ": id 1000 " + (added ? "lost" : "appeared"));
            assertTrue(index.delete(5), where + ": delete by id through the reopened map");
            for (SearchHit h : index.search(SearchRequest.of(IdMapRebuildCrashChild.vector(5, 1), 5).withEfSearch(64)).hits()) {
                assertNotEquals(5L, h.id(), where + ": a deleted id is returned");
            }
        }
    }
}
