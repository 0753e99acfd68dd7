package io.panavec.cli;

import io.panavec.PanavecIndex;
import io.panavec.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code panavec verify}: every check of {@link io.panavec.Verify#FULL}, read-only, printing what was checked. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks an index without changing it: the manifest's seal, each file against the length and checksum "
                + "the manifest recorded, the store's header against the manifest (index identity, metric, dimension, element "
                + "type, rows), every vector and id against their checksums, and the id map against the store.",
                "Prints one line per check that passed; exit code 1 naming the file at the first that fails."})
final class VerifyCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index directory.")
    Path dir;

    @Option(names = "--threads", paramLabel = "N", description = "Threads reading the store (default: the processors).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) throw new UsageException(spec, "--threads must be at least 1, was " + n);
        io.panavec.cli.input.InputFiles.requireDirectory(dir);
        try (PanavecIndex index = PanavecIndex.openReadOnly(dir)) {
            VerifyReport report = verify(index, n);
            System.out.println("index " + dir + ": " + index.spec().text() + ", " + index.metric() + ", " + index.rows() + " rows");
            for (String line : report.checked()) System.out.println("  ok  " + line);
            System.out.println("verified");
        }
        return 0;
    }

    /** Runs the full verification with a progress bar (rows of the store, then of the id map) on standard error. */
    static VerifyReport verify(PanavecIndex index, int threads) throws IOException {
        long rows = index.rows();
        try (Progress p = Progress.start("verify", 2 * rows, "rows")) {
            long[] shown = {0};
            long[] stepBase = {0};
            String[] step = {null};
            return index.verify(threads, (name, done, total) -> {
                if (!name.equals(step[0])) { // the next step starts where the previous one ended
                    if (step[0] != null) stepBase[0] = shown[0];
                    step[0] = name;
                }
                long at = stepBase[0] + done;
                if (at > shown[0]) {
                    p.step(at - shown[0]);
                    shown[0] = at;
                }
            });
        }
    }
}
