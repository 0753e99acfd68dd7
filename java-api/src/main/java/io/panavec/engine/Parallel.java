package io.panavec.engine;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** Runs the tasks of a batch on a pool's threads (or the caller's, without a pool); failures rethrown as they were. */
final class Parallel {
    private Parallel() {}

    /** {@code [task(0), ..., task(n - 1)]}, computed on {@code pool} (null or one task: on this thread). */
    static <T> List<T> map(ForkJoinPool pool, int n, IntFunction<T> task) {
        if (pool == null || n <= 1) {
            return IntStream.range(0, n).mapToObj(task).toList();
        }
        try {
            return pool.submit(() -> IntStream.range(0, n).parallel().mapToObj(task).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while searching", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
