package io.panavec.engine;

import io.panavec.IndexSpec;
import io.panavec.Metric;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Path;

/** The engine an {@link IndexSpec} names: built new, or opened from the files a manifest names. The one place outside the planner that knows which engines exist. */
public final class Engines {
    private Engines() {}

    /** Opens or creates the store once the spec has been checked by building its native structure. */
    @FunctionalInterface
    public interface StoreOpener {
        VectorStore open() throws IOException;
    }

    /**
     * A new, empty engine of {@code spec} (cosine already mapped to inner product): its native structure is
     * built first, so a bad spec fails before {@code storeOpener} creates any file.
     */
    public static SearchEngine create(IndexSpec spec, int dimension, Metric metric, long seed, StoreOpener storeOpener) throws IOException {
        AutoCloseable nativePart = null;
        try {
            io.panavec.graph.HnswGraph graph = null;
            io.panavec.faiss.FaissIndex faiss = null;
            if (spec.structure() instanceof IndexSpec.Hnsw h) {
                nativePart = graph = io.panavec.graph.HnswGraph.create(dimension, metric, h.m(), h.efConstruction(), seed);
            } else if (spec instanceof IndexSpec.Faiss f) {
                nativePart = faiss = io.panavec.faiss.FaissIndex.create(dimension, f.factory(), metric);
                if (f.efConstruction() > 0) {
                    if (!faiss.isHnsw()) {
                        throw new IllegalArgumentException("efc applies to FAISS HNSW factories (HNSW<M>[,...]), not '" + f.factory() + "'");
                    }
                    faiss.setEfConstruction(f.efConstruction());
                }
            }
            VectorStore store = storeOpener.open();
            SearchEngine inner = graph != null ? new HnswEngine(store, graph)
                    : faiss != null ? new FaissEngine(faiss, ((IndexSpec.Faiss) spec).factory(), store)
                    : new FlatEngine(store, metric);
            return spec.quantization() == null ? inner
                    : new QuantizedEngine(inner, new QuantizedCodes(spec.quantization(), metric, dimension), store, metric);
        } catch (IOException | RuntimeException e) {
            closeQuietly(nativePart, e);
            throw e;
        }
    }

    /** The engine of {@code spec} from the files {@code m} names in {@code dir}, over {@code store} (holding at least {@code rows}). */
    public static SearchEngine open(IndexSpec spec, Path dir, Manifest m, VectorStore store, Metric metric, long rows) throws IOException {
        QuantizedCodes codes = null;
        if (spec.quantization() != null) { // codes of the manifest's rows; rows committed later are encoded by link
            codes = m.has(ManifestKey.CODES)
                    ? QuantizedCodes.load(m.verifiedFile(dir, ManifestKey.CODES), spec.quantization(), metric, store.dimension(), rows)
                    : new QuantizedCodes(spec.quantization(), metric, store.dimension());
        }
        SearchEngine inner;
        if (spec.structure() instanceof IndexSpec.Hnsw) {
            inner = HnswEngine.load(store, m.verifiedFile(dir, ManifestKey.GRAPH), metric);
        } else if (spec instanceof IndexSpec.Faiss f) {
            inner = FaissEngine.load(dir, m, store, f.factory(), metric);
        } else {
            inner = new FlatEngine(store, metric);
        }
        return codes == null ? inner : new QuantizedEngine(inner, codes, store, metric);
    }

    private static void closeQuietly(AutoCloseable c, Exception cause) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
