package io.panavec;

import io.panavec.attributes.Schema;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An index whose manifest is laid out as 0.1 wrote it (no length or whole-file checksum for the graph,
 * the deleted rows and the attribute snapshot; the snapshot's own trailer CRC as {@code attributes.crc32c})
 * opens and answers as before; a corrupt snapshot is still refused by its own checksum.
 */
class OlderManifestTest {
    @TempDir
    Path tmp;

    @Test
    void anIndexWrittenWithTheOlderManifestLayoutOpensAndAnswersTheSame() throws Exception {
        Path dir = tmp.resolve("old");
        float[][] base = TestData.random(400, 8, 7);
        List<Map<String, ?>> attrs = new ArrayList<>();
        for (int i = 0; i < 400; i++) attrs.add(Map.of("bucket", i % 3));
        List<SearchResult> before = new ArrayList<>();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(8).metric(Metric.L2).spec("hnsw:M=8,efc=40")
                .schema(Schema.parse("bucket:int")).threads(1).create()) {
            index.add(IntStream.range(0, 400).asLongStream().toArray(), base, attrs);
            index.delete(3);
            index.commit();
            for (int q = 0; q < 10; q++) before.add(index.search(SearchRequest.of(base[q * 7], 5).withFilter("bucket = 1")));
        }
        Manifest m = Manifest.read(dir);
        Path snapshot = dir.resolve(m.require(ManifestKey.ATTRIBUTES.file()));
        byte[] bytes = Files.readAllBytes(snapshot);
        int trailer = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        m.without(ManifestKey.GRAPH.bytes()).without(ManifestKey.GRAPH.crc32c())
                .without(ManifestKey.DELETED.bytes())
                .without(ManifestKey.ATTRIBUTES.bytes()).with(ManifestKey.ATTRIBUTES.crc32c(), trailer)
                .write(dir);
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            for (int q = 0; q < 10; q++) {
                assertEquals(before.get(q).hits(), index.search(SearchRequest.of(base[q * 7], 5).withFilter("bucket = 1")).hits());
            }
        }
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(snapshot, bytes);
        assertThrows(java.io.IOException.class, () -> PanavecIndex.open(dir, 1));
    }
}
