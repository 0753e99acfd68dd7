package io.panavec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.persist.CheckedFile;
import io.panavec.persist.Manifest;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Every component file of an index directory, mutated ({@link Mutation}) with the manifest's length and
 * checksum fixed to match, so the bytes reach the component's reader: the store, the graph, the attribute
 * snapshot and log, the deleted rows, the quantized codes, the FAISS file (structural checks) and the id
 * map (recovery). Opening and searching must give answers (finite scores, known ids, no more than k) or a
 * clear exception. Native readers run in this JVM: fuzz with scripts/fuzz.sh, which forks it, so a crash
 * is a finding.
 */
class IndexFileFuzzTest {
    private static final int DIM = 8;
    private static final int ROWS = 60;
    private static final Path TEMPLATES = templates();

    private static Path templates() {
        try {
            Path root = Files.createTempDirectory("fuzz-templates");
            build(root.resolve("hnsw"), "hnsw:M=8,efc=16");
            build(root.resolve("codes"), "flat:quant=sq8");
            build(root.resolve("faiss"), "faiss:HNSW8,SQfp16"); // FAISS's own file (codes and links)
            build(root.resolve("faiss-links"), "faiss:HNSW8,Flat"); // links over the store's rows
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] vector(long id) {
        Random r = new Random(id);
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) v[j] = (float) r.nextGaussian();
        return v;
    }

    private static void build(Path dir, String spec) throws IOException {
        Schema schema = Schema.builder().add("pos", AttributeType.KEYWORD).add("n", AttributeType.INT).build();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec(spec).schema(schema).threads(1).create()) {
            for (int batch = 0; batch < 2; batch++) { // the second batch stays in the attribute log
                long[] ids = new long[ROWS / 2];
                float[][] v = new float[ids.length][];
                List<Map<String, Object>> attrs = new ArrayList<>();
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = batch * ids.length + i;
                    v[i] = vector(ids[i]);
                    attrs.add(Map.of("pos", i % 2 == 0 ? "n" : "v", "n", (long) i));
                }
                if (batch == 0 && spec.contains("SQ")) index.train(v); // FAISS's SQ codes learn their ranges first
                index.add(ids, v, attrs);
                if (batch == 0) {
                    index.delete(3);
                    index.commit();
                }
            }
        }
    }

    private static void fuzzComponent(String template, String key, FuzzedDataProvider data) throws IOException {
        Path dir = Files.createTempDirectory("fuzz-index");
        try {
            copyTree(TEMPLATES.resolve(template), dir);
            Properties manifest = new Properties();
            manifest.load(new StringReader(Files.readString(dir.resolve(Manifest.FILE_NAME))));
            Path file = dir.resolve(manifest.getProperty(key));
            Files.write(file, Mutation.apply(Files.readAllBytes(file), data));
            String prefix = key.substring(0, key.length() - ".file".length());
            if (manifest.containsKey(prefix + ".checksum")) { // past the checksum, into the reader
                manifest.setProperty(prefix + ".bytes", Long.toString(Files.size(file)));
                manifest.setProperty(prefix + ".checksum", Integer.toUnsignedString(CheckedFile.checksum(file)));
                java.util.Map<String, String> entries = new java.util.TreeMap<>();
                manifest.stringPropertyNames().forEach(k -> entries.put(k, manifest.getProperty(k)));
                manifest.setProperty("manifest.crc32c", Integer.toUnsignedString(Manifest.checksum(entries))); // resealed too
                StringWriter w = new StringWriter();
                manifest.store(w, null);
                Files.writeString(dir.resolve(Manifest.FILE_NAME), w.toString());
            }
            Outcomes.expectCleanFailure(() -> {
                try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
                    for (SearchRequest r : List.of(SearchRequest.of(vector(7), 5), SearchRequest.of(vector(9), 5).withFilter("pos = 'n'"))) {
                        check(index.search(r), index.rows());
                    }
                    index.attributesOf(10);
                }
            });
        } finally {
            deleteTree(dir);
        }
    }

    private static void check(SearchResult r, long rows) {
        if (r.size() > 5) throw new AssertionError("more hits than k: " + r.size());
        r.hits().forEach(h -> {
            if (!Float.isFinite(h.score()) || h.row() < 0 || h.row() >= rows) {
                throw new AssertionError("impossible hit " + h + " in an index of " + rows + " rows");
            }
        });
    }

    @FuzzTest(maxDuration = "120s")
    void store(FuzzedDataProvider data) throws IOException {
        fuzzComponent("hnsw", "store.file", data);
    }

    @FuzzTest(maxDuration = "120s")
    void graph(FuzzedDataProvider data) throws IOException {
        fuzzComponent("hnsw", "graph.file", data);
    }

    @FuzzTest(maxDuration = "120s")
    void attributes(FuzzedDataProvider data) throws IOException {
        fuzzComponent("hnsw", "attributes.file", data);
    }

    @FuzzTest(maxDuration = "120s")
    void attributeLog(FuzzedDataProvider data) throws IOException {
        fuzzComponent("hnsw", "attributes.log", data);
    }

    @FuzzTest(maxDuration = "120s")
    void deletedRows(FuzzedDataProvider data) throws IOException {
        fuzzComponent("hnsw", "deleted.file", data);
    }

    @FuzzTest(maxDuration = "120s")
    void idMap(FuzzedDataProvider data) throws IOException {
        fuzzComponent("hnsw", "ids.file", data);
    }

    @FuzzTest(maxDuration = "120s")
    void codes(FuzzedDataProvider data) throws IOException {
        fuzzComponent("codes", "codes.file", data);
    }

    @FuzzTest(maxDuration = "120s")
    void faiss(FuzzedDataProvider data) throws IOException {
        fuzzComponent("faiss", "faiss.file", data);
    }

    @FuzzTest(maxDuration = "120s")
    void faissLinks(FuzzedDataProvider data) throws IOException {
        fuzzComponent("faiss-links", "faiss-links.file", data);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
