package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create() writes only into a new or empty directory and never removes a file it did not write (issue 10, item 2). */
class CreateIntoDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryHoldingFilesIsRefusedUntouched() throws IOException {
        Path dir = tmp.resolve("busy");
        Files.createDirectories(dir);
        Map<String, String> files = new TreeMap<>();
        for (String name : List.of("graph-000001.hnsw", "ids-1024.cmap", "attributes-000001.log", "attributes-000001.tbl",
                "manifest.properties.tmp", "vectors.pvs.tmp", "notes.txt")) {
            files.put(name, "user data in " + name);
            Files.writeString(dir.resolve(name), files.get(name));
        }
        IOException e = assertThrows(IOException.class,
                () -> PanavecIndex.builder(dir).dimension(8).metric(Metric.L2).spec("hnsw:M=8,efc=16").create());
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        for (var f : files.entrySet()) {
            assertEquals(f.getValue(), Files.readString(dir.resolve(f.getKey())), f.getKey() + " was changed");
        }
        try (var s = Files.list(dir)) {
            assertEquals(files.size(), s.count(), "create left files behind");
        }
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "create left a temporary directory behind");
        }
    }

    @Test
    void aNewOrEmptyDirectoryIsCreatedInto() throws IOException {
        Path fresh = tmp.resolve("a/b/fresh");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        for (Path dir : List.of(fresh, empty)) {
            try (PanavecIndex index = PanavecIndex.builder(dir).dimension(4).metric(Metric.L2).spec("flat").create()) {
                index.add(7, new float[] {1, 2, 3, 4});
                index.commit();
            }
            try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
                assertEquals(1, index.rows());
            }
            IOException e = assertThrows(IOException.class, () -> PanavecIndex.builder(dir).dimension(4).spec("flat").create());
            assertTrue(e.getMessage().contains("already holds an index"), e.getMessage());
        }
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("a", "empty"), s.map(p -> p.getFileName().toString()).sorted().toList(), "temporary directories left behind");
        }
    }

    @Test
    void buildFillsAndCommitsInPlaceOrLeavesNothing() throws IOException {
        Path dir = tmp.resolve("built");
        IOException e = assertThrows(IOException.class, () -> PanavecIndex.builder(dir).dimension(4).metric(Metric.L2).spec("flat")
                .build(index -> {
                    index.add(1, new float[] {1, 2, 3, 4});
                    throw new IOException("input ended early");
                }));
        assertEquals("input ended early", e.getMessage());
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "a failed build leaves no index and no temporary directory");
        }
        long rows = PanavecIndex.builder(dir).dimension(4).metric(Metric.L2).spec("flat").build(index -> {
            index.add(1, new float[] {1, 2, 3, 4});
            index.add(2, new float[] {4, 3, 2, 1});
        });
        assertEquals(2, rows);
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) { // committed by build
            assertEquals(2, index.size());
            assertEquals(2, index.search(io.panavec.SearchRequest.of(new float[] {4, 3, 2, 1}, 1)).get(0).id());
        }
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList(), "no temporary directory left");
        }
    }
}
