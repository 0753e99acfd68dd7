package io.panavec.cli;

import io.panavec.IndexSpec;
import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.cli.input.InputFiles;
import io.panavec.cli.input.VectorInput;
import io.panavec.attributes.Schema;
import io.panavec.store.ElementType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code panavec build}: a vectors file → an index directory (store, index structure, manifest). */
@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Creates an index directory from a vectors file.", "",
                "Inputs: .fvecs, .bvecs, .npy (float32/float16/float64), an ann-benchmarks .hdf5 (its 'train' dataset; "
                        + "its 'distance' attribute sets the metric) or .jsonl ({\"id\":..,\"vector\":[..],\"attributes\":{..}} per line).", ""})
final class BuildCommand implements Callable<Integer> {
    private static final int BATCH = 4096;
    private static final int TRAIN_SAMPLE = 50_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "The vectors to index.")
    Path input;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index directory to create.")
    Path dir;

    @Option(names = "--metric", paramLabel = "ip|l2|cosine",
            description = "Similarity (default: the HDF5 file's distance, else ip).")
    String metric;

    @Option(names = "--spec", paramLabel = "SPEC", defaultValue = "flat",
            description = "Index structure (default: ${DEFAULT-VALUE}): flat, hnsw:M=16,efc=100, faiss:<factory>[,efc=N] "
                    + "(efc: the build beam of a FAISS HNSW factory, FAISS's default 40), or quantized: "
                    + "flat:quant=sq8, hnsw:M=16,efc=100,quant=lvq4x8 (methods: sq4 sq8 lvq4 lvq8 lvq4x4 lvq4x8 lvq8x8 binary "
                    + "leanvec-id.<d>.lvq<B> leanvec-ood.<d>.lvq<B>).")
    String specText;

    @Option(names = "--type", paramLabel = "f32|f16", defaultValue = "f32", description = "Element type of the store (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--threads", paramLabel = "N", description = "Build threads (default: the number of CPUs).")
    Integer threads;

    @Option(names = "--attributes", paramLabel = "FILE.tsv",
            description = "Per-vector attributes: a TSV with a header, line i+1 = vector i (types inferred unless --schema).")
    Path attributesFile;

    @Option(names = "--schema", paramLabel = "name:type,...",
            description = "Attribute types (int, long, float, double, boolean, keyword, keywords) for --attributes or .jsonl input.")
    String schemaText;

    @Option(names = "--train-queries", paramLabel = "FILE", description = "A query sample, for quant=leanvec-ood.<d>.lvq<B>.")
    Path trainQueriesFile;

    @Option(names = "--multi", description = "Multi-vector documents (MUVERA): --input holds every document's token vectors (.fvecs/.npy), "
            + "--offsets where each document's tokens start; --spec is the index over their FDEs.")
    boolean multi;

    @Option(names = "--offsets", paramLabel = "FILE.ivecs", description = "With --multi: n + 1 offsets, document i = token rows offsets[i] .. offsets[i+1]-1.")
    Path offsetsFile;

    @Option(names = "--fde", paramLabel = "CONFIG", defaultValue = "fde:r=20,k=3,d=32,final=2048",
            description = "With --multi: the FDE (default: ${DEFAULT-VALUE}; keys r, k, d, final, fill, norm, proj, seed).")
    String fdeText;

    @Override
    public Integer call() throws IOException {
        IndexSpec indexSpec = parse(() -> IndexSpec.parse(specText), "--spec");
        ElementType elementType = parse(() -> parseType(type), "--type");
        int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (threadCount < 1) throw new UsageException(spec, "--threads must be at least 1, was " + threadCount);
        if (indexSpec.learnsFromQueries() && trainQueriesFile == null) {
            throw new UsageException(spec, indexSpec.quantization() + " learns from queries: give --train-queries FILE");
        }
        if (multi) {
            if (offsetsFile == null) throw new UsageException(spec, "--multi needs --offsets FILE.ivecs");
            return MultiVectorBuild.run(input, offsetsFile, dir, parse(() -> io.panavec.multivector.FdeConfig.parse(fdeText), "--fde"), indexSpec,
                    elementType, threadCount, attributesFile == null ? null : AttributesTsv.read(attributesFile, schemaText));
        }
        if (offsetsFile != null) throw new UsageException(spec, "--offsets is for --multi");
        if (schemaText != null && attributesFile == null && !InputFiles.isJsonLines(input)) {
            throw new UsageException(spec, "--schema needs --attributes FILE.tsv or a .jsonl input");
        }
        AttributesTsv attributes = attributesFile == null ? null : AttributesTsv.read(attributesFile, schemaText);

        long start = System.nanoTime();
        try (VectorInput in = VectorInput.open(input, VectorInput.Role.BASE, attributesFile == null ? schemaText : null)) {
            if (in.count() == 0) {
                throw new IOException(input + " holds no vectors");
            }
            if (attributes != null && !in.schema().isEmpty()) {
                throw new UsageException(spec, input + " carries attributes already; --attributes is for inputs without them");
            }
            if (attributes != null && attributes.records().size() != in.count()) {
                throw new IOException(attributesFile + " has " + attributes.records().size() + " rows, " + input + " " + in.count() + " vectors");
            }
            Metric m = metric != null ? parse(() -> Metric.parse(metric), "--metric") : in.metric().orElse(Metric.INNER_PRODUCT);
            Schema schema = attributes != null ? attributes.schema() : in.schema();
            // Built whole in a temporary sibling and renamed into place (PanavecIndexBuilder.build): a build killed half-way
            // leaves no index at DIR (only the sibling, which the next build of DIR removes), so it is simply run again.
            long rows = PanavecIndex.builder(dir).dimension(in.dimension()).metric(m).elementType(elementType).spec(indexSpec)
                    .threads(threadCount).schema(schema).build(index -> {
                        train(index, indexSpec, in);
                        add(index, in, attributes);
                        try (Progress p = Progress.start("commit", -1, null)) {
                            index.commit(); // here, to show its progress; build's own commit then finds the files written
                        }
                    });
            System.out.printf(Locale.ROOT, "built %s (%s, %s, %,d vectors of dimension %d) from %s in %.2f s%n", dir, indexSpec.text(), m,
                    rows, in.dimension(), input, (System.nanoTime() - start) / 1e9);
            if (!schema.isEmpty()) {
                System.out.println("attributes: " + schema.text());
            }
            System.out.println("index size: " + Sizes.describeDirectory(dir));
        }
        return 0;
    }

    private void train(PanavecIndex index, IndexSpec indexSpec, VectorInput in) throws IOException {
        if (trainQueriesFile != null) {
            try (VectorInput q = VectorInput.open(trainQueriesFile, VectorInput.Role.QUERIES, null);
                 Progress p = Progress.start("train on queries", -1, null)) {
                index.trainQueries(q.readAll());
            }
        }
        if (indexSpec.takesTraining()) {
            // Training sample: evenly spaced rows, so sorted inputs are still covered end to end.
            int n = (int) Math.min(in.count(), TRAIN_SAMPLE);
            float[][] sample = new float[n][];
            try (Progress p = Progress.start("read sample", n, "vectors")) {
                for (int i = 0; i < n; i++) {
                    sample[i] = in.read(i * in.count() / n);
                    if ((i & 1023) == 1023) p.step(1024);
                }
                p.step(n & 1023);
            }
            try (Progress p = Progress.start("train", -1, null)) {
                index.train(sample);
            }
        }
    }

    private static void add(PanavecIndex index, VectorInput in, AttributesTsv tsv) throws IOException {
        boolean attributed = tsv != null || !in.schema().isEmpty();
        try (Progress progress = Progress.start(index.spec().quantization() != null ? "add + encode" : "add", in.count(), "vectors")) {
            for (long first = 0; first < in.count(); first += BATCH) {
                int n = (int) Math.min(BATCH, in.count() - first);
                long[] ids = new long[n];
                float[][] vs = in.read(first, n);
                List<Map<String, Object>> attrs = attributed ? new ArrayList<>(n) : null;
                for (int i = 0; i < n; i++) {
                    ids[i] = in.id(first + i);
                    if (attrs != null) attrs.add(tsv != null ? tsv.records().get((int) (first + i)) : in.attributes(first + i));
                }
                index.add(ids, vs, attrs);
                progress.step(n);
            }
        }
    }

    static ElementType parseType(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> ElementType.F32;
            case "f16", "float16" -> ElementType.F16;
            default -> throw new IllegalArgumentException("expected f32 or f16, was '" + s + "'");
        };
    }

    /** A value that does not parse is a usage error naming the option. */
    private <T> T parse(java.util.function.Supplier<T> parser, String option) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(spec, option + ": " + e.getMessage());
        }
    }
}
