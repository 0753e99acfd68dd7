package io.panavec.cli;

import io.panavec.IndexSpec;
import io.panavec.attributes.Schema;
import io.panavec.multivector.FdeConfig;
import io.panavec.multivector.MultiVectorIndex;
import io.panavec.multivector.TokenSetFile;
import io.panavec.store.ElementType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code panavec build --multi}: token vectors + offsets → a {@link MultiVectorIndex} directory. */
final class MultiVectorBuild {
    private static final int BATCH = 1024;
    private static final int TRAIN_SAMPLE = 20_000;

    private MultiVectorBuild() {}

    static int run(Path tokens, Path offsets, Path dir, FdeConfig fde, IndexSpec spec, ElementType type, int threads,
                   AttributesTsv attributes) throws IOException {
        long start = System.nanoTime();
        try (TokenSetFile in = TokenSetFile.open(tokens, offsets)) {
            if (attributes != null && attributes.records().size() != in.size()) {
                throw new IOException("the attributes file has " + attributes.records().size() + " rows, " + offsets + " " + in.size() + " documents");
            }
            Schema schema = attributes != null ? attributes.schema() : Schema.empty();
            try (MultiVectorIndex index = MultiVectorIndex.builder(dir).dimension(in.dimension()).elementType(type).fde(fde).spec(spec)
                    .schema(schema).threads(threads).create()) {
                if (spec.takesTraining()) {
                    int n = Math.min(in.size(), TRAIN_SAMPLE);
                    float[][][] sample = new float[n][][];
                    for (int i = 0; i < n; i++) sample[i] = in.set((int) ((long) i * in.size() / n));
                    try (Progress p = Progress.start("train", -1, null)) {
                        index.train(sample);
                    }
                }
                try (Progress p = Progress.start("add + encode FDEs", in.size(), "documents")) {
                    for (int first = 0; first < in.size(); first += BATCH) {
                        int n = Math.min(BATCH, in.size() - first);
                        long[] ids = new long[n];
                        float[][][] docs = new float[n][][];
                        List<Map<String, Object>> attrs = attributes == null ? null : new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            ids[i] = first + i;
                            docs[i] = in.set(first + i);
                            if (attrs != null) attrs.add(attributes.records().get(first + i));
                        }
                        index.add(ids, docs, attrs);
                        p.step(n);
                    }
                }
                try (Progress p = Progress.start("commit", -1, null)) {
                    index.commit();
                }
                System.out.printf(Locale.ROOT, "built multi-vector index %s (%s, FDE index %s, %,d documents, %,d token vectors of dimension %d) from %s in %.2f s%n",
                        dir, fde.text(), spec.text(), index.rows(), in.tokens(), in.dimension(), tokens, (System.nanoTime() - start) / 1e9);
            }
            System.out.println("index size: " + Sizes.describeDirectory(dir));
        }
        return 0;
    }
}
