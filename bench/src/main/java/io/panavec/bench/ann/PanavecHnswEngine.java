package io.panavec.bench.ann;

import io.panavec.bench.TempDirs;

import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * panavec's HNSW graph through the public {@link PanavecIndex} (memory-mapped F32 store + native graph),
 * inner product, efSearch as the effort knob. The index lives in a temporary directory deleted on close.
 *
 * <p>Thread safety: as {@link AnnEngine}.
 */
public final class PanavecHnswEngine implements AnnEngine {
    /** Vectors per {@link PanavecIndex#add} call: each call commits the store once. */
    private static final int ADD_BATCH = 8192;
    /** Re-rank depth over efSearch for the quantized graphs ({@code -Dann.rerank}, default 1: the beam). */
    private static final double RERANK_FACTOR = Double.parseDouble(System.getProperty("ann.rerank", "1"));

    private final int m;
    private final int efConstruction;
    private final String quant; // null: the float32 graph; else a QuantSpec such as "lvq4x8"
    private final float[][] trainQueries; // LeanVec-OOD's query sample (disjoint from every measured query), or null
    private Path dir;
    private PanavecIndex index;

    public PanavecHnswEngine(int m, int efConstruction) {
        this(m, efConstruction, null);
    }

    /** The graph walked on {@code quant} codes, the whole beam re-ranked. */
    public PanavecHnswEngine(int m, int efConstruction, String quant) {
        this(m, efConstruction, quant, null);
    }

    /** As {@link #PanavecHnswEngine(int, int, String)}; {@code trainQueries}: the query sample LeanVec-OOD learns from. */
    public PanavecHnswEngine(int m, int efConstruction, String quant, float[][] trainQueries) {
        this.m = m;
        this.efConstruction = efConstruction;
        this.quant = quant;
        this.trainQueries = trainQueries;
    }

    @Override
    public String name() {
        return "panavec-hnsw" + (quant == null ? "" : "-" + quant) + " M=" + m + " efc=" + efConstruction;
    }

    @Override
    public String effortName() {
        return "efSearch";
    }

    @Override
    public double build(float[][] base, int threads) throws IOException {
        dir = Files.createTempDirectory("annbench-panavec");
        long t0 = System.nanoTime();
        index = PanavecIndex.builder(dir.resolve("index"))
                .dimension(base[0].length)
                .metric(AnnMetric.RUN.panavec())
                .spec("hnsw:M=" + m + ",efc=" + efConstruction + (quant == null ? "" : ",quant=" + quant))
                .threads(threads)
                .create();
        if (quant != null && quant.startsWith("leanvec-ood")) {
            if (trainQueries == null) {
                throw new IllegalArgumentException(quant + " learns from queries: give AnnReport -Dann.trainQueries=SET:N");
            }
            index.trainQueries(trainQueries);
        }
        for (int from = 0; from < base.length; from += ADD_BATCH) {
            int to = Math.min(base.length, from + ADD_BATCH);
            long[] ids = new long[to - from];
            for (int i = 0; i < ids.length; i++) ids[i] = from + i;
            index.add(ids, Arrays.copyOfRange(base, from, to));
        }
        index.commit();
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public double bytesPerVector() throws IOException {
        if (quant != null) {
            return index.codeBytesPerVector() + index.graphBytes() / (double) index.rows();
        }
        long rowBytes = (long) index.dimension() * Float.BYTES + Long.BYTES; // f32 vector + external id
        return (index.rows() * rowBytes + index.graphBytes()) / (double) index.rows();
    }

    @Override
    public String bytesNote() {
        if (quant != null) {
            return "codes in RAM (" + quant + (quant.contains("x") ? ", both levels" : "") + ") + native graph memory; the f32 store stays on disk, memory-mapped, "
                    + (quant.contains("x") ? "untouched by these searches" : "read only for the re-ranked candidates");
        }
        return "store rows (f32 vector + 8-byte id; memory-mapped, the file itself grows in preallocated chunks) + native graph memory";
    }

    @Override
    public int[] search(float[] query, int k, int effort) {
        SearchRequest request = SearchRequest.of(query, k).withEfSearch(effort);
        if (quant != null) {
            // Re-rank the whole beam (as the memory-budget report does): the default depth, max(2k, 50),
            // would widen every beam below 50 and flatten the low end of the curve. -Dann.rerank=F re-ranks the
            // best ceil(F x effort) code-scored rows of the walk instead (the beam stays effort wide).
            request = request.withRerank(Math.max(k, (int) Math.ceil(RERANK_FACTOR * effort)));
        }
        SearchResult r = index.search(request);
        int[] ids = new int[r.size()];
        for (int i = 0; i < ids.length; i++) {
            SearchHit h = r.get(i);
            ids[i] = (int) h.id();
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        if (index != null) {
            index.close();
            index = null;
        }
        TempDirs.delete(dir);
    }
}
