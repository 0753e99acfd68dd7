package io.panavec.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-process main for {@link VectorStoreKillTest}: appends row i = f(i) with id g(i) in batches,
 * committing after each and printing "COMMITTED n", until it is killed. Args: file dimension batch.
 */
public final class KillTestWriter {
    private KillTestWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int dim = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        try (VectorStore s = Files.exists(file)
                ? VectorStore.open(file)
                : VectorStore.builder(file).dimension(dim).rowsPerChunk(64).create()) {
            long next = s.size();
            System.out.println("OPENED " + next);
            System.out.flush();
            // bounded so an orphaned child cannot run forever
            for (int round = 0; round < 100_000 && ProcessHandle.current().parent().isPresent(); round++) {
                for (int k = 0; k < batch; k++, next++) {
                    s.append(TestVectors.g(next), TestVectors.f(next, dim));
                }
                s.commit();
                System.out.println("COMMITTED " + s.size());
                System.out.flush();
            }
        }
    }
}
