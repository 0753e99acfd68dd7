package io.panavec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class of the test class path in a child JVM with panavec's flags, so that a reproduction
 * that crashes (SIGSEGV, SIGBUS, abort) or hangs takes the child down, never the test JVM.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** Exit code (-1: killed at the time-out), everything printed, and whether it timed out. */
    public record Result(int exitCode, String output, boolean timedOut) {
        /** Whether the JVM died of a signal or fatal error rather than exiting on its own. */
        public boolean crashed() {
            return timedOut || exitCode >= 128 || output.contains("A fatal error has been detected");
        }

        @Override
        public String toString() {
            return "exit " + exitCode + (timedOut ? " (timed out)" : "") + ":\n" + output;
        }
    }

    public static Result run(Class<?> main, Duration timeout, List<String> jvmArgs, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=/dev/null"));
        cmd.addAll(TestData.panavecJvmFlags());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread pump = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            pump.join(10_000);
            String text;
            synchronized (out) {
                text = out.toString(StandardCharsets.UTF_8);
            }
            return new Result(done ? p.exitValue() : -1, text, !done);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Result run(Class<?> main, Duration timeout, String... args) {
        return run(main, timeout, List.of(), args);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the child died: what it printed so far is kept
        }
    }
}
