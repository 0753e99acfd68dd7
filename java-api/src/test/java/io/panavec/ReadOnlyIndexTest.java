package io.panavec;

import io.panavec.attributes.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Searching never writes into the index directory (issue 8, item 4): {@link PanavecIndex#openReadOnly} and
 * {@code open} of a read-only directory search (plain, filtered, by id) and leave every file, its size and
 * its modification time as they were; a plain search of an index opened for writing adds or changes no
 * file either. Rows committed to the store after the last index commit are searchable read-only too.
 * Root ignores file permissions, so the chmod'ed directory is also checked by its listing, and the
 * "refused to write" check runs only when the permissions hold.
 */
class ReadOnlyIndexTest {
    static final int N = 600, DIM = 8;

    @TempDir
    Path tmp;

    private Path build(String spec) throws IOException {
        Path dir = tmp.resolve(spec.replace(':', '_').replace(',', '_').replace('=', '_'));
        float[][] base = TestData.random(N, DIM, 91);
        List<Map<String, ?>> attrs = new ArrayList<>();
        for (int i = 0; i < N; i++) attrs.add(Map.of("bucket", i % 4));
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec(spec)
                .schema(Schema.parse("bucket:int")).threads(1).create()) {
            index.add(ids(0, N - 100), java.util.Arrays.copyOf(base, N - 100), attrs.subList(0, N - 100));
            index.delete(5);
            index.commit();
            // committed to the store, not to the index: linked again on every open
            index.add(ids(N - 100, N), java.util.Arrays.copyOfRange(base, N - 100, N), attrs.subList(N - 100, N));
        }
        return dir;
    }

    private static long[] ids(int from, int to) {
        return IntStream.range(from, to).asLongStream().toArray();
    }

    /** Every file of {@code dir} with its size and modification time. */
    private static Map<String, String> listing(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                m.put(f.getFileName().toString(), Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis());
            }
        }
        return m;
    }

    private static void searchEveryWay(PanavecIndex index) {
        float[] q = TestData.random(1, DIM, 92)[0];
        SearchResult r = index.search(SearchRequest.of(q, 10));
        assertEquals(10, r.size());
        r.hits().forEach(h -> assertTrue(h.id() != 5, "deleted id returned"));
        SearchResult f = index.search(SearchRequest.of(q, 10).withFilter("bucket = 2"));
        assertEquals(10, f.size());
        f.hits().forEach(h -> assertEquals(2, h.id() % 4));
        assertTrue(index.rowOf(N - 1).isPresent(), "a row committed after the last index commit");
        assertFalse(index.rowOf(5).isPresent());
        assertEquals(Map.of("bucket", 3L), index.attributesOf(N - 1).orElseThrow());
        assertEquals(N - 1, index.size());
    }

    @Test
    void openReadOnlySearchesAndWritesNothing() throws Exception {
        for (String spec : new String[] {"hnsw:M=8,efc=40", "flat", "faiss:Flat", "hnsw:M=8,efc=40,quant=sq8"}) {
            Path dir = build(spec);
            Map<String, String> before = listing(dir);
            try (PanavecIndex index = PanavecIndex.openReadOnly(dir)) {
                searchEveryWay(index);
                assertThrows(IllegalStateException.class, () -> index.add(N + 1, new float[DIM]), spec);
                assertThrows(IllegalStateException.class, () -> index.delete(1), spec);
                assertThrows(IllegalStateException.class, index::commit, spec);
                assertEquals(before, listing(dir), spec + ": files changed while open read-only");
            }
            assertEquals(before, listing(dir), spec + ": files changed by a read-only open");
        }
    }

    @Test
    void aPlainSearchOfAWritableIndexWritesNothing() throws Exception {
        Path dir = build("hnsw:M=8,efc=40");
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            index.rowOf(0); // the id map opens on first use, writing its open marker (what open did before it was lazy)
            Map<String, String> opened = listing(dir);
            for (int i = 0; i < 20; i++) searchEveryWay(index);
            assertEquals(opened, listing(dir), "files changed by searches");
        }
    }

    @Test
    void openOfAReadOnlyDirectorySearches() throws Exception {
        Path dir = build("hnsw:M=8,efc=40");
        Set<PosixFilePermission> readOnly = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        for (Path f : files) Files.setPosixFilePermissions(f, EnumSet.of(PosixFilePermission.OWNER_READ));
        Files.setPosixFilePermissions(dir, readOnly);
        try {
            // Root writes through permissions: then only the listing shows that nothing was written.
            boolean enforced = !Files.isWritable(dir);
            if (enforced) {
                assertThrows(IOException.class, () -> Files.createFile(dir.resolve("probe")));
            }
            Map<String, String> before = listing(dir);
            try (PanavecIndex index = enforced ? PanavecIndex.open(dir) : PanavecIndex.openReadOnly(dir)) {
                searchEveryWay(index);
                assertThrows(IllegalStateException.class, () -> index.delete(1));
            }
            assertEquals(before, listing(dir), "files changed");
        } finally {
            Files.setPosixFilePermissions(dir, EnumSet.allOf(PosixFilePermission.class));
            for (Path f : files) Files.setPosixFilePermissions(f, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
    }
}
