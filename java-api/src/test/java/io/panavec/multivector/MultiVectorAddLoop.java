package io.panavec.multivector;

import java.nio.file.Path;

/**
 * Child process of {@link MultiVectorKillTest}: creates a multi-vector index and keeps adding batches of
 * deterministic token sets (committing every other batch), printing "added N" after each add returns, until killed.
 */
public final class MultiVectorAddLoop {
    static final int DIM = 24;

    /** Tokens of document i: 1 + i % 7 deterministic vectors. */
    static float[][] document(long i) {
        float[][] t = new float[1 + (int) (i % 7)][DIM];
        for (int j = 0; j < t.length; j++) {
            for (int d = 0; d < DIM; d++) t[j][d] = (float) Math.sin(i * 31 + j * 17 + d * 7);
        }
        return t;
    }

    public static void main(String[] args) throws Exception {
        try (MultiVectorIndex index = MultiVectorIndex.builder(Path.of(args[0])).dimension(DIM).fde(FdeConfig.of(4, 3, 8))
                .spec("hnsw:M=8,efc=32").threads(1).create()) {
            long next = 0;
            for (int round = 0; ; round++) {
                int n = 50;
                long[] ids = new long[n];
                float[][][] docs = new float[n][][];
                for (int i = 0; i < n; i++) {
                    ids[i] = next + i;
                    docs[i] = document(next + i);
                }
                index.add(ids, docs, null);
                next += n;
                if (round % 2 == 1) index.commit();
                System.out.println("added " + next);
                System.out.flush();
            }
        }
    }
}
