package io.panavec.embedding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child JVM of {@link EmbeddingKillTest}: runs the seeded sequence of {@link #batch batches} against a table
 * (creating it on the first run), printing {@code done <i>} once put {@code i} has returned, and committing now
 * and then, until it is killed. Args: dir, keys (long|string), encoding, seed, ops.
 */
public final class EmbeddingPutLoop {
    static final int DIM = 12;

    private EmbeddingPutLoop() {}

    /** Batch i of the sequence: keys drawn from a small range (so later batches replace earlier keys). */
    record Batch(long[] keys, float[][] vectors, boolean commitAfter) {
        String[] stringKeys() {
            String[] s = new String[keys.length];
            for (int i = 0; i < keys.length; i++) s[i] = "key-" + keys[i];
            return s;
        }
    }

    static Batch batch(Random r) {
        int n = 1 + r.nextInt(30);
        long[] keys = new long[n];
        float[][] vs = new float[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = r.nextInt(200);
            vs[i] = TableOracle.gaussian(r, DIM, 0f);
        }
        return new Batch(keys, vs, r.nextInt(8) == 0);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        KeyType keys = KeyType.valueOf(args[1]);
        RowEncoding encoding = RowEncoding.parse(args[2]);
        Random r = new Random(Long.parseLong(args[3]));
        int ops = Integer.parseInt(args[4]);
        try (EmbeddingTable t = Files.exists(dir.resolve("manifest.properties")) ? EmbeddingTable.open(dir)
                : EmbeddingTable.builder(dir).dimension(DIM).encoding(encoding).keys(keys).rowsPerChunk(64).create()) {
            for (int i = 0; i < ops; i++) {
                Batch b = batch(r);
                if (keys == KeyType.LONG) t.putAll(b.keys(), b.vectors()); else t.putAll(b.stringKeys(), b.vectors());
                if (b.commitAfter()) t.commit();
                System.out.println("done " + i);
                System.out.flush();
            }
        }
    }
}
