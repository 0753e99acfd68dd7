package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.TestData;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.persist.Manifest;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The manifest's file names are names of this index's components, not paths: a manifest pointing
 * outside its directory, or at another component's file, is refused on open and touches nothing
 * (issue 10, item 1).
 */
class ManifestAttackTest {
    @TempDir
    Path tmp;

    @TempDir
    static Path templates;

    @org.junit.jupiter.api.BeforeAll
    static void buildTemplates() throws IOException {
        build(templates.resolve("index"), 60);
        build(templates.resolve("other"), 40);
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
        return to;
    }

    static Path build(Path dir, int rows) throws IOException {
        Schema schema = Schema.builder().add("pos", AttributeType.KEYWORD).build();
        float[][] v = TestData.random(rows, 8, rows);
        long[] ids = new long[rows];
        List<Map<String, Object>> attrs = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
            attrs.add(Map.of("pos", i % 2 == 0 ? "n" : "v"));
        }
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(8).metric(Metric.L2).spec("hnsw:M=8,efc=32").schema(schema)
                .threads(1).create()) {
            index.add(ids, v, attrs);
            index.delete(3);
            index.commit();
        }
        return dir;
    }

    /** Recomputes the manifest's seal, as an attacker who edits it can: these tests reach the checks behind it. */
    static void reseal(Properties p) {
        Map<String, String> m = new java.util.TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        p.setProperty("manifest.crc32c", Integer.toUnsignedString(Manifest.checksum(m)));
    }

    static void setEntry(Path dir, String key, String value) throws IOException {
        Path file = dir.resolve(Manifest.FILE_NAME);
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file)));
        p.setProperty(key, value);
        reseal(p);
        StringWriter w = new StringWriter();
        p.store(w, null);
        Files.writeString(file, w.toString(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({
            "attributes.log, ../victim.txt",
            "graph.file, ../victim.txt",
            "attributes.file, VICTIM_ABSOLUTE",
            "deleted.file, ../victim.txt",
            "ids.file, ../victim.txt",
            "store.file, OTHER_STORE",
            "graph.file, attributes-000002.tbl",
            "deleted.file, graph-000002.hnsw",
            "attributes.log, manifest.properties",
    })
    void aManifestNamingAFileOutsideItsComponentsIsRefusedAndTouchesNothing(String key, String value) throws IOException {
        Path dir = copy(templates.resolve("index"), tmp.resolve("index"));
        Path other = copy(templates.resolve("other"), tmp.resolve("other"));
        Path victim = tmp.resolve("victim.txt");
        Files.writeString(victim, "precious, not an index file\n".repeat(100));
        byte[] victimBytes = Files.readAllBytes(victim);
        byte[] otherStore = Files.readAllBytes(other.resolve("vectors.pvs"));
        String v = value.replace("VICTIM_ABSOLUTE", victim.toString()).replace("OTHER_STORE", other.resolve("vectors.pvs").toString());
        setEntry(dir, key, v);

        IOException e = assertThrows(IOException.class, () -> {
            try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
                index.commit(); // had it opened, a commit must not reach outside either
            }
        });
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertArrayEquals(victimBytes, Files.readAllBytes(victim), "the victim file was changed");
        assertArrayEquals(otherStore, Files.readAllBytes(other.resolve("vectors.pvs")), "another index's store was changed");
        try (PanavecIndex index = PanavecIndex.open(other, 1)) {
            assertEquals(40, index.rows());
        }
    }
}
