package io.panavec.bench;

import io.panavec.FlatIndex;
import io.panavec.Metric;
import io.panavec.internal.NativeMetric;
import io.panavec.faiss.FaissIndex;
import io.panavec.store.ElementType;
import org.apache.lucene.util.VectorUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Exact top-10 inner-product scan of the whole float32 base, one query per call, side by side:
 * panavec's kernels over the memory-mapped store, a plain Java loop, Lucene's VectorUtil (Vector API)
 * and FAISS IndexFlatIP through panavec's shim. Throughput = queries/s.
 */
@State(Scope.Benchmark)
public class ScanF32Bench {
    static final int K = 10;

    @Param("")
    public String dataDir;

    float[][] base;
    float[][] queries;
    TempStore stored;
    FlatIndex flat;
    FaissIndex faiss;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path dir = BenchData.dir(dataDir);
        base = BenchData.read(dir.resolve("base.fvecs"));
        queries = BenchData.read(dir.resolve("queries.fvecs"));
        stored = new TempStore(base[0].length, ElementType.F32);
        for (float[] v : base) stored.store.append(v);
        flat = stored.commitAndIndex(Metric.INNER_PRODUCT);
        faiss = FaissIndex.create(base[0].length, "Flat", NativeMetric.INNER_PRODUCT);
        faiss.add(base);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        faiss.close();
        stored.close();
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
        final TopK topK = new TopK(K);

        float[] query(float[][] queries) {
            float[] q = queries[next];
            next = next + 1 == queries.length ? 0 : next + 1;
            return q;
        }
    }

    @Benchmark
    public Object panavec(Cursor c) {
        return flat.search(c.query(queries), K);
    }

    @Benchmark
    public int plainJava(Cursor c) {
        float[] q = c.query(queries);
        TopK top = c.topK;
        top.reset();
        for (int i = 0; i < base.length; i++) {
            float[] v = base[i];
            float s = 0;
            for (int j = 0; j < v.length; j++) s += q[j] * v[j];
            top.offer(i, s);
        }
        return top.root();
    }

    @Benchmark
    public int luceneVectorUtil(Cursor c) {
        float[] q = c.query(queries);
        TopK top = c.topK;
        top.reset();
        for (int i = 0; i < base.length; i++) {
            top.offer(i, VectorUtil.dotProduct(q, base[i]));
        }
        return top.root();
    }

    @Benchmark
    public Object faissFlatIP(Cursor c) {
        return faiss.search(c.query(queries), K);
    }
}
