package io.panavec.bench;

import io.panavec.io.VectorFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark data set, loaded from a wordnet-minilm directory (base.fvecs, queries.fvecs,
 * queries-groundtruth.ivecs). The directory comes from the JMH parameter / system property
 * {@code panavec.data}; benchmarks never assume where it is.
 */
public final class BenchData {
    public static final String DATA_PROPERTY = "panavec.data";

    private BenchData() {}

    public static Path dir(String param) {
        String d = param != null && !param.isBlank() ? param : System.getProperty(DATA_PROPERTY);
        if (d == null || d.isBlank()) {
            throw new IllegalStateException("set the data directory with -p dataDir=<dir> or -D" + DATA_PROPERTY + "=<dir>");
        }
        Path p = Path.of(d);
        if (!Files.isRegularFile(p.resolve("base.fvecs"))) {
            throw new IllegalStateException(p + " has no base.fvecs");
        }
        return p;
    }

    public static float[][] read(Path file) {
        try (VectorFile f = VectorFile.open(file)) {
            return f.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Symmetric int8 quantization with one global scale: x → round(x * 127 / maxAbs). */
    public static byte[][] toInt8(float[][] v, float maxAbs) {
        byte[][] out = new byte[v.length][];
        float s = 127f / maxAbs;
        for (int i = 0; i < v.length; i++) {
            out[i] = new byte[v[i].length];
            for (int j = 0; j < v[i].length; j++) {
                out[i][j] = (byte) Math.max(-127, Math.min(127, Math.round(v[i][j] * s)));
            }
        }
        return out;
    }

    public static float maxAbs(float[][] v) {
        float m = 0;
        for (float[] r : v) for (float x : r) m = Math.max(m, Math.abs(x));
        return m;
    }

    public static short[][] toF16(float[][] v) {
        short[][] out = new short[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new short[v[i].length];
            for (int j = 0; j < v[i].length; j++) out[i][j] = Float.floatToFloat16(v[i][j]);
        }
        return out;
    }
}
