package io.panavec.reliability;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.TestData;
import java.nio.file.Path;

/**
 * Child-JVM main of {@link IdMapRebuildCrashTest}: {@code build DIR} writes the template (200 ids, two upserted,
 * one deleted, committed); {@code open DIR} opens an index whose id map must be rebuilt, deletes id 7, adds id
 * 1000 and closes, printing each step after it returns. With {@code -Dpanavec.test.crashAt=N} it halts at the N-th
 * crash point (the rebuild's steps among them).
 */
public final class IdMapRebuildCrashChild {
    static final int DIM = 8;
    static final int ROWS = 200;

    static float[] vector(long id, int version) {
        return TestData.random(1, DIM, 31L * id + version)[0];
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("build")) {
            try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec("hnsw:M=8,efc=16").threads(1).create()) {
                long[] ids = new long[ROWS];
                float[][] v = new float[ROWS][];
                for (int i = 0; i < ROWS; i++) {
                    ids[i] = i;
                    v[i] = vector(i, 0);
                }
                index.add(ids, v);
                index.add(new long[] {5, 6}, new float[][] {vector(5, 1), vector(6, 1)});
                index.delete(3);
                index.commit();
            }
            return;
        }
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            System.out.println("opened");
            System.out.flush();
            index.delete(7);
            System.out.println("deleted 7");
            System.out.flush();
            index.add(1000, vector(1000, 0));
            System.out.println("added 1000");
            System.out.flush();
        }
        System.out.println("done");
    }
}
