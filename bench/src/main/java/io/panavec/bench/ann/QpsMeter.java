package io.panavec.bench.ann;

import java.io.IOException;
import java.util.Arrays;

/**
 * Measures one engine at one effort on one query set, single-threaded, on the calling thread: a warm-up
 * pass, then {@code timedPasses} timed passes (wall clock, {@link System#nanoTime}); QPS is their median,
 * recall is the mean recall@k of the last pass. Stateless apart from a checksum that keeps the JIT from
 * discarding results. Not thread-safe.
 */
public final class QpsMeter {
    private final int k;
    private final int timedPasses;
    private long checksum;

    public QpsMeter(int k, int timedPasses) {
        if (timedPasses < 1) throw new IllegalArgumentException("timedPasses must be >= 1");
        this.k = k;
        this.timedPasses = timedPasses;
    }

    public CurvePoint measure(AnnEngine engine, QuerySet set, int effort) throws IOException {
        int[][] found = pass(engine, set, effort); // warm-up
        double[] qps = new double[timedPasses];
        for (int p = 0; p < timedPasses; p++) {
            long t0 = System.nanoTime();
            found = pass(engine, set, effort);
            long ns = System.nanoTime() - t0;
            qps[p] = set.size() / (ns / 1e9);
        }
        Arrays.sort(qps);
        return new CurvePoint(effort, Recall.mean(k, found, set.groundTruth()), qps[timedPasses / 2]);
    }

    /** Runs every query once at {@code effort}; public so callers can warm engines up. */
    public int[][] pass(AnnEngine engine, QuerySet set, int effort) throws IOException {
        int[][] found = new int[set.size()][];
        for (int q = 0; q < found.length; q++) {
            found[q] = engine.search(set.queries()[q], k, effort);
            checksum += found[q].length == 0 ? -1 : found[q][0];
        }
        return found;
    }

    /** Sum of the first ids returned so far (printed so that no search is dead code). */
    public long checksum() {
        return checksum;
    }
}
