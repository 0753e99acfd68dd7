package io.panavec.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Runs the tasks of a batch on a pool's threads (or the caller's, without a pool); failures rethrown as they were.
 * One worker per pool thread takes the next task index from a shared counter until none is left, so the threads
 * finish within one task of each other (a parallel stream splits the range into a few large chunks up front and
 * left one thread idle for up to half a chunk at the end of a batch of graph walks). The calling thread is one of
 * the workers, so a pool of t threads runs a batch on t threads, not t + 1.
 */
final class Parallel {
    private Parallel() {}

    /** {@code [task(0), ..., task(n - 1)]}, computed on {@code pool} (null or one task: on this thread). */
    static <T> List<T> map(ForkJoinPool pool, int n, IntFunction<T> task) {
        if (pool == null || n <= 1) {
            return IntStream.range(0, n).mapToObj(task).toList();
        }
        Object[] out = new Object[n];
        AtomicInteger next = new AtomicInteger();
        // the first failure itself (a pool task's own exception would reach get() as a copy of it, made by ForkJoinTask)
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        int workers = Math.min(pool.getParallelism(), n);
        Runnable worker = () -> {
            try {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    out[i] = task.apply(i);
                }
            } catch (RuntimeException | Error e) {
                next.set(n); // the other workers stop after their current task
                firstFailure.compareAndSet(null, e);
            }
        };
        // The caller is one of the workers: waiting for the pool instead would leave it to spin and park beside
        // the pool's threads, a third thread on a machine with as many cores as the pool has threads.
        List<ForkJoinTask<?>> running = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            running.add(pool.submit(worker));
        }
        worker.run();
        for (ForkJoinTask<?> t : running) {
            try {
                t.get();
            } catch (InterruptedException e) {
                next.set(n); // the other workers stop after their current task
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while searching", e);
            } catch (ExecutionException e) { // not from worker, which catches what a task throws
                firstFailure.compareAndSet(null, e.getCause());
            }
        }
        Throwable failure = firstFailure.get();
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        @SuppressWarnings("unchecked")
        List<T> result = (List<T>) Collections.unmodifiableList(Arrays.asList(out));
        return result;
    }
}
