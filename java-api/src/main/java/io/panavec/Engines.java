package io.panavec;

import io.panavec.engine.FaissEngine;
import io.panavec.engine.FlatEngine;
import io.panavec.engine.HnswEngine;
import io.panavec.engine.QuantizedEngine;
import io.panavec.engine.SearchEngine;
import io.panavec.faiss.FactoryString;
import io.panavec.faiss.FaissIndex;
import io.panavec.graph.HnswGraph;
import io.panavec.internal.Closeables;
import io.panavec.internal.NativeMetric;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The engine an {@link IndexSpec} names: built new, or opened from the files a manifest names. Beside the
 * spec it reads, the one place outside {@code engine/} (and its planner) that knows which engines exist;
 * the engines themselves know nothing of specs, so {@code engine/} does not depend on this package.
 */
final class Engines {
    private Engines() {}

    /** Opens or creates the store once the spec has been checked by building its native structure. */
    @FunctionalInterface
    interface StoreOpener {
        VectorStore open() throws IOException;
    }

    /**
     * A new, empty engine of {@code spec} (cosine already mapped to inner product): its native structure is
     * built first, so a bad spec fails before {@code storeOpener} creates any file.
     */
    static SearchEngine create(IndexSpec spec, int dimension, NativeMetric metric, long seed, StoreOpener storeOpener) throws IOException {
        AutoCloseable nativePart = null;
        try {
            HnswGraph graph = null;
            FaissIndex faiss = null;
            if (spec.structure() instanceof IndexSpec.Hnsw h) {
                nativePart = graph = HnswGraph.create(dimension, metric, h.m(), h.efConstruction(), seed);
            } else if (spec instanceof IndexSpec.Faiss f) {
                FactoryString.check(f.factory(), dimension);
                int storeRowsM = FactoryString.storeRowsHnswM(f.factory()); // flat / HNSW,Flat: FAISS reads the store's rows
                nativePart = faiss = storeRowsM >= 0 ? FaissIndex.overStore(dimension, metric, storeRowsM)
                        : FaissIndex.create(dimension, f.factory(), metric);
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
            return spec.quantization() == null ? inner : QuantizedEngine.create(inner, spec.quantization(), store, metric);
        } catch (IOException | RuntimeException e) {
            Closeables.closeAll(e, nativePart);
            throw e;
        }
    }

    /** The engine of {@code spec} from the files {@code m} names in {@code dir}, over {@code store} (holding at least {@code rows}). */
    static SearchEngine open(IndexSpec spec, Path dir, Manifest m, VectorStore store, NativeMetric metric, long rows) throws IOException {
        SearchEngine inner;
        if (spec.structure() instanceof IndexSpec.Hnsw) {
            inner = HnswEngine.load(store, m.verifiedFile(dir, ManifestKey.GRAPH), metric);
        } else if (spec instanceof IndexSpec.Faiss f) {
            inner = FaissEngine.load(dir, m, store, f.factory(), metric);
        } else {
            inner = new FlatEngine(store, metric);
        }
        if (spec.quantization() == null) {
            return inner;
        }
        // codes of the manifest's rows; rows committed later are encoded by link
        Path codes;
        try {
            codes = m.has(ManifestKey.CODES) ? m.verifiedFile(dir, ManifestKey.CODES) : null;
        } catch (IOException | RuntimeException e) {
            Closeables.closeAll(e, inner);
            throw e;
        }
        return QuantizedEngine.open(inner, codes, spec.quantization(), store, metric, rows);
    }
}
