package io.panavec.documents;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Searches beside one writer adding, replacing and removing: every hit is a whole, consistent document, never twice. */
class DocumentIndexConcurrencyTest {
    @TempDir
    Path tmp;

    @Test
    void searchesSeeWholeDocumentsWhileOneWriterChangesThem() throws Exception {
        try (DocumentIndex docs = DocumentIndex.builder(tmp.resolve("c")).dimension(8).spec("hnsw:M=8,efc=32").threads(1).build()) {
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = t;
                readers.add(Thread.ofPlatform().start(() -> {
                    Random rnd = new Random(seed);
                    while (!done.get()) {
                        MetadataFilter f = rnd.nextBoolean() ? null : MetadataFilter.eq("parity", rnd.nextInt(2));
                        try {
                            List<Match> ms = docs.search(vector(rnd), 20, f, -2, true);
                            Set<String> seen = new HashSet<>();
                            for (Match m : ms) {
                                int n = Integer.parseInt(m.id().substring(1));
                                if (!seen.add(m.id())) failures.add("twice: " + m.id());
                                if (!m.text().startsWith(m.id() + " ")) failures.add(m.id() + " with text " + m.text());
                                if (!m.metadata().get("n").equals(n) || !m.metadata().get("parity").equals(n % 2)) failures.add(m.id() + " " + m.metadata());
                                if (f != null && !m.metadata().get("parity").equals(((MetadataFilter.Compare) f).value())) failures.add("filter: " + m.id());
                                if (m.vector() == null || m.vector().length != 8) failures.add("vector of " + m.id());
                            }
                        } catch (RuntimeException e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            Random rnd = new Random(9);
            for (int round = 0; round < 30; round++) {
                List<Document> batch = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    int n = rnd.nextInt(200);
                    batch.add(new Document("d" + n, vector(rnd), "d" + n + " round " + round, Map.of("n", n, "parity", n % 2)));
                }
                docs.add(batch);
                docs.remove(List.of("d" + rnd.nextInt(200), "d" + rnd.nextInt(200)));
                if (round % 10 == 9) docs.remove(MetadataFilter.compare("n", MetadataFilter.Op.LT, rnd.nextInt(20)));
            }
            done.set(true);
            for (Thread t : readers) t.join();
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(docs.size() > 0);
        }
    }

    private static float[] vector(Random rnd) {
        float[] v = new float[8];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }
}
