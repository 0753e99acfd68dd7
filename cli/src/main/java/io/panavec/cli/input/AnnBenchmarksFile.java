package io.panavec.cli.input;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.panavec.Metric;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The layout of an ann-benchmarks HDF5 file: datasets {@code train} (base vectors), {@code test} (queries),
 * {@code neighbors} (the true nearest train rows of each query) and {@code distances}, and a file attribute
 * {@code distance} naming the metric ({@code angular}, {@code euclidean}, {@code dot}).
 */
final class AnnBenchmarksFile {
    static final String TRAIN = "train", TEST = "test", NEIGHBORS = "neighbors";

    private AnnBenchmarksFile() {}

    static HdfFile open(Path path) throws IOException {
        InputFiles.requireFile(path);
        try {
            return new HdfFile(path);
        } catch (RuntimeException e) {
            throw new IOException(path + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
    }

    /** The 2-D dataset {@code name}, or an error listing what the file has. */
    static Dataset dataset(HdfFile file, Path path, String name) throws IOException {
        Node node = file.getChildren().get(name);
        if (!(node instanceof Dataset d)) {
            throw new IOException(path + " has no '" + name + "' dataset (it has " + file.getChildren().keySet()
                    + "; ann-benchmarks files have train, test, neighbors, distances)");
        }
        int[] dims = d.getDimensions();
        if (dims.length != 2 || dims[1] <= 0) {
            throw new IOException(path + ": dataset '" + name + "' has shape " + java.util.Arrays.toString(dims) + ", expected (rows, columns)");
        }
        return d;
    }

    /** ann-benchmarks' {@code distance} attribute as a panavec metric; empty when absent. */
    static Optional<Metric> metric(HdfFile file, Path path) throws IOException {
        Attribute a = file.getAttribute("distance");
        if (a == null) {
            return Optional.empty();
        }
        Object v = a.getData();
        String s = String.valueOf(v instanceof String[] arr && arr.length == 1 ? arr[0] : v).toLowerCase(Locale.ROOT);
        return Optional.of(switch (s) {
            case "angular", "cosine" -> Metric.COSINE;
            case "euclidean", "l2" -> Metric.L2;
            case "dot", "ip", "inner_product" -> Metric.INNER_PRODUCT;
            default -> throw new IOException(path + ": distance '" + s + "' is not supported (angular, euclidean, dot)");
        });
    }
}
