package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.join.JoinHandle;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tasks share runner threads (see Runtime, "Tasks, threads and thread-locals"): what one task
 * leaves on its thread must not reach the next.
 */
@Timeout(60)
class RunnerSemanticsTest {

    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();
    private static final InheritableThreadLocal<String> INHERITABLE = new InheritableThreadLocal<>();

    @Test
    void successiveTasksShareARunnerButNotItsState() throws Exception {
        try (Runtime rt = Runtime.builder().workers(1).build()) {
            Object[] after = rt.blockOn(() -> {
                ClassLoader original = Thread.currentThread().getContextClassLoader();
                Thread first = rt.spawnLocal(() -> {
                    LOCAL.set("leak");
                    INHERITABLE.set("leak");
                    Thread.currentThread().setName("renamed by a task");
                    Thread.currentThread().setContextClassLoader(new URLClassLoader(new URL[0]));
                    Thread.currentThread().interrupt();
                    return Thread.currentThread();
                }).join();
                return rt.spawnLocal(() -> new Object[] {
                    Thread.currentThread() == first, LOCAL.get(), INHERITABLE.get(), Thread.currentThread().getName(),
                    Thread.currentThread().getContextClassLoader() == original, Thread.currentThread().isInterrupted()}).join();
            });
            assertEquals(true, after[0], "the runtime is expected to reuse the runner for the next task");
            assertNull(after[1], "ThreadLocal leaked into the next task");
            assertNull(after[2], "InheritableThreadLocal leaked into the next task");
            assertFalse(((String) after[3]).contains("renamed"), (String) after[3]);
            assertEquals(true, after[4], "context class loader leaked");
            assertEquals(false, after[5], "interrupt status leaked");
        }
    }

    /**
     * The uncaught-exception handler runs on the failed task's runner: whatever it leaves there
     * (a logging framework's MDC is a thread-local) must not reach the next task on that runner.
     */
    @Test
    void whatTheUncaughtHandlerLeavesOnTheRunnerDoesNotReachTheNextTask() throws Exception {
        UncaughtReports reports = new UncaughtReports();
        Thread.UncaughtExceptionHandler handler = (thread, failure) -> {
            LOCAL.set("set by the handler");
            INHERITABLE.set("set by the handler");
            thread.setContextClassLoader(new URLClassLoader(new URL[0]));
            reports.uncaughtException(thread, failure);
        };
        Runtime rt = Runtime.builder().workers(1).pinning(false).uncaughtExceptionHandler(handler).build();
        try {
            Object[] seen = rt.blockOn(() -> {
                ClassLoader original = Thread.currentThread().getContextClassLoader();
                Thread[] failedOn = new Thread[1];
                Object[] next = new Object[4];
                CountDownLatch nextRan = new CountDownLatch(1);
                rt.spawnLocal(() -> { // never joined: its failure goes to the handler
                    failedOn[0] = Thread.currentThread();
                    throw new IllegalStateException("reported on purpose");
                });
                rt.spawnLocal(() -> {
                    next[0] = Thread.currentThread() == failedOn[0];
                    next[1] = LOCAL.get();
                    next[2] = INHERITABLE.get();
                    next[3] = Thread.currentThread().getContextClassLoader() == original;
                    nextRan.countDown();
                });
                nextRan.await(); // parks without helping: the worker runs both tasks on one runner
                return next;
            });
            assertEquals(true, seen[0], "the runtime is expected to run the next task on the failed task's runner");
            assertNull(seen[1], "a ThreadLocal the handler set leaked into the next task");
            assertNull(seen[2], "an InheritableThreadLocal the handler set leaked into the next task");
            assertEquals(true, seen[3], "a context class loader the handler set leaked into the next task");
        } finally {
            rt.shutdown();
            assertTrue(rt.awaitTermination(20, TimeUnit.SECONDS), rt::dumpTasks);
        }
        reports.await("the failure", r -> r.failure() instanceof IllegalStateException);
        reports.assertNoneUnexpected();
    }

    @Test
    void aBlockingTaskDoesNotLeaveItsContextClassLoaderToTheNext() throws Exception {
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        try (Runtime rt = Runtime.builder().workers(1).pinning(false).blockingThreads(1).build()) {
            Thread first = rt.spawnBlocking(() -> {
                Thread.currentThread().setContextClassLoader(new URLClassLoader(new URL[0], original));
                return Thread.currentThread();
            }).join();
            Object[] next = rt.spawnBlocking(() -> new Object[] {
                Thread.currentThread() == first, Thread.currentThread().getContextClassLoader() == original}).join();
            assertEquals(true, next[0], "the only blocking thread runs the next task");
            assertEquals(true, next[1], "context class loader leaked to the next blocking task");
        }
    }

    @Test
    void aCancelInterruptNeverReachesTheNextTaskOnTheSameRunner() throws Exception {
        try (Runtime rt = Runtime.builder().workers(1).build()) {
            for (int i = 0; i < 200; i++) {
                CountDownLatch running = new CountDownLatch(1);
                int millis = i % 3;
                JoinHandle<Void> victim = rt.spawn(() -> {
                    running.countDown();
                    long spin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                    while (System.nanoTime() < spin) {
                        Thread.onSpinWait();
                    }
                    return null;
                });
                assertTrue(running.await(10, TimeUnit.SECONDS));
                victim.cancel(true);
                assertFalse(rt.spawn(() -> Thread.currentThread().isInterrupted()).join(),
                        "a cancel(true) interrupt reached a later task");
                try {
                    victim.join();
                } catch (CancellationException expected) {
                    // cancelled while running: reported as cancelled
                }
            }
        }
    }
}
