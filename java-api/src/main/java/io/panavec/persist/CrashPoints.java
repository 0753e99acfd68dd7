package io.panavec.persist;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook for the crash matrix: with {@code -Dpanavec.test.crashAt=N} the JVM halts (as kill -9 would
 * end it: no shutdown hooks, no flushing) at the N-th crash point reached, each write, fsync and rename
 * of {@link CheckedFile}, the final rename of {@link IndexDirectory#create}, log appends and truncations, and the
 * steps of an id map rebuild (every 32nd put among them) being one. Off (no cost
 * beyond a field read) unless the property is set. {@code -Dpanavec.test.crashTrace=true} prints each point.
 */
public final class CrashPoints {
    private static final int CRASH_AT = Integer.getInteger("panavec.test.crashAt", 0);
    private static final boolean TRACE = Boolean.getBoolean("panavec.test.crashTrace");
    private static final AtomicInteger REACHED = new AtomicInteger();

    private CrashPoints() {}

    /** Counts a crash point; halts the JVM with status 137 if it is the one asked for. */
    public static void reach(String what) {
        if (CRASH_AT == 0 && !TRACE) {
            return;
        }
        int n = REACHED.incrementAndGet();
        if (TRACE) {
            System.err.println("crash point " + n + ": " + what);
        }
        if (n == CRASH_AT) {
            Runtime.getRuntime().halt(137);
        }
    }
}
