package io.panavec.cli;

import java.io.PrintStream;

/** A progress bar on standard error, redrawn at most every 200 ms. Single-threaded use. */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;
    private final PrintStream out = System.err;
    private final String label;
    private final long total;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private long done;

    Progress(String label, long total) {
        this.label = label;
        this.total = Math.max(total, 1);
    }

    void advance(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastDraw > 200_000_000L || done >= total) {
            lastDraw = now;
            draw();
        }
    }

    private void draw() {
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        double secs = (System.nanoTime() - startNanos) / 1e9;
        out.printf("\r%s [%s%s] %3d%% %,d/%,d %.1fs", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                100 * Math.min(done, total) / total, done, total, secs);
        out.flush();
    }

    @Override
    public void close() {
        draw();
        out.println();
    }
}
