package io.panavec.engine;

import io.panavec.internal.NativeMetric;
import io.panavec.bindings.PanavecNativeException;
import io.panavec.bindings.panavec_h;
import io.panavec.faiss.FaissHits;
import io.panavec.faiss.FaissIndex;
import io.panavec.graph.VectorView;
import io.panavec.persist.Commit;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A FAISS index (any index_factory string) over the store's rows, added in row order so FAISS ids are store
 * rows. Flat and HNSW-flat factories read the rows in place ({@link FaissIndex#overStore}: one copy of each
 * vector, the store's; the commit writes only the HNSW links, {@link ManifestKey#FAISS_LINKS}); the others
 * hold FAISS's own codes or copy, written whole ({@link ManifestKey#FAISS}), as indexes of every factory did
 * before 0.2 (such files still open, and keep their own copy). An allow-set goes to FAISS as native words; index types whose
 * search FAISS cannot restrict (SQ, PQ, LSH, ... outside IVF/HNSW/Flat) refuse it once, after which the
 * engine says so up front ({@link AllowSetRefusedException}) and the planner post-filters a widened
 * search. Thread-safe as {@link FaissIndex} is.
 */
public final class FaissEngine implements SearchEngine {
    private final FaissIndex faiss;
    private final String factory;
    private final VectorStore store;
    private volatile boolean refusesAllowSet;

    /** The engine of {@code faiss} (built from the index_factory string {@code factory}), which holds rows of {@code store}. */
    public FaissEngine(FaissIndex faiss, String factory, VectorStore store) {
        this.faiss = faiss;
        this.factory = factory;
        this.store = store;
    }

    /**
     * The FAISS file the manifest names, checked against its recorded length and checksum, then its dimension
     * and metric (the links file over the store's committed rows, or FAISS's own file), then its row count.
     */
    public static FaissEngine load(Path dir, Manifest m, VectorStore store, String factory, NativeMetric metric) throws IOException {
        FaissIndex index;
        Path file;
        if (m.has(ManifestKey.FAISS_LINKS)) {
            file = m.verifiedFile(dir, ManifestKey.FAISS_LINKS);
            index = FaissIndex.loadOverStore(file, metric, VectorView.committed(store));
        } else {
            file = m.verifiedFile(dir, ManifestKey.FAISS);
            checkDimension(file, store.dimension());
            index = FaissIndex.load(file, metric);
        }
        long rows = m.require(ManifestKey.ROWS);
        if (index.size() != rows) { // bound to the manifest's rows, not only to the file's own counts
            index.close();
            throw new IOException(file + ": the FAISS index holds " + index.size() + " vectors, the manifest names " + rows);
        }
        return new FaissEngine(index, factory, store);
    }

    /** Every FAISS index file starts with a four-character code and the dimension (int32, little-endian). */
    private static void checkDimension(Path file, int dimension) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            if (b.position() < 8 || b.getInt(4) != dimension) {
                throw new IOException(file + ": FAISS index has dimension " + (b.position() < 8 ? "?" : b.getInt(4))
                        + ", the store " + dimension);
            }
        }
    }

    @Override
    public String label() {
        return "faiss:" + factory;
    }

    @Override
    public boolean walks() {
        return true;
    }

    @Override
    public boolean excludesDeleted() {
        return false;
    }

    @Override
    public Candidates search(float[] query, int k, Effort effort, AllowSet allow, Walk walk) {
        if (allow != null && refusesAllowSet) {
            throw new AllowSetRefusedException(label() + " cannot restrict a search to allowed rows", null);
        }
        FaissHits r;
        try {
            r = allow == null ? faiss.search(query, k, effort.ef(), effort.nprobe(), MemorySegment.NULL, 0)
                    : faiss.search(query, k, effort.ef(), effort.nprobe(), allow.words(), allow.capacityBits());
        } catch (PanavecNativeException e) {
            if (allow != null && e.status() == panavec_h.PV_EUNSUPPORTED()) {
                refusesAllowSet = true;
                throw new AllowSetRefusedException(e.getMessage(), e);
            }
            throw e;
        }
        long rows = store.size();
        long[] ids = r.ids();
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= 0 && ids[i] < rows) n++;
        }
        if (n == ids.length) {
            return new Candidates(ids, r.scores(), -1, label());
        }
        long[] keep = new long[n];
        float[] scores = new float[n];
        for (int i = 0, j = 0; i < ids.length; i++) {
            if (ids[i] >= 0 && ids[i] < rows) {
                keep[j] = ids[i];
                scores[j++] = r.scores()[i];
            }
        }
        return new Candidates(keep, scores, -1, label());
    }

    @Override
    public void checkCanAdd() {
        if (!faiss.isTrained()) {
            throw new IllegalStateException("faiss:" + factory + " must be trained first: call train(sample)");
        }
    }

    @Override
    public boolean needsTraining() {
        return !faiss.isTrained();
    }

    @Override
    public void train(float[][] sample) {
        faiss.train(sample);
    }

    @Override
    public void link(VectorStore s, int threads) {
        if (!faiss.isTrained()) {
            return;
        }
        long have = faiss.size();
        long rows = store.size();
        if (have >= rows) {
            return;
        }
        if (faiss.isOverStore()) {
            faiss.addRows(VectorView.committed(store));
            return;
        }
        int dimension = store.dimension();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment batch = arena.allocate(ValueLayout.JAVA_FLOAT, (rows - have) * dimension);
            for (long r = have; r < rows; r++) {
                MemorySegment.copy(store.row(r), 0, batch, (r - have) * dimension * 4L, dimension * 4L);
            }
            if (faiss.hasIdMap()) { // FAISS ids are store rows: an id map is given them as ids
                long[] ids = new long[Math.toIntExact(rows - have)];
                for (int i = 0; i < ids.length; i++) ids[i] = have + i;
                faiss.addWithIds(batch, ids.length, ids);
            } else {
                faiss.add(batch, rows - have);
            }
        }
    }

    @Override
    public void commit(Commit commit) throws IOException {
        if (faiss.isOverStore()) {
            commit.write(ManifestKey.FAISS_LINKS, "faiss-links", "pvfl", faiss::saveLinks);
        } else {
            commit.write(ManifestKey.FAISS, "faiss", "index", faiss::save);
        }
    }

    @Override
    public void close() {
        faiss.close();
    }
}
