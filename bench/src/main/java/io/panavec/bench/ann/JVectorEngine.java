package io.panavec.bench.ann;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

/**
 * JVector 4.0 in-memory graph: {@link GraphIndexBuilder} (M, beam width, neighbour overflow 1.2, alpha 1.2,
 * hierarchy on, final refinement on) over full-precision vectors on the heap, DOT_PRODUCT, searched with
 * {@link GraphSearcher} and exact scores. The effort knob is rerankK (the beam; topK = k).
 *
 * <p>Thread safety: as {@link AnnEngine} (the one {@link GraphSearcher} holds scratch state).
 */
public final class JVectorEngine implements AnnEngine {
    private static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();
    private static final VectorSimilarityFunction SIMILARITY = AnnMetric.RUN.jvector();

    private final int m;
    private final int beamWidth;
    private RandomAccessVectorValues vectors;
    private ImmutableGraphIndex graph;
    private GraphSearcher searcher;
    private int count;
    private int dimension;

    public JVectorEngine(int m, int beamWidth) {
        this.m = m;
        this.beamWidth = beamWidth;
    }

    /** Which JVector SIMD provider is active (Panama Vector API needs {@code --add-modules jdk.incubator.vector}). */
    public static String provider() {
        return VectorizationProvider.getInstance().getClass().getSimpleName();
    }

    @Override
    public String name() {
        return "jvector M=" + m + " beam=" + beamWidth;
    }

    @Override
    public String effortName() {
        return "rerankK";
    }

    @Override
    public double build(float[][] base, int threads) throws IOException {
        count = base.length;
        dimension = base[0].length;
        long t0 = System.nanoTime();
        List<VectorFloat<?>> list = new ArrayList<>(base.length);
        for (float[] v : base) {
            list.add(VTS.createFloatVector(v));
        }
        vectors = new ListRandomAccessVectorValues(list, dimension);
        BuildScoreProvider scores = BuildScoreProvider.randomAccessScoreProvider(vectors, SIMILARITY);
        ForkJoinPool simd = new ForkJoinPool(threads);
        ForkJoinPool parallel = new ForkJoinPool(threads);
        try (GraphIndexBuilder builder = new GraphIndexBuilder(scores, dimension, m, beamWidth, 1.2f, 1.2f,
                true, true, simd, parallel)) {
            graph = builder.build(vectors);
        } finally {
            simd.shutdown();
            parallel.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        searcher = new GraphSearcher(graph);
        return seconds;
    }

    @Override
    public double bytesPerVector() {
        long vectorBytes = (long) count * dimension * Float.BYTES;
        long graphBytes = graph instanceof OnHeapGraphIndex g ? g.ramBytesUsed() : 0;
        return (vectorBytes + graphBytes) / (double) count;
    }

    @Override
    public String bytesNote() {
        return "heap: f32 vectors (payload only) + OnHeapGraphIndex.ramBytesUsed()";
    }

    @Override
    public int[] search(float[] query, int k, int effort) {
        var ssp = DefaultSearchScoreProvider.exact(VTS.createFloatVector(query), SIMILARITY, vectors);
        SearchResult r = searcher.search(ssp, k, Math.max(k, effort), 0f, 0f, Bits.ALL);
        SearchResult.NodeScore[] nodes = r.getNodes();
        int[] ids = new int[nodes.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = nodes[i].node;
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        if (searcher != null) {
            searcher.close();
            searcher = null;
        }
        graph = null;
        vectors = null;
    }
}
