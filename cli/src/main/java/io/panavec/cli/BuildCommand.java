package io.panavec.cli;

import io.panavec.Manifest;
import io.panavec.Metric;
import io.panavec.io.VectorFile;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** {@code panavec build}: vectors file → index directory (store + manifest). */
final class BuildCommand {
    static final String STORE_FILE = "vectors.pvs";
    private static final int COMMIT_EVERY = 8192;

    private BuildCommand() {}

    static void run(Options opts) throws IOException {
        Path input = opts.path("input");
        Path dir = opts.path("index");
        Metric metric = Metric.parse(opts.string("metric", "ip"));
        ElementType type = parseType(opts.string("type", "f32"));
        opts.requireAllUsed();

        if (Files.exists(dir.resolve(Manifest.FILE_NAME))) {
            throw new IOException(dir + " already holds an index; choose another directory or delete it");
        }
        Files.createDirectories(dir);
        long start = System.nanoTime();
        try (VectorFile in = VectorFile.open(input);
             VectorStore store = VectorStore.builder(dir.resolve(STORE_FILE))
                     .dimension(in.dimension()).elementType(type).create();
             Progress progress = new Progress("build", in.count())) {
            float[] v = new float[in.dimension()];
            byte[] b = type == ElementType.I8 ? new byte[in.dimension()] : null;
            for (long i = 0; i < in.count(); i++) {
                in.read(i, v);
                if (b != null) {
                    toInt8(v, b, i, input);
                    store.append(b);
                } else {
                    store.append(v);
                }
                if ((i + 1) % COMMIT_EVERY == 0) {
                    store.commit();
                }
                progress.advance(1);
            }
            store.commit();
        }
        new Manifest(Map.of(
                "index.kind", "flat",
                "metric", metric.name(),
                "store.file", STORE_FILE,
                "source", input.getFileName().toString()))
                .write(dir);
        System.out.printf(Locale.ROOT, "built %s from %s in %.2f s%n", dir, input, (System.nanoTime() - start) / 1e9);
    }

    static ElementType parseType(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> ElementType.F32;
            case "f16", "float16" -> ElementType.F16;
            case "i8", "int8" -> ElementType.I8;
            default -> throw new UsageException("--type must be f32, f16 or i8, was '" + s + "'");
        };
    }

    /** int8 stores take integral inputs in [-128, 127] only: anything else would be silently changed. */
    private static void toInt8(float[] v, byte[] out, long row, Path input) throws IOException {
        for (int j = 0; j < v.length; j++) {
            float x = v[j];
            if (x != Math.rint(x) || x < -128 || x > 127) {
                throw new IOException(input + ": row " + row + " element " + j + " is " + x
                        + ", which int8 cannot hold exactly; use --type f16 or f32");
            }
            out[j] = (byte) x;
        }
    }
}
