package io.panavec.bench;

import io.panavec.FlatIndex;
import io.panavec.Metric;
import io.panavec.store.ElementType;
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
 * Exact top-10 scan of the base stored as float16 (float32 query), one query per call: panavec's F16C
 * kernels against a plain Java loop over {@code short[]} halves. Lucene and FAISS have no float16 flat scan.
 */
@State(Scope.Benchmark)
public class ScanF16Bench {
    @Param("")
    public String dataDir;

    short[][] base;
    float[][] queries;
    TempStore stored;
    FlatIndex flat;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path dir = BenchData.dir(dataDir);
        float[][] f = BenchData.read(dir.resolve("base.fvecs"));
        base = BenchData.toF16(f);
        queries = BenchData.read(dir.resolve("queries.fvecs"));
        stored = new TempStore(f[0].length, ElementType.F16);
        for (float[] v : f) stored.store.append(v);
        flat = stored.commitAndIndex(Metric.INNER_PRODUCT);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        stored.close();
    }

    @Benchmark
    public Object panavec(ScanF32Bench.Cursor c) {
        return flat.search(c.query(queries), ScanF32Bench.K);
    }

    @Benchmark
    public int plainJava(ScanF32Bench.Cursor c) {
        float[] q = c.query(queries);
        TopK top = c.topK;
        top.reset();
        for (int i = 0; i < base.length; i++) {
            short[] v = base[i];
            float s = 0;
            for (int j = 0; j < v.length; j++) s += q[j] * Float.float16ToFloat(v[j]);
            top.offer(i, s);
        }
        return top.root();
    }
}
