package io.panavec.cli;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/** Runs the command line in-process and writes small input files, with a brute-force ground truth as the oracle. */
final class TestFiles {
    private TestFiles() {}

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static float[][] gaussian(int n, int dim, long seed) {
        Random r = new Random(seed);
        float[][] v = new float[n][dim];
        for (float[] row : v) for (int j = 0; j < dim; j++) row[j] = (float) r.nextGaussian();
        return v;
    }

    static Path fvecs(Path p, float[][] rows) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(rows.length * (4 + rows[0].length * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) {
            b.putInt(r.length);
            for (float f : r) b.putFloat(f);
        }
        return Files.write(p, b.array());
    }

    static Path ivecs(Path p, int[][] rows) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(rows.length * (4 + rows[0].length * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] r : rows) {
            b.putInt(r.length);
            for (int x : r) b.putInt(x);
        }
        return Files.write(p, b.array());
    }

    /** The exact k nearest rows of {@code base} to each query by squared L2 distance (double precision), with their distances. */
    static int[][] bruteForceL2(float[][] base, float[][] queries, int k, float[][] distancesOut) {
        int[][] out = new int[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            double[] d = new double[base.length];
            for (int i = 0; i < base.length; i++) {
                double s = 0;
                for (int j = 0; j < base[i].length; j++) {
                    double x = base[i][j] - queries[q][j];
                    s += x * x;
                }
                d[i] = s;
            }
            out[q] = IntStream.range(0, base.length).boxed().sorted(Comparator.comparingDouble(i -> d[i])).limit(k)
                    .mapToInt(Integer::intValue).toArray();
            if (distancesOut != null) {
                distancesOut[q] = new float[k];
                for (int i = 0; i < k; i++) distancesOut[q][i] = (float) Math.sqrt(d[out[q][i]]);
            }
        }
        return out;
    }

    /** An ann-benchmarks style file: train, test, neighbors, distances, and the distance attribute. */
    static Path annBenchmarksHdf5(Path p, float[][] train, float[][] test, int k, String distance) {
        float[][] distances = new float[test.length][];
        int[][] neighbors = bruteForceL2(train, test, k, distances);
        try (WritableHdfFile f = HdfFile.write(p)) {
            f.putDataset("train", train);
            f.putDataset("test", test);
            f.putDataset("neighbors", neighbors);
            f.putDataset("distances", distances);
            f.putAttribute("distance", distance);
            f.putAttribute("dimension", train[0].length);
        }
        return p;
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
