package io.panavec;

import java.nio.file.Path;

/**
 * Child process of {@link CrashDuringCommitTest}: creates an HNSW index (spec args[1], default hnsw:M=8,efc=32) and keeps adding deterministic
 * vectors and committing, printing "committed N" after each commit, until killed.
 */
public final class CommitLoop {
    static final int DIM = 16;

    static float[] vector(long i) {
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) v[j] = (float) Math.sin(i * 31 + j * 7);
        return v;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String spec = args.length > 1 ? args[1] : "hnsw:M=8,efc=32";
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec(spec).threads(1).create()) {
            long next = 0;
            while (true) {
                int n = 300;
                long[] ids = new long[n];
                float[][] vs = new float[n][];
                for (int i = 0; i < n; i++) {
                    ids[i] = next + i;
                    vs[i] = vector(next + i);
                }
                index.add(ids, vs);
                next += n;
                index.commit();
                System.out.println("committed " + next);
                System.out.flush();
            }
        }
    }
}
