package io.panavec.cli;

import io.panavec.IndexSpec;
import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.io.VectorFile;
import io.panavec.store.ElementType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** {@code panavec build}: vectors file → index directory (store, index structure, manifest). */
final class BuildCommand {
    private static final int BATCH = 4096;
    private static final int TRAIN_SAMPLE = 50_000;

    private BuildCommand() {}

    static void run(Options opts) throws IOException {
        Path input = opts.path("input");
        Path dir = opts.path("index");
        Metric metric = Metric.parse(opts.string("metric", "ip"));
        ElementType type = parseType(opts.string("type", "f32"));
        IndexSpec spec = IndexSpec.parse(opts.string("spec", "flat"));
        int threads = opts.integer("threads", Runtime.getRuntime().availableProcessors(), 1);
        Path attributesFile = opts.optionalPath("attributes");
        String schemaText = opts.string("schema", null);
        Path trainQueriesFile = opts.optionalPath("train-queries");
        opts.requireAllUsed();
        if (spec.quantization() != null && spec.quantization().needsQueries() && trainQueriesFile == null) {
            throw new UsageException(spec.quantization() + " learns from queries: give --train-queries FILE");
        }
        if (schemaText != null && attributesFile == null) {
            throw new UsageException("--schema needs --attributes FILE.tsv");
        }
        AttributesTsv attributes = attributesFile == null ? null : AttributesTsv.read(attributesFile, schemaText);

        long start = System.nanoTime();
        try (VectorFile in = VectorFile.open(input);
             PanavecIndex index = PanavecIndex.builder(dir).dimension(in.dimension()).metric(metric)
                     .elementType(type).spec(spec).threads(threads)
                     .schema(attributes == null ? io.panavec.attributes.Schema.empty() : attributes.schema()).create()) {
            if (attributes != null && attributes.records().size() != in.count()) {
                throw new IOException(attributesFile + " has " + attributes.records().size() + " rows, " + input + " " + in.count() + " vectors");
            }
            if (trainQueriesFile != null) {
                try (VectorFile qf = VectorFile.open(trainQueriesFile)) {
                    index.trainQueries(qf.readAll());
                }
            }
            if (spec instanceof IndexSpec.Faiss || spec.quantization() != null) {
                // Training sample: evenly spaced rows, so sorted inputs are still covered end to end.
                int n = (int) Math.min(in.count(), TRAIN_SAMPLE);
                float[][] sample = new float[n][];
                for (int i = 0; i < n; i++) sample[i] = in.read(i * in.count() / n);
                index.train(sample);
            }
            try (Progress progress = new Progress("build", in.count())) {
                for (long first = 0; first < in.count(); first += BATCH) {
                    int n = (int) Math.min(BATCH, in.count() - first);
                    long[] ids = new long[n];
                    float[][] vs = new float[n][];
                    for (int i = 0; i < n; i++) {
                        ids[i] = first + i;
                        vs[i] = in.read(first + i);
                    }
                    index.add(ids, vs, attributes == null ? null : attributes.records().subList((int) first, (int) first + n));
                    progress.advance(n);
                }
            }
            index.commit();
            System.out.printf(Locale.ROOT, "built %s (%s, %s, %,d vectors) from %s in %.2f s%n", dir, spec.text(), metric,
                    index.rows(), input, (System.nanoTime() - start) / 1e9);
            if (attributes != null) {
                System.out.println("attributes: " + attributes.schema().text());
            }
        }
    }

    static ElementType parseType(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> ElementType.F32;
            case "f16", "float16" -> ElementType.F16;
            default -> throw new UsageException("--type must be f32 or f16, was '" + s + "'");
        };
    }
}
