package io.panavec;

import io.panavec.io.VectorFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** The real data cut that ships in the repository (data/wordnet-minilm-10k), and random vectors. */
public final class TestData {
    private TestData() {}

    public static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("data/wordnet-minilm-10k");
            if (Files.isRegularFile(d.resolve("base.fvecs"))) {
                return d;
            }
        }
        throw new IllegalStateException("data/wordnet-minilm-10k not found above " + Path.of("").toAbsolutePath());
    }

    public static float[][] read(String name) {
        try (VectorFile f = VectorFile.open(dir().resolve(name))) {
            return f.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[][] groundTruth(String name) {
        try {
            return VectorFile.readIvecs(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[][] random(int n, int dim, long seed) {
        Random r = new Random(seed);
        float[][] v = new float[n][dim];
        for (float[] row : v) for (int j = 0; j < dim; j++) row[j] = (float) r.nextGaussian();
        return v;
    }

    /** Brute-force scores in double: the oracle. */
    public static double score(Metric m, float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0, l2 = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
            double d = (double) a[i] - b[i];
            l2 += d * d;
        }
        return switch (m) {
            case INNER_PRODUCT -> dot;
            case L2 -> l2;
            case COSINE -> na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
        };
    }

    /** Brute-force top-k rows, best first, ties by row. */
    public static int[] topK(Metric m, float[][] base, float[] q, int k) {
        double[] s = new double[base.length];
        for (int i = 0; i < base.length; i++) s[i] = score(m, q, base[i]);
        return java.util.stream.IntStream.range(0, base.length).boxed()
                .sorted((x, y) -> {
                    int c = m.higherIsBetter() ? Double.compare(s[y], s[x]) : Double.compare(s[x], s[y]);
                    return c != 0 ? c : Integer.compare(x, y);
                })
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    public static double recall(java.util.List<SearchHit> hits, int[] truth, int k) {
        java.util.Set<Long> t = new java.util.HashSet<>();
        for (int i = 0; i < k; i++) t.add((long) truth[i]);
        return hits.stream().limit(k).filter(h -> t.contains(h.id())).count() / (double) k;
    }

    /** The JVM flags this test JVM got for panavec (native access, Chronicle Map's opens), for child JVMs. */
    public static java.util.List<String> panavecJvmFlags() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--enable-native-access") || a.startsWith("--add-") || a.startsWith("-Dchronicle.") || a.startsWith("--sun-misc-"))
                .toList();
    }
}
