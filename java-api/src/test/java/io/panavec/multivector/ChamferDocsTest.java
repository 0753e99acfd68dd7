package io.panavec.multivector;

import io.panavec.bindings.Kernels;
import io.panavec.bindings.panavec_multivector_h;
import io.panavec.graph.VectorView;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** pv_chamfer_docs over a real store at every ISA level against a double-precision loop (the kernels: bindings MaxSimKernelTest). */
class ChamferDocsTest {
    private static final int INITIAL_ISA = Kernels.isaActive();

    @TempDir
    Path tmp;

    @AfterEach
    void restoreIsa() {
        Kernels.forceIsa(INITIAL_ISA);
    }

    /** Documents that straddle store chunks (8 rows per chunk here) are scored whole, f32 and f16 stores. */
    @ParameterizedTest(name = "isa {0}")
    @ValueSource(ints = {0, 1, 2})
    void chamferOverAStoreHandlesDocumentsAcrossChunks(int isa) throws Exception {
        assumeTrue(Kernels.isSupported(isa), "CPU lacks level " + isa);
        Kernels.forceIsa(isa);
        int dim = 20;
        float[][][] docs = MultiVectorData.randomSets(12, 11, dim, 4);
        float[][] query = MultiVectorData.randomSets(1, 6, dim, 5)[0];
        for (ElementType type : new ElementType[] {ElementType.F32, ElementType.F16}) {
            try (VectorStore s = VectorStore.builder(tmp.resolve(isa + type.name())).dimension(dim).elementType(type).rowsPerChunk(8).create();
                 Arena arena = Arena.ofConfined()) {
                long[] ranges = new long[2 * docs.length];
                for (int d = 0; d < docs.length; d++) {
                    ranges[2 * d] = s.size() + s.pendingRows();
                    ranges[2 * d + 1] = docs[d].length;
                    for (float[] t : docs[d]) s.append(d, t);
                    if (type == ElementType.F16) { // the oracle sees the stored values
                        for (float[] t : docs[d]) for (int j = 0; j < dim; j++) t[j] = Float.float16ToFloat(Float.floatToFloat16(t[j]));
                    }
                }
                s.commit();
                MemorySegment q = arena.allocate(ValueLayout.JAVA_FLOAT, (long) query.length * dim);
                for (int i = 0; i < query.length; i++) MemorySegment.copy(query[i], 0, q, ValueLayout.JAVA_FLOAT, (long) i * dim * 4, dim);
                MemorySegment rs = arena.allocate(ValueLayout.JAVA_LONG, ranges.length);
                MemorySegment.copy(ranges, 0, rs, ValueLayout.JAVA_LONG, 0, ranges.length);
                MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, docs.length);
                panavec_multivector_h.pv_chamfer_docs(VectorView.committed(s).struct(arena), q, query.length, rs, docs.length,
                        arena.allocate(ValueLayout.JAVA_FLOAT, query.length), out);
                for (int d = 0; d < docs.length; d++) {
                    assertEquals(MultiVectorData.chamfer(query, docs[d]), out.getAtIndex(ValueLayout.JAVA_FLOAT, d), 1e-4,
                            type + " document " + d + " (rows " + ranges[2 * d] + ".." + (ranges[2 * d] + ranges[2 * d + 1] - 1) + ")");
                }
            }
        }
    }
}
