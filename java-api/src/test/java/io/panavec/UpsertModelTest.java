package io.panavec;

import io.panavec.UpsertModel.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Upsert and delete against a {@code HashMap} model, by a seeded random driver: sequences of add (with
 * re-adds and batches that repeat an id), delete, delete-by-filter, commit, reopen and compact; after every
 * step the index must answer as the model ({@link UpsertModel#mismatch}): an exact index equals brute force
 * over the live set, an HNSW index never returns a dead, replaced or duplicate id. A failing sequence is
 * shrunk (ops removed while it still fails) and reported with its seed.
 *
 * <p>Sequences per spec: {@code -Dpanavec.upsert.sequences=N} (default {@value #DEFAULT_SEQUENCES}, seconds
 * in CI); {@code -Dpanavec.upsert.seed=S} picks another seed. The kill -9 case is {@link UpsertKillTest}.
 */
class UpsertModelTest {
    static final int DEFAULT_SEQUENCES = 200;
    static final int MAX_OPS = 40;

    @TempDir
    Path tmp;

    @Test
    void exactIndexAnswersAsTheModel() throws IOException {
        drive("flat", true, 1, 1);
    }

    @Test
    void hnswIndexNeverReturnsADeadReplacedOrDuplicateId() throws IOException {
        drive("hnsw:M=8,efc=32", false, 2, 2); // graph reloads and compactions cost more: half the sequences
    }

    private void drive(String spec, boolean exact, long salt, int divisor) throws IOException {
        int sequences = Integer.getInteger("panavec.upsert.sequences", DEFAULT_SEQUENCES) / divisor;
        long seed = Long.getLong("panavec.upsert.seed", 20261201L) * 31 + salt;
        Random r = new Random(seed);
        for (int s = 0; s < sequences; s++) {
            long sequenceSeed = r.nextLong();
            List<Op> ops = sequence(new Random(sequenceSeed));
            String failure = run(spec, exact, ops, sequenceSeed);
            if (failure != null) {
                List<Op> small = shrink(spec, exact, ops, sequenceSeed);
                fail(spec + ", sequence " + s + " (seed " + sequenceSeed + ") fails: " + failure
                        + "\nshrunk to " + small.size() + " ops: " + small + "\n  -> " + run(spec, exact, small, sequenceSeed));
            }
        }
    }

    static List<Op> sequence(Random r) {
        int n = 1 + r.nextInt(MAX_OPS);
        List<Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) ops.add(UpsertModel.randomOp(r));
        return ops;
    }

    /** Runs {@code ops} on a fresh index; the first mismatch with the model, or null. */
    private String run(String spec, boolean exact, List<Op> ops, long querySeed) throws IOException {
        Path dir = Files.createTempDirectory(UpsertModel.scratch(tmp), "panavec-upsert");
        UpsertModel model = new UpsertModel();
        Random queries = new Random(querySeed);
        PanavecIndex index = UpsertModel.create(dir, spec);
        try {
            for (int i = 0; i < ops.size(); i++) {
                index = UpsertModel.apply(index, ops.get(i));
                model.apply(ops.get(i));
                String m = model.mismatch(index, exact, queries);
                if (m != null) {
                    return "after op " + i + " " + ops.get(i) + ": " + m;
                }
            }
            return null;
        } finally {
            index.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Removes ops one at a time while the sequence still fails (greedy, to a local minimum). */
    private List<Op> shrink(String spec, boolean exact, List<Op> ops, long querySeed) throws IOException {
        List<Op> current = new ArrayList<>(ops);
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            for (int i = current.size() - 1; i >= 0 && current.size() > 1; i--) {
                List<Op> candidate = new ArrayList<>(current);
                candidate.remove(i);
                if (run(spec, exact, candidate, querySeed) != null) {
                    current = candidate;
                    smaller = true;
                }
            }
        }
        return current;
    }
}
