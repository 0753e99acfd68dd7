package io.panavec;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store file truncated by another process while mapped: searches throw, naming the file, instead of the
 * kernels dying of SIGBUS (issue 10, item 10). Runs in a child JVM.
 */
class TruncatedStoreTest {
    @ParameterizedTest
    @ValueSource(strings = {"flat", "hnsw:M=8,efc=32"})
    void searchesOverATruncatedStoreThrowInsteadOfCrashing(String spec) {
        ChildJvm.Result r = ChildJvm.run(TruncatedStoreProbe.class, Duration.ofSeconds(90), spec);
        assertFalse(r.crashed(), r.toString());
        assertTrue(r.output().contains("done"), r.toString());
        assertEquals(3, r.output().lines().filter(l -> l.startsWith("refused: ") && l.contains("vectors.pvs: truncated")).count(), r.toString());
    }
}
