package io.panavec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Parallel.map: every task once, results in task order, on the pool's threads and the caller's; failures rethrown as they were. */
class ParallelTest {
    @Test
    void everyTaskRunsOnceAndResultsKeepTheirOrder() {
        try (ForkJoinPool pool = new ForkJoinPool(2)) {
            for (int n : new int[] {0, 1, 2, 3, 1000}) {
                Set<Integer> ran = ConcurrentHashMap.newKeySet();
                List<Integer> out = Parallel.map(pool, n, i -> {
                    if (!ran.add(i)) throw new AssertionError("task " + i + " ran twice");
                    return i * 3;
                });
                assertEquals(n, out.size());
                assertEquals(n, ran.size());
                for (int i = 0; i < n; i++) assertEquals(i * 3, out.get(i));
            }
        }
    }

    @Test
    void aFailureOnAnyThreadIsRethrownAsItWas() {
        try (ForkJoinPool pool = new ForkJoinPool(2)) {
            for (int failing : new int[] {0, 1, 499, 999}) { // the first task (likely the caller's), early, late
                IllegalArgumentException boom = new IllegalArgumentException("task " + failing);
                IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> Parallel.map(pool, 1000, i -> {
                    if (i == failing) throw boom;
                    return i;
                }));
                assertSame(boom, thrown);
            }
            OutOfMemoryError error = new OutOfMemoryError("simulated");
            assertSame(error, assertThrows(OutOfMemoryError.class, () -> Parallel.map(pool, 100, i -> {
                if (i == 50) throw error;
                return i;
            })));
        }
    }
}
