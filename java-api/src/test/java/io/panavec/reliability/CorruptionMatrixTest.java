package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corruption matrix (issue 10): every index file kind (store, graph, codes, FAISS file, attribute snapshot,
 * attribute log, deleted rows, deleted log, id map, manifest) x (a flipped byte at a spread of offsets, truncation,
 * a zeroed page, the same file of another index, generation 1's file), opened, verified and searched in a child JVM
 * ({@link CorruptionMatrixChild} has the oracle). Either a typed corruption exception naming the file, with no file
 * changed, or exactly the committed data answering as the undamaged index does; never a JVM crash. CI runs a
 * sampled matrix (every damage kind once per file, a sampled flip offset; seed {@code -Dpanavec.corruption.seed});
 * {@code -Dpanavec.corruption.full=true} runs every offset.
 */
class CorruptionMatrixTest {
    @TempDir
    Path tmp;

    @Test
    void everyDamagedFileIsRefusedByNameOrAnswersAsTheCommittedData() {
        boolean full = Boolean.getBoolean("panavec.corruption.full");
        String seed = System.getProperty("panavec.corruption.seed", "1");
        ChildJvm.Result r = ChildJvm.run(CorruptionMatrixChild.class, Duration.ofMinutes(full ? 30 : 5), List.of(),
                tmp.toString(), full ? "full" : "sampled", seed);
        List<String> lines = r.output().lines().toList();
        String last = lines.stream().filter(l -> l.startsWith("START ")).reduce((a, b) -> b).orElse("(none)");
        assertFalse(r.crashed(), "the child JVM died in case " + last + ": " + r);
        List<String> failed = lines.stream().filter(l -> l.startsWith("FAIL ")).toList();
        assertTrue(failed.isEmpty(), failed.size() + " cases failed:\n" + String.join("\n", failed));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("DONE ")), r.toString());
        long refused = lines.stream().filter(l -> l.startsWith("OK ") && l.contains(" refused: ")).count();
        long answered = lines.stream().filter(l -> l.startsWith("OK ") && l.contains(" answered ")).count();
        assertTrue(refused > 10 && answered > 3, "both outcomes occur: " + refused + " refused, " + answered + " answered");
        System.out.println("corruption matrix: " + refused + " refused, " + answered + " answered (" + (full ? "full" : "sampled, seed " + seed) + ")");
    }
}
