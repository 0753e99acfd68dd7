/**
 * panavec's benchmarks and side-by-side reports. They use panavec's exported API; the kernel-level
 * benchmarks (exact scans, quantized codes over raw segments, FAISS directly) open the internals they
 * measure explicitly, with {@code --add-exports} in this module's pom.
 */
module io.panavec.bench {
    requires io.panavec;
    requires io.panavec.bindings;
    requires org.apache.lucene.core;
    requires jvector;
    requires jmh.core;
    requires org.jfree.jfreechart;
    requires chronicle.map;
    requires java.desktop;
    requires java.management;
    requires jdk.management;
}
