package io.panavec.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.PanavecIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash matrix of {@code panavec build} (issue 10): the build runs in a child JVM that halts (as kill -9 would) at the
 * N-th write, fsync, rename or log append; every point leaves either no index at DIR (nothing, or an empty
 * directory) that the same build then fills, or the whole index. Never a half-built index at DIR.
 */
class BuildCrashTest {
    @TempDir
    Path tmp;

    @Test
    void aBuildKilledAtAnyPointLeavesNoIndexOrTheWholeOneAndCanBeRunAgain() throws Exception {
        int rows = 300;
        Path in = TestFiles.fvecs(tmp.resolve("v.fvecs"), TestFiles.gaussian(rows, 8, 9));
        Path attrs = tmp.resolve("a.tsv");
        StringBuilder tsv = new StringBuilder("pos\n");
        for (int i = 0; i < rows; i++) tsv.append(i % 2 == 0 ? "n" : "v").append('\n');
        Files.writeString(attrs, tsv);
        List<String> build = List.of("build", "--input", in.toString(), "--spec", "hnsw:M=8,efc=16", "--attributes", attrs.toString(),
                "--schema", "pos:keyword", "--threads", "1");
        Child trace = child(List.of("-Dpanavec.test.crashTrace=true"), build, tmp.resolve("trace"));
        assertEquals(0, trace.code(), trace.output());
        int points = (int) trace.output().lines().filter(l -> l.startsWith("crash point ")).count();
        assertTrue(points >= 8, trace.output());
        for (int n = 1; n <= points; n += n < 4 ? 1 : 4) { // a child JVM (and a rebuild) each: a sample of the points
            Path dir = tmp.resolve("crash" + n);
            Child r = child(List.of("-Dpanavec.test.crashAt=" + n), build, dir);
            assertEquals(137, r.code(), "point " + n + ": " + r.output());
            if (Files.exists(dir.resolve("manifest.properties"))) {
                try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
                    assertEquals(rows, index.size(), "point " + n + ": a half-built index at DIR");
                }
                continue;
            }
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    assertEquals(0, s.count(), "point " + n + ": DIR holds files but no index");
                }
            }
            Child again = child(List.of(), build, dir); // the same command, run again, replaces what the crash left
            assertEquals(0, again.code(), "point " + n + ", rebuilt: " + again.output());
            try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
                assertEquals(rows, index.size(), "point " + n + ", rebuilt");
            }
            String leftover = "crash" + n + ".panavec-creating";
            try (Stream<Path> s = Files.list(tmp)) {
                List<String> left = s.map(p -> p.getFileName().toString()).filter(f -> f.contains(leftover)).toList();
                assertEquals(List.of(), left, "point " + n + ": the crashed build's temporary directory is removed by the next build");
            }
        }
    }

    record Child(int code, String output) {}

    /** {@code panavec <args> --index dir} in a child JVM with panavec's flags ({@code scripts/jvm.options}) and {@code jvmArgs}. */
    private static Child child(List<String> jvmArgs, List<String> args, Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-CreateCoredumpOnCrash"));
        cmd.add("@" + Path.of("..", "scripts", "jvm.options").toAbsolutePath()); // the flags bin/panavec runs with
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of("--index", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Child(-1, "timed out");
        }
        return new Child(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
