package io.panavec;

import io.panavec.UpsertModel.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * kill -9 a JVM in the middle of random upserts, deletes, delete-by-filter, commits, reopens and
 * compactions ({@link UpsertLoop}); the directory must reopen as the model after the last operation the
 * child acknowledged, or after the one it was running (each is atomic): one live row per id, every
 * acknowledged delete applied, replacements after the last commit replayed. Then the index keeps answering
 * as the model through more operations.
 */
class UpsertKillTest {
    private static final int CHILD_OPS = 400;

    @TempDir
    Path tmp;

    @Test
    void exactIndexKilledAnywhereReopensAsTheModel() throws Exception {
        killAndCheck("flat", true, 2, 11);
    }

    @Test
    void hnswIndexKilledAnywhereReopensWithOneLiveRowPerId() throws Exception {
        killAndCheck("hnsw:M=8,efc=32", false, 2, 12);
    }

    private void killAndCheck(String spec, boolean exact, int rounds, long seed) throws Exception {
        Random rounds_ = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            long opsSeed = rounds_.nextLong();
            int killAfter = 5 + rounds_.nextInt(60);
            Path dir = Files.createTempDirectory(UpsertModel.scratch(tmp), "panavec-kill-" + spec.replaceAll("[^a-z0-9]", ""));
            ChildJvm.Killed child = ChildJvm.killAfterAcknowledged(UpsertLoop.class, killAfter,
                    dir.toString(), spec, Long.toString(opsSeed), Integer.toString(CHILD_OPS));
            int acknowledged = child.acknowledged();
            assertTrue(acknowledged >= killAfter && acknowledged < CHILD_OPS - 1, "child was not killed mid-sequence: " + child.tail());

            Random ops = new Random(opsSeed);
            UpsertModel done = new UpsertModel();
            for (int i = 0; i <= acknowledged; i++) done.apply(UpsertModel.randomOp(ops));
            Op inFlight = UpsertModel.randomOp(ops);
            UpsertModel withInFlight = new UpsertModel();
            withInFlight.live.putAll(done.live);
            withInFlight.apply(inFlight);

            PanavecIndex index = PanavecIndex.open(dir, 1);
            try {
                String before = done.mismatch(index, exact, new Random(round));
                String after = withInFlight.mismatch(index, exact, new Random(round));
                assertTrue(before == null || after == null, spec + " round " + round + ", killed after op " + acknowledged
                        + " during " + inFlight + ":\n  as of op " + acknowledged + ": " + before + "\n  with it: " + after);
                UpsertModel model = before == null ? done : withInFlight;
                Random more = new Random(opsSeed ^ 0x5DEECE66DL);
                for (int i = 0; i < 20; i++) {
                    Op op = UpsertModel.randomOp(more);
                    index = UpsertModel.apply(index, op);
                    model.apply(op);
                    String m = model.mismatch(index, exact, more);
                    assertNull(m, spec + " round " + round + ", after recovery and op " + i + " " + op + ": " + m);
                }
            } finally {
                index.close();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
                }
            }
        }
    }
}
