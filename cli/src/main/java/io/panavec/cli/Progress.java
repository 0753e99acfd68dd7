package io.panavec.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress of one step (adding vectors, training, a bench sweep) on standard error, with rate and ETA:
 * a redrawn bar on a terminal; when standard error is not a terminal (a log file, a pipe, CI), plain lines
 * every few seconds and a last one at the end, without carriage returns or escape codes. A step of unknown
 * length shows its elapsed time (in a log: one line when it ends). Single-threaded use.
 */
final class Progress implements AutoCloseable {
    private static final int LOG_INTERVAL_MILLIS = 5_000;
    private final ProgressBar bar;         // null: an unknown-length step written to a log
    private final LogLines log;            // null on a terminal
    private final String task;
    private final long startNanos = System.nanoTime();

    private Progress(ProgressBar bar, LogLines log, String task) {
        this.bar = bar;
        this.log = log;
        this.task = task;
    }

    /**
     * A step of {@code total} units ({@code total < 0}: unknown); {@code unit} names them ("vectors", "queries")
     * for the rate, or is null for a step that only shows its elapsed time.
     */
    static Progress start(String task, long total, String unit) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        if (!terminal && total < 0) {
            return new Progress(null, null, task);
        }
        PrintStream err = System.err;
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total);
        if (unit != null) {
            b.setUnit(" " + unit, 1).showSpeed();
        } else {
            b.hideEta();
        }
        LogLines log = null;
        if (terminal) {
            b.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(err));
        } else {
            log = new LogLines(err);
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1_000)
                    .setConsumer(new DelegatingProgressBarConsumer(log, 100));
        }
        return new Progress(b.build(), log, task);
    }

    void step(long n) {
        if (bar != null) bar.stepBy(n);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            if (log != null) log.finish();
        } else {
            System.err.printf(Locale.ROOT, "%s: done in %.1f s%n", task, (System.nanoTime() - startNanos) / 1e9);
        }
    }

    /** Renderings as log lines: at most one every {@value #LOG_INTERVAL_MILLIS} ms while running, and the last one at the end. */
    private static final class LogLines implements Consumer<String> {
        private final PrintStream out;
        private long lastPrintNanos = System.nanoTime();
        private String latest;
        private boolean latestPrinted = true;

        LogLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void accept(String line) {
            latest = line.stripTrailing();
            latestPrinted = false;
            long now = System.nanoTime();
            if (now - lastPrintNanos >= LOG_INTERVAL_MILLIS * 1_000_000L) {
                print(now);
            }
        }

        synchronized void finish() {
            if (!latestPrinted && latest != null) print(System.nanoTime());
        }

        private void print(long now) {
            out.println(latest);
            out.flush();
            latestPrinted = true;
            lastPrintNanos = now;
        }
    }
}
