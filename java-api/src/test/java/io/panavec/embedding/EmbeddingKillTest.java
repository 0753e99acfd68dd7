package io.panavec.embedding;

import io.panavec.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 a JVM in the middle of a sequence of batch upserts, deletes, commits and compactions
 * ({@link EmbeddingPutLoop}); the table must reopen as the heap model after the last operation the child
 * acknowledged, or after the one it was running (a batch is atomic), then keep accepting puts.
 */
class EmbeddingKillTest {
    private static final int CHILD_OPS = 2000;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"LONG, int8, 21", "STRING, lvq4, 22", "LONG, f32, 23", "STRING, f16, 24"})
    void killedAnywhereReopensWithEveryAcknowledgedPut(KeyType keys, String encoding, long seed) throws Exception {
        Random rounds = new Random(seed);
        int rounds_ = Integer.getInteger("panavec.embedding.killRounds", 1); // one kill per case keeps CI short
        for (int round = 0; round < rounds_; round++) {
            long opsSeed = rounds.nextLong();
            int killAfter = 3 + rounds.nextInt(40);
            Path dir = tmp.resolve(keys + "-" + encoding + "-" + round);
            ChildJvm.Killed child = ChildJvm.killAfterAcknowledged(EmbeddingPutLoop.class, killAfter,
                    dir.toString(), keys.name(), encoding, Long.toString(opsSeed), Integer.toString(CHILD_OPS));
            int acknowledged = child.acknowledged();
            assertTrue(acknowledged >= killAfter && acknowledged < CHILD_OPS - 1, "child was not killed mid-sequence: " + child.tail());

            Random ops = new Random(opsSeed);
            Map<Long, float[]> done = new HashMap<>();
            for (int i = 0; i <= acknowledged; i++) apply(done, EmbeddingPutLoop.batch(ops));
            Map<Long, float[]> withInFlight = new HashMap<>(done);
            apply(withInFlight, EmbeddingPutLoop.batch(ops));

            try (EmbeddingTable t = EmbeddingTable.open(dir)) {
                String before = mismatch(t, done), after = mismatch(t, withInFlight);
                assertTrue(before == null || after == null, keys + " " + encoding + " round " + round + ", killed after put " + acknowledged
                        + ":\n  as of that put: " + before + "\n  with the next: " + after);
                Map<Long, float[]> model = before == null ? done : withInFlight;
                EmbeddingPutLoop.Batch more = EmbeddingPutLoop.batch(new Random(opsSeed ^ 77));
                EmbeddingPutLoop.apply(t, more);
                apply(model, more);
                assertEquals(null, mismatch(t, model), "after recovery and one more put");
            }
        }
    }

    private static void apply(Map<Long, float[]> model, EmbeddingPutLoop.Batch b) {
        for (int i = 0; i < b.keys().length; i++) {
            if (b.vectors() == null) model.remove(b.keys()[i]);
            else model.put(b.keys()[i], b.vectors()[i]);
        }
    }

    /** Where the table differs from the model (null: nowhere): its key count and every key's vector (the codec's scalar decode of it). */
    private static String mismatch(EmbeddingTable t, Map<Long, float[]> model) {
        if (t.size() != model.size()) {
            return t.size() + " keys, the model has " + model.size();
        }
        for (long k = 0; k < 200; k++) { // every key the sequence draws: a deleted one must stay deleted
            boolean has = t.keyType() == KeyType.LONG ? t.contains(k) : t.contains("key-" + k);
            if (has != model.containsKey(k)) return "key " + k + (has ? " is in the table, deleted in the model" : " is missing");
        }
        for (Map.Entry<Long, float[]> e : model.entrySet()) {
            float[] got = t.keyType() == KeyType.LONG ? t.lookup(e.getKey()) : t.lookup("key-" + e.getKey());
            float[] want = TableOracle.scalarRoundTrip(t.codec(), e.getValue());
            for (int j = 0; j < want.length; j++) {
                if (Math.abs(want[j] - got[j]) > 2e-6 * (1 + Math.abs(want[j]))) {
                    return "key " + e.getKey() + " element " + j + ": " + got[j] + ", the model " + want[j];
                }
            }
        }
        return null;
    }
}
