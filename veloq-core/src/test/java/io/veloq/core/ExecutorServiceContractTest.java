package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.join.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ExecutorServiceContractTest {

    @Test
    void submitReturnsJoinHandles() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            JoinHandle<Integer> a = rt.submit(() -> 1);
            JoinHandle<?> b = rt.submit(() -> { });
            JoinHandle<String> c = rt.submit(() -> { }, "result");
            assertEquals(1, a.get());
            assertNull(b.get());
            assertEquals("result", c.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void executeRunsFireAndForgetTasks() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            CountDownLatch done = new CountDownLatch(1000);
            for (int i = 0; i < 1000; i++) {
                rt.execute(done::countDown);
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void completableFutureRunsOnTheRuntime() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            assertTrue(CompletableFuture.supplyAsync(RuntimeContext::inRuntime, rt).get(10, TimeUnit.SECONDS));
            assertEquals(6, CompletableFuture.supplyAsync(() -> 2, rt).thenApplyAsync(x -> x * 3, rt).get());
        }
    }

    @Test
    void invokeAllReturnsEveryOutcomeInOrder() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int x = i;
                tasks.add(() -> {
                    if (x == 7) {
                        throw new IllegalStateException("seven");
                    }
                    return x;
                });
            }
            List<Future<Integer>> results = rt.invokeAll(tasks);
            assertEquals(50, results.size());
            for (int i = 0; i < 50; i++) {
                assertTrue(results.get(i).isDone());
                if (i == 7) {
                    int index = i;
                    ExecutionException e = assertThrows(ExecutionException.class, () -> results.get(index).get());
                    assertEquals("seven", e.getCause().getMessage());
                } else {
                    assertEquals(i, results.get(i).get());
                }
            }
        }
    }

    @Test
    void invokeAllWithTimeoutCancelsWhatIsNotDone() throws Exception {
        try (Runtime rt = Runtime.builder().workers(1).build()) {
            List<Future<String>> results = rt.invokeAll(List.of(() -> "fast", () -> {
                Thread.sleep(60_000);
                return "slow";
            }), 1, TimeUnit.SECONDS); // the one timing assumption: "fast" ends within 1 s, even on a loaded machine
            assertEquals("fast", results.get(0).get());
            assertTrue(results.get(1).isCancelled());
            assertThrows(CancellationException.class, () -> results.get(1).get());
        }
    }

    @Test
    void invokeAnyReturnsOneSuccessAndFailsWhenAllFail() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            String any = rt.invokeAny(List.of(() -> {
                throw new IllegalStateException("no");
            }, () -> "yes", () -> {
                Thread.sleep(60_000);
                return "late";
            }));
            assertEquals("yes", any);
            ExecutionException allFail = assertThrows(ExecutionException.class, () -> rt.invokeAny(List.<Callable<String>>of(
                    () -> {
                        throw new IllegalStateException("a");
                    },
                    () -> {
                        throw new IllegalStateException("b");
                    })));
            assertInstanceOf(IllegalStateException.class, allFail.getCause());
            assertThrows(TimeoutException.class, () -> rt.invokeAny(List.of(() -> {
                Thread.sleep(60_000);
                return 1;
            }), 100, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void shutdownLetsQueuedAndRunningTasksFinish() throws Exception {
        String prefix = TestSupport.uniquePrefix("es-shutdown");
        Runtime rt = Runtime.builder().workers(2).threadNamePrefix(prefix).build();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        List<JoinHandle<Void>> handles = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            handles.add(rt.spawn(() -> {
                gate.await();
                finished.incrementAndGet();
                return null;
            }));
        }
        rt.shutdown();
        assertTrue(rt.isShutdown());
        assertFalse(rt.isTerminated());
        // A negative check needs a window (nothing signals "did not terminate"); the tasks wait on
        // the gate, so a correct runtime cannot terminate in it whatever the machine's load.
        assertFalse(rt.awaitTermination(50, TimeUnit.MILLISECONDS), "must not terminate while tasks wait");
        gate.countDown();
        assertTrue(rt.awaitTermination(20, TimeUnit.SECONDS));
        assertTrue(rt.isTerminated());
        assertEquals(200, finished.get());
        for (var h : handles) {
            assertTrue(h.isDone());
        }
        TestSupport.closeAndAssertNoThreads(rt, prefix);
    }

    @Test
    void shutdownIsIdempotentAndCloseAfterTerminationReturns() throws Exception {
        Runtime rt = Runtime.builder().workers(1).build();
        rt.shutdown();
        rt.shutdown();
        assertTrue(rt.awaitTermination(10, TimeUnit.SECONDS));
        rt.close();
        rt.shutdownNow();
        assertTrue(rt.isTerminated());
    }

    @Test
    void closeFromInsideATaskIsRejected() throws Exception {
        try (Runtime rt = Runtime.builder().workers(1).build()) {
            String message = rt.spawn(() -> {
                try {
                    rt.close();
                    return "closed";
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            }).join();
            assertTrue(message.contains("close()"), message);
            String fromBlocking = rt.spawnBlocking(() -> {
                try {
                    rt.close();
                    return "closed";
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            }).join();
            assertTrue(fromBlocking.contains("close()"), fromBlocking);
        }
    }
}
