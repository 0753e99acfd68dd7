package io.panavec;

import io.panavec.attributes.Schema;
import io.panavec.persist.IndexDirectory;
import io.panavec.store.ElementType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** Fluent settings of a new {@link PanavecIndex} ({@link PanavecIndex#builder}). Not thread-safe. */
public final class PanavecIndexBuilder {
    private final Path dir;
    private int dimension;
    private Metric metric = Metric.COSINE;
    private IndexSpec spec = IndexSpec.hnsw(16, 100);
    private ElementType elementType = ElementType.F32;
    private int threads = Runtime.getRuntime().availableProcessors();
    private long seed = 42;
    private Schema schema = Schema.empty();

    PanavecIndexBuilder(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public PanavecIndexBuilder dimension(int d) {
        this.dimension = d;
        return this;
    }

    public PanavecIndexBuilder metric(Metric m) {
        this.metric = Objects.requireNonNull(m, "metric");
        return this;
    }

    public PanavecIndexBuilder spec(IndexSpec s) {
        this.spec = Objects.requireNonNull(s, "spec");
        return this;
    }

    public PanavecIndexBuilder spec(String s) {
        return spec(IndexSpec.parse(s));
    }

    /** How the store keeps vectors (F32 default; F16 halves the bytes, scored in float). */
    public PanavecIndexBuilder elementType(ElementType t) {
        this.elementType = Objects.requireNonNull(t, "elementType");
        return this;
    }

    /** Threads used to build (graph inserts, FAISS) and for batches. */
    public PanavecIndexBuilder threads(int t) {
        if (t <= 0) {
            throw new IllegalArgumentException("threads must be positive, was " + t);
        }
        this.threads = t;
        return this;
    }

    /** The typed attributes vectors carry (none by default). */
    public PanavecIndexBuilder schema(Schema s) {
        this.schema = Objects.requireNonNull(s, "schema");
        return this;
    }

    /** Seed of the graph's random levels. */
    public PanavecIndexBuilder seed(long s) {
        this.seed = s;
        return this;
    }

    /** Creates the index (the directory is created if needed; it must not hold an index yet) and commits it empty. */
    public PanavecIndex create() throws IOException {
        return createAt(dir);
    }

    /** What {@link #build} does to the new index before it is committed and moved into place (add, train, ...). */
    @FunctionalInterface
    public interface Filler {
        void fill(PanavecIndex index) throws IOException;
    }

    /**
     * Creates the index, fills it ({@code filler}), commits and closes it, all in a temporary sibling directory, then
     * renames that to the directory: a crash (kill -9) at any point leaves no index there (or the empty directory that
     * was there), never a part-filled one, and the next build of the directory removes the abandoned sibling. Open the
     * result with {@link PanavecIndex#open}. Returns the number of rows built.
     */
    public long build(Filler filler) throws IOException {
        Objects.requireNonNull(filler, "filler");
        long[] rows = {0};
        IndexDirectory.create(dir, building -> {
            try (PanavecIndex index = createAt(building)) {
                filler.fill(index);
                index.commit();
                rows[0] = index.rows();
            }
        });
        return rows[0];
    }

    private PanavecIndex createAt(Path dir) throws IOException {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be set to a positive value");
        }
        if (elementType == ElementType.I8) {
            throw new IllegalArgumentException("PanavecIndex takes float vectors: use F32 or F16 (int8 stores are searched with FlatIndex)");
        }
        spec.requireStoreType(elementType);
        return new PanavecIndex(IndexOpening.create(dir, spec, metric, dimension, elementType, schema, seed), threads);
    }
}
