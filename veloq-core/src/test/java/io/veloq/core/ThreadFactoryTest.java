package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runtime.threadFactory(): threads that are Veloq tasks. */
@Timeout(60)
class ThreadFactoryTest {

    @Test
    void threadPerTaskExecutorRunsItsThreadsOnTheWorkers() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build();
                ExecutorService executor = Executors.newThreadPerTaskExecutor(rt.threadFactory())) {
            List<Future<int[]>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                results.add(executor.submit(() -> {
                    assertTrue(Thread.currentThread().isVirtual());
                    int home = RuntimeContext.current().workerIndex();
                    Thread.sleep(1);
                    Thread.yield();
                    return new int[] {home, RuntimeContext.current().workerIndex()};
                }));
            }
            for (var r : results) {
                int[] seen = r.get(10, TimeUnit.SECONDS);
                assertEquals(seen[0], seen[1], "a factory thread moved to another worker");
            }
        }
    }

    @Test
    void factoryThreadsInheritLikeOfVirtualThreads() throws Exception {
        InheritableThreadLocal<String> inherited = new InheritableThreadLocal<>();
        inherited.set("from the creator");
        try (Runtime rt = Runtime.builder().workers(1).build()) {
            String[] seen = new String[1];
            Thread t = rt.threadFactory().newThread(() -> seen[0] = inherited.get());
            t.start();
            t.join();
            assertEquals("from the creator", seen[0]);
        } finally {
            inherited.remove();
        }
    }

    @Test
    void threadsStartedInsideATaskStayOnItsWorker() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            int[] seen = rt.spawnOn(1, () -> {
                int[] s = new int[1];
                Thread t = rt.threadFactory().newThread(() -> s[0] = RuntimeContext.current().workerIndex());
                t.start();
                t.join();
                return s;
            }).join();
            assertEquals(1, seen[0]);
        }
    }

    @Test
    void structuredTaskScopeForksSubtasksAsVeloqTasks() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            String workers = rt.blockOn(() -> {
                try (var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.<Integer>allSuccessfulOrThrow(),
                        cf -> cf.withThreadFactory(rt.threadFactory()))) {
                    for (int i = 0; i < 10; i++) {
                        scope.fork(() -> RuntimeContext.current().workerIndex());
                    }
                    return scope.join().map(s -> String.valueOf(s.get())).sorted().distinct().collect(Collectors.joining(","));
                }
            });
            assertFalse(workers.isEmpty());
            assertTrue(workers.matches("[01](,[01])?"), workers);
        }
    }

    @Test
    void shutdownWaitsForFactoryThreadsAndRejectsNewOnes() throws Exception {
        String prefix = TestSupport.uniquePrefix("factory");
        Runtime rt = Runtime.builder().workers(1).threadNamePrefix(prefix).build();
        CountDownLatch release = new CountDownLatch(1);
        Thread t = rt.threadFactory().newThread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(t.getName().startsWith(prefix), t.getName());
        t.start();
        rt.shutdown();
        // A negative check needs a window (nothing signals "did not terminate"); the thread waits on
        // the latch, so a correct runtime cannot terminate in it whatever the machine's load.
        assertFalse(rt.awaitTermination(50, TimeUnit.MILLISECONDS), "a live factory thread keeps the runtime alive");
        Thread late = rt.threadFactory().newThread(() -> { });
        assertThrows(RejectedExecutionException.class, late::start);
        release.countDown();
        t.join();
        TestSupport.closeAndAssertNoThreads(rt, prefix);
    }

    @Test
    void shutdownNowInterruptsFactoryThreads() throws Exception {
        Runtime rt = Runtime.builder().workers(1).build();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread t = rt.threadFactory().newThread(() -> {
            try {
                waiting.countDown();
                Thread.sleep(60_000);
                interrupted.set(false);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        t.start();
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        rt.shutdownNow();
        assertTrue(rt.awaitTermination(10, TimeUnit.SECONDS));
        t.join();
        assertTrue(interrupted.get());
    }

    @Test
    void anUncaughtExceptionOfAFactoryThreadReachesTheHandler() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch reported = new CountDownLatch(1);
        try (Runtime rt = Runtime.builder().workers(1).uncaughtExceptionHandler((th, e) -> {
            seen.set(e);
            reported.countDown();
        }).build()) {
            Thread t = rt.threadFactory().newThread(() -> {
                throw new IllegalStateException("factory thread failure");
            });
            t.start();
            assertTrue(reported.await(10, TimeUnit.SECONDS));
            assertEquals("factory thread failure", seen.get().getMessage());
        }
    }
}
