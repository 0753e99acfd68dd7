package io.panavec.bench;

import io.panavec.FlatIndex;
import io.panavec.Metric;
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
 * Exact top-10 scan of the base quantized to int8 (one global scale; int8 query), one query per call:
 * panavec's int8 kernels, a plain Java loop and Lucene's VectorUtil.dotProduct(byte[], byte[]).
 */
@State(Scope.Benchmark)
public class ScanI8Bench {
    @Param("")
    public String dataDir;

    byte[][] base;
    byte[][] queries;
    TempStore stored;
    FlatIndex flat;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path dir = BenchData.dir(dataDir);
        float[][] f = BenchData.read(dir.resolve("base.fvecs"));
        float[][] q = BenchData.read(dir.resolve("queries.fvecs"));
        float scale = Math.max(BenchData.maxAbs(f), BenchData.maxAbs(q));
        base = BenchData.toInt8(f, scale);
        queries = BenchData.toInt8(q, scale);
        stored = new TempStore(f[0].length, ElementType.I8);
        for (byte[] v : base) stored.store.append(v);
        flat = stored.commitAndIndex(Metric.INNER_PRODUCT);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        stored.close();
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
        final TopK topK = new TopK(ScanF32Bench.K);

        byte[] query(byte[][] queries) {
            byte[] q = queries[next];
            next = next + 1 == queries.length ? 0 : next + 1;
            return q;
        }
    }

    @Benchmark
    public Object panavec(Cursor c) {
        return flat.search(c.query(queries), ScanF32Bench.K);
    }

    @Benchmark
    public int plainJava(Cursor c) {
        byte[] q = c.query(queries);
        TopK top = c.topK;
        top.reset();
        for (int i = 0; i < base.length; i++) {
            byte[] v = base[i];
            int s = 0;
            for (int j = 0; j < v.length; j++) s += q[j] * v[j];
            top.offer(i, s);
        }
        return top.root();
    }

    @Benchmark
    public int luceneVectorUtil(Cursor c) {
        byte[] q = c.query(queries);
        TopK top = c.topK;
        top.reset();
        for (int i = 0; i < base.length; i++) {
            top.offer(i, VectorUtil.dotProduct(q, base[i]));
        }
        return top.root();
    }
}
