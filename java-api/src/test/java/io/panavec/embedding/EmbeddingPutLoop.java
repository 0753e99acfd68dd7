package io.panavec.embedding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child JVM of {@link EmbeddingKillTest}: runs the seeded sequence of {@link #batch batches} against a table
 * (creating it on the first run), printing {@code done <i>} once operation {@code i} (a batch put, or a batch
 * delete, then maybe a commit or a compaction) has returned, until it is killed. Args: dir, keys (long|string),
 * encoding, seed, ops.
 */
public final class EmbeddingPutLoop {
    static final int DIM = 12;

    private EmbeddingPutLoop() {}

    /** Operation i of the sequence: keys drawn from a small range (so later batches replace earlier keys); vectors null: a delete. */
    record Batch(long[] keys, float[][] vectors, boolean commitAfter, boolean compactAfter) {
        String[] stringKeys() {
            String[] s = new String[keys.length];
            for (int i = 0; i < keys.length; i++) s[i] = "key-" + keys[i];
            return s;
        }
    }

    static Batch batch(Random r) {
        boolean delete = r.nextInt(4) == 0;
        int n = 1 + r.nextInt(delete ? 10 : 30);
        long[] keys = new long[n];
        float[][] vs = delete ? null : new float[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = r.nextInt(200);
            if (!delete) vs[i] = TableOracle.gaussian(r, DIM, 0f);
        }
        return new Batch(keys, vs, r.nextInt(8) == 0, r.nextInt(25) == 0);
    }

    /** Applies one operation to a table. */
    static void apply(EmbeddingTable t, Batch b) throws java.io.IOException {
        boolean longs = t.keyType() == KeyType.LONG;
        if (b.vectors() == null) {
            if (longs) t.delete(b.keys()); else t.delete(b.stringKeys());
        } else {
            if (longs) t.putAll(b.keys(), b.vectors()); else t.putAll(b.stringKeys(), b.vectors());
        }
        if (b.commitAfter()) t.commit();
        if (b.compactAfter()) t.compact();
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
                apply(t, batch(r));
                System.out.println("done " + i);
                System.out.flush();
            }
        }
    }
}
