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

    /** What a child killed mid-sequence acknowledged: the last {@code done <i>} it printed, and everything it printed. */
    public record Killed(int acknowledged, List<String> output) {
        /** The last lines printed, for a failure message. */
        public List<String> tail() {
            return output.subList(Math.max(0, output.size() - 20), output.size());
        }
    }

    /**
     * Runs {@code main} in a child JVM that prints {@code done <i>} after each operation it completes, and kills it
     * (SIGKILL) as soon as it has acknowledged operation {@code killAfter}, so it dies somewhere in the operations
     * after that one; returns once the child is gone.
     */
    public static Killed killAfterAcknowledged(Class<?> main, int killAfter, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(TestData.panavecJvmFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        int acknowledged = -1;
        List<String> output = new ArrayList<>();
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean killed = false;
            while ((line = r.readLine()) != null) { // after the kill: the lines the child printed before it died
                output.add(line);
                if (line.startsWith("done ")) {
                    acknowledged = Integer.parseInt(line.substring(5));
                    if (!killed && acknowledged >= killAfter) {
                        p.toHandle().destroyForcibly(); // SIGKILL, somewhere in the next operations (keeps our end of the pipe)
                        killed = true;
                    }
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child did not end after SIGKILL");
        }
        return new Killed(acknowledged, output);
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
