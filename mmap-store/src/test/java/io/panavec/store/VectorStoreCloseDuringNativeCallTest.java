package io.panavec.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * close() while a native call reads the mapping must throw, not unmap under it. libc bsearch over a
 * chunk calls back into Java, where the test tries to close the store from another thread.
 */
@SuppressWarnings("restricted") // the test itself calls libc through FFM
class VectorStoreCloseDuringNativeCallTest {
    @TempDir
    Path dir;

    private static final AtomicReference<Runnable> DURING_CALL = new AtomicReference<>();

    @SuppressWarnings("unused") // called from native code
    private static int compare(MemorySegment a, MemorySegment b) {
        DURING_CALL.get().run();
        return 0;
    }

    @Test
    void closeDuringDowncallThrowsAndCanBeRetried() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle bsearch = linker.downcallHandle(linker.defaultLookup().find("bsearch").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MethodHandle cmp = MethodHandles.lookup().findStatic(VectorStoreCloseDuringNativeCallTest.class, "compare",
                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
        VectorStore store = VectorStore.builder(dir.resolve("s")).dimension(4).create();
        store.append(new float[] {1, 2, 3, 4});
        store.commit();
        AtomicReference<Throwable> closeResult = new AtomicReference<>();
        DURING_CALL.set(() -> {
            Thread closer = Thread.ofPlatform().start(() -> {
                try {
                    store.close();
                    closeResult.set(new AssertionError("close succeeded during a native call"));
                } catch (Throwable e) {
                    closeResult.set(e);
                }
            });
            try {
                closer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment comparator = linker.upcallStub(cmp, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.ADDRESS), arena);
            MemorySegment key = arena.allocate(16);
            MemorySegment found = (MemorySegment) bsearch.invokeExact(key, store.chunk(0), 1L, 16L, comparator);
            assertEquals(store.chunk(0).address(), found.address(), "bsearch ran over the mapping");
        }
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, closeResult.get());
        assertTrue(e.getMessage().contains("in use by a native call"), e.getMessage());
        assertEquals(1, store.size(), "the store stays open and usable");
        store.close(); // the call has returned: now it closes
        assertThrows(IllegalStateException.class, store::size);
    }
}
