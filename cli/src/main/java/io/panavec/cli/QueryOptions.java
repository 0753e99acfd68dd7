package io.panavec.cli;

import io.panavec.PanavecIndex;
import io.panavec.cli.input.GroundTruth;
import io.panavec.cli.input.InputFiles;
import io.panavec.cli.input.VectorInput;
import io.panavec.filter.Filter;
import io.panavec.filter.FilterParseException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The options {@code search} and {@code bench} share: which index, which queries, their ground truth, k, threads, filter. */
final class QueryOptions {
    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index directory.")
    Path index;

    @Option(names = "--queries", required = true, paramLabel = "FILE",
            description = "Query vectors: .fvecs, .bvecs, .npy, .jsonl or an ann-benchmarks .hdf5 (its 'test' dataset).")
    Path queries;

    @Option(names = "--groundtruth", paramLabel = "FILE",
            description = "True neighbours: .ivecs, .npy (int32/int64) or .hdf5 ('neighbors'; default when --queries is an .hdf5 that has them).")
    Path groundTruth;

    @Option(names = {"-k", "--k"}, paramLabel = "K", defaultValue = "10", description = "Hits per query (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "Search threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--filter", paramLabel = "EXPR", description = "Only rows matching, e.g. \"pos = 'n' AND gloss_chars < 40\".")
    String filterText;

    @Option(names = "--warmups", paramLabel = "N", defaultValue = "1", description = "Untimed passes first (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "3",
            description = "Timed passes; the fastest is reported (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--no-verify", description = "Skip checking every vector and id against their checksums when opening "
            + "(reads the whole store once; the O(1) checks of the manifest and files always run).")
    boolean noVerify;

    /** The index, opened and (unless --no-verify) fully verified, with progress on standard error. */
    PanavecIndex open() throws IOException {
        PanavecIndex index = PanavecIndex.open(this.index, threads);
        if (!noVerify) {
            try {
                VerifyCommand.verify(index, threads);
            } catch (IOException | RuntimeException e) {
                index.close();
                throw e;
            }
        }
        return index;
    }

    void check(CommandSpec spec) {
        if (k < 1) throw new UsageException(spec, "--k must be at least 1, was " + k);
        if (threads < 1) throw new UsageException(spec, "--threads must be at least 1, was " + threads);
        if (warmups < 0) throw new UsageException(spec, "--warmups must be at least 0, was " + warmups);
        if (passes < 1) throw new UsageException(spec, "--passes must be at least 1, was " + passes);
    }

    Filter filter(CommandSpec spec) {
        if (filterText == null) return null;
        try {
            return Filter.parse(filterText);
        } catch (FilterParseException e) {
            throw new UsageException(spec, "--filter: " + e.getMessage());
        }
    }

    /** The query vectors, checked against the index's dimension. */
    float[][] readQueries(PanavecIndex idx) throws IOException {
        try (VectorInput in = VectorInput.open(queries, VectorInput.Role.QUERIES, null)) {
            if (in.dimension() != idx.dimension()) {
                throw new IOException(queries + " holds vectors of dimension " + in.dimension() + ", the index " + idx.dimension());
            }
            return in.readAll();
        }
    }

    /** The ground truth from --groundtruth, else from an .hdf5 query file that has neighbours; empty when neither. */
    Optional<long[][]> readGroundTruth() throws IOException {
        if (groundTruth != null) {
            return Optional.of(GroundTruth.read(groundTruth));
        }
        if (InputFiles.isHdf5(queries) && GroundTruth.hasNeighbors(queries)) {
            return Optional.of(GroundTruth.read(queries));
        }
        return Optional.empty();
    }

    /** The file the ground truth comes from, for messages. */
    Path groundTruthFile() {
        return groundTruth != null ? groundTruth : queries;
    }
}
