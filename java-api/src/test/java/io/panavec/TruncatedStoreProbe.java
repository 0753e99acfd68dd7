package io.panavec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-JVM main for {@link TruncatedStoreTest}: opens an index of the spec given, has another process
 * ({@code truncate}) cut its store file to half while it is mapped, then searches it, printing
 * "refused: ..." or "answered" (SIGBUS, before the fix, ended this JVM instead).
 */
public final class TruncatedStoreProbe {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("truncated").resolve("index");
        float[][] v = TestData.random(2000, 32, 3);
        long[] ids = new long[v.length];
        for (int i = 0; i < ids.length; i++) ids[i] = i;
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(32).metric(Metric.L2).spec(args[0]).threads(1).create()) {
            index.add(ids, v);
            index.commit();
            Path store = dir.resolve("vectors.pvs");
            long half = Files.size(store) / 2;
            Process p = new ProcessBuilder("truncate", "-s", Long.toString(half), store.toString()).inheritIO().start();
            if (p.waitFor() != 0) throw new IllegalStateException("truncate failed");
            for (int i = 0; i < 3; i++) {
                try {
                    index.search(SearchRequest.of(v[i * 700], 5));
                    System.out.println("answered");
                } catch (RuntimeException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            }
        } catch (Exception e) {
            System.out.println("close failed: " + e);
        }
        System.out.println("done");
    }
}
