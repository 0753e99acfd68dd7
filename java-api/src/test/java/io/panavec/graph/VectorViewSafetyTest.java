package io.panavec.graph;

import io.panavec.internal.NativeMetric;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The internals that could crash the JVM (issue 10, item 9) refuse instead: a graph search over a view of
 * a closed store throws IllegalStateException (no use-after-unmap), a view over memory that cannot hold its
 * rows ({@code MemorySegment.ofAddress(4096)}, a segment too short, on the heap) is refused when built, and
 * the module exports neither the graph nor the engines.
 */
class VectorViewSafetyTest {
    @TempDir
    Path tmp;

    @Test
    void aSearchOverAClosedStoreThrowsInsteadOfReadingUnmappedMemory() throws Exception {
        VectorStore store = VectorStore.builder(tmp.resolve("v.pvs")).dimension(4).elementType(ElementType.F32).create();
        for (int i = 0; i < 50; i++) store.append(i, new float[] {i, 1, 0, 0});
        store.commit();
        try (HnswGraph graph = HnswGraph.create(4, NativeMetric.L2, 8, 20, 1)) {
            VectorView view = VectorView.committed(store);
            graph.addRange(view, 1);
            assertEquals(5, graph.search(view, new float[] {3, 1, 0, 0}, 5, 10, null).rows().length);
            store.close();
            assertThrows(IllegalStateException.class, () -> graph.search(view, new float[] {3, 1, 0, 0}, 5, 10, null));
            assertThrows(IllegalStateException.class, () -> VectorView.committed(store));
        }
    }

    @Test
    void aViewOverMemoryThatCannotHoldItsRowsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new VectorView(new MemorySegment[] {MemorySegment.ofAddress(4096)}, 10, 100, 8, ElementType.F32));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment short1 = arena.allocate(99L * 8 * 4);
            assertThrows(IllegalArgumentException.class, () -> new VectorView(new MemorySegment[] {short1}, 10, 100, 8, ElementType.F32));
            assertThrows(IllegalArgumentException.class, () -> new VectorView(new MemorySegment[] {short1}, 4, 100, 8, ElementType.F32),
                    "100 rows in chunks of 16 need 7 chunks");
            assertThrows(IllegalArgumentException.class,
                    () -> new VectorView(new MemorySegment[] {MemorySegment.ofArray(new float[800])}, 10, 100, 8, ElementType.F32));
            MemorySegment enough = arena.allocate(100L * 8 * 4);
            VectorView ok = new VectorView(new MemorySegment[] {enough}, 10, 100, 8, ElementType.F32);
            ok.chunks()[0] = MemorySegment.ofAddress(4096); // a copy: the view keeps its checked table
            try (HnswGraph graph = HnswGraph.create(8, NativeMetric.L2, 8, 20, 1)) {
                graph.addRange(ok, 1);
                assertEquals(100, graph.size());
            }
        }
    }

    @Test
    void theModuleExportsThePublicApiOnly() throws Exception {
        // the descriptor compiled beside the classes (tests run on the class path, where it is not enforced)
        Path classes = Path.of(HnswGraph.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = java.nio.file.Files.newInputStream(classes.resolve("module-info.class"))) {
            ModuleDescriptor d = ModuleDescriptor.read(in);
            Set<String> open = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toSet());
            assertEquals("io.panavec", d.name());
            assertTrue(open.containsAll(Set.of("io.panavec", "io.panavec.filter", "io.panavec.attributes", "io.panavec.io")), open.toString());
            for (String internal : new String[] {"io.panavec.graph", "io.panavec.engine", "io.panavec.internal", "io.panavec.quant",
                    "io.panavec.faiss", "io.panavec.persist"}) {
                assertFalse(open.contains(internal), internal + " is exported");
            }
        }
    }
}
