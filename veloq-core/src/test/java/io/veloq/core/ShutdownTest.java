package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.core.driver.Driver;
import io.veloq.core.driver.PortableDriver;
import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ShutdownTest {

    /** Counts closes of the drivers it makes. */
    private static final class CountingDriver implements Driver {
        private final PortableDriver inner;
        private final AtomicInteger closes;

        CountingDriver(int index, AtomicInteger closes) {
            this.inner = new PortableDriver(index);
            this.closes = closes;
        }

        @Override public int poll() { return inner.poll(); }
        @Override public void park(long deadlineNanos) { inner.park(deadlineNanos); }
        @Override public void wake() { inner.wake(); }
        @Override public void close() { closes.incrementAndGet(); inner.close(); }
        @Override public String description() { return "counting " + inner.description(); }
    }

    @Test
    void gracefulShutdownClosesEveryDriverAndLeavesNoThread() throws Exception {
        String prefix = TestSupport.uniquePrefix("graceful");
        AtomicInteger closes = new AtomicInteger();
        Runtime rt = Runtime.builder().workers(2).threadNamePrefix(prefix)
                .driverFactory(i -> new CountingDriver(i, closes)).build();
        List<JoinHandle<Integer>> handles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int x = i;
            handles.add(i % 3 == 0 ? rt.spawnBlocking(() -> x) : rt.spawn(() -> {
                Thread.sleep(x % 5);
                return x;
            }));
        }
        TestSupport.closeAndAssertNoThreads(rt, prefix);
        assertEquals(2, closes.get());
        for (int i = 0; i < handles.size(); i++) {
            assertEquals(i, handles.get(i).join());
        }
    }

    @Test
    void shutdownNowEndsEveryHandleAndReturnsNeverStartedTasks() throws Exception {
        String prefix = TestSupport.uniquePrefix("now");
        UncaughtReports reports = new UncaughtReports();
        Runtime rt = Runtime.builder().workers(2).threadNamePrefix(prefix).blockingThreads(1)
                .uncaughtExceptionHandler(reports).build();
        CountDownLatch parked = new CountDownLatch(2);
        List<JoinHandle<?>> handles = Collections.synchronizedList(new ArrayList<>()); // tasks on both workers add too
        for (int w = 0; w < 2; w++) {
            handles.add(rt.spawnOn(w, () -> {
                parked.countDown();
                Thread.sleep(60_000); // interrupted by shutdownNow
                return "slept";
            }));
        }
        assertTrue(parked.await(10, TimeUnit.SECONDS));
        // a task on each worker that spawns a backlog; part of it may still be queued at shutdownNow
        CountDownLatch backlog = new CountDownLatch(2);
        for (int w = 0; w < 2; w++) {
            handles.add(rt.spawnOn(w, () -> {
                for (int i = 0; i < 100; i++) {
                    handles.add(rt.spawn(() -> {
                        Thread.sleep(60_000);
                        return null;
                    }));
                }
                backlog.countDown();
                Thread.sleep(60_000);
                return null;
            }));
        }
        assertTrue(backlog.await(10, TimeUnit.SECONDS));
        CountDownLatch blockingStarted = new CountDownLatch(1);
        handles.add(rt.spawnBlocking(() -> {
            blockingStarted.countDown();
            Thread.sleep(60_000);
            return null;
        }));
        assertTrue(blockingStarted.await(10, TimeUnit.SECONDS));
        JoinHandle<String> queuedBlocking = rt.spawnBlocking(() -> "queued behind the only blocking thread");
        handles.add(queuedBlocking);

        List<Runnable> neverStarted = rt.shutdownNow();
        assertTrue(rt.isShutdown());
        assertTrue(rt.awaitTermination(20, TimeUnit.SECONDS));
        assertTrue(TestSupport.threadsNamed(prefix).isEmpty(), () -> "left: " + TestSupport.threadsNamed(prefix));
        for (JoinHandle<?> h : List.copyOf(handles)) {
            assertTrue(h.isDone(), () -> "not ended: " + h);
        }
        assertFalse(neverStarted.isEmpty(), "queued tasks should be returned");
        assertTrue(queuedBlocking.isCancelled(), "the queued blocking task never started: its handle is cancelled");
        long cancelled = handles.stream().filter(Future::isCancelled).count();
        assertTrue(cancelled >= neverStarted.size(), "returned tasks must have cancelled handles");
        // The interrupted sleeps failed their tasks, and nobody was joining them: each was reported.
        for (JoinHandle<?> sleeper : List.of(handles.get(0), handles.get(1))) {
            TaskFailedException failed = assertThrows(TaskFailedException.class, sleeper::join);
            assertInstanceOf(InterruptedException.class, failed.getCause());
            reports.await("the interrupted sleep of " + sleeper, r -> r.failure() == failed.getCause());
        }
        // So were the other interrupted sleeps (backlog tasks that had started, the blocking task); nothing else.
        reports.acceptAll(r -> r.failure() instanceof InterruptedException);
        reports.assertNoneUnexpected();
    }

    /**
     * A {@code spawnBlocking} task is a running task of the runtime like any other: during a
     * graceful shutdown it may still spawn (and join) tasks, as a worker's task may.
     */
    @Test
    void aRunningBlockingTaskMayStillSpawnDuringGracefulShutdown() throws Exception {
        Runtime rt = Runtime.builder().workers(1).pinning(false).build();
        CountDownLatch inBlocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Integer> blocking = rt.spawnBlocking(() -> {
            inBlocking.countDown();
            release.await();
            return rt.spawn(() -> 40).join() + rt.spawnOn(0, () -> 2).join();
        });
        assertTrue(inBlocking.await(10, TimeUnit.SECONDS));
        rt.shutdown();
        release.countDown();
        assertEquals(42, blocking.get(20, TimeUnit.SECONDS));
        assertTrue(rt.awaitTermination(20, TimeUnit.SECONDS), rt::dumpTasks);
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> rt.spawn(() -> 1),
                "a spawn from outside is still rejected");
    }

    /**
     * {@code awaitTermination} returning true means no thread of the runtime is left, even when it
     * is polled with no time to wait at the moment the last worker counts itself out: each thread is
     * checked, not just the first one.
     */
    @Test
    void awaitTerminationPolledWithoutTimeoutNeverReturnsTrueWhileAThreadLives() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.stressSeconds());
        int runs = 0;
        do {
            Runtime rt = Runtime.builder().workers(2).pinning(false).blockingThreads(1).build();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                threads.add(rt.spawnOn(i, io.veloq.core.sched.VirtualThreads::currentCarrier).join());
            }
            threads.add(rt.spawnBlocking(Thread::currentThread).join());
            rt.shutdown();
            while (!rt.awaitTermination(0, TimeUnit.NANOSECONDS)) {
                Thread.onSpinWait();
            }
            for (Thread t : threads) {
                assertFalse(t.isAlive(), () -> "awaitTermination returned true while " + t + " was alive");
            }
            runs++;
        } while (System.nanoTime() - deadline < 0);
        assertTrue(runs > 0);
    }

    @Test
    void cancelBeforeStartMeansTheBodyNeverRunsButTheTaskEnds() throws Exception {
        Runtime rt = Runtime.builder().workers(1).build();
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch spinning = new CountDownLatch(1);
        JoinHandle<Void> blocker = rt.spawnOn(0, () -> {
            spinning.countDown();
            while (hold.getCount() > 0) {
                Thread.onSpinWait(); // keeps the only worker busy, so the victim stays queued
            }
        });
        assertTrue(spinning.await(10, TimeUnit.SECONDS));
        JoinHandle<Void> victim = rt.spawnOn(0, () -> {
            ran.incrementAndGet();
        });
        assertTrue(victim.cancel(false));
        hold.countDown();
        blocker.join();
        assertThrows(CancellationException.class, victim::join);
        rt.shutdown();
        assertTrue(rt.awaitTermination(10, TimeUnit.SECONDS), "a cancelled task must still count as ended");
        assertEquals(0, ran.get());
    }

    @Test
    void anUnjoinedFailingTaskReachesTheUncaughtHandler() throws Exception {
        ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();
        CountDownLatch reported = new CountDownLatch(2);
        try (Runtime rt = Runtime.builder().workers(2).uncaughtExceptionHandler((t, e) -> {
            reports.add(t.getName() + ": " + e.getMessage());
            reported.countDown();
        }).build()) {
            rt.spawn("lonely", () -> {
                throw new IllegalStateException("nobody joins me");
            });
            rt.execute(() -> {
                throw new IllegalStateException("fire and forget");
            });
            assertTrue(reported.await(10, TimeUnit.SECONDS), () -> "reports: " + reports);
        }
        assertTrue(reports.stream().anyMatch(r -> r.contains("'lonely'") && r.contains("nobody joins me")), reports::toString);
        assertTrue(reports.stream().anyMatch(r -> r.contains("fire and forget")), reports::toString);
    }

    @Test
    void aFailureSomebodyObservesIsNotReported() throws Exception {
        AtomicInteger reports = new AtomicInteger();
        Runtime rt = Runtime.builder().workers(1).uncaughtExceptionHandler((t, e) -> reports.incrementAndGet()).build();
        CountDownLatch release = new CountDownLatch(1);
        JoinHandle<Void> observed = rt.spawn(() -> {
            release.await();
            throw new IllegalStateException("seen by the callback");
        });
        CountDownLatch called = new CountDownLatch(1);
        observed.onComplete((v, e) -> called.countDown()); // registered before the failure
        release.countDown();
        assertTrue(called.await(10, TimeUnit.SECONDS));
        rt.shutdown();
        assertTrue(rt.awaitTermination(10, TimeUnit.SECONDS)); // a report would precede the task's end
        assertEquals(0, reports.get());
    }

    @Test
    void aHandlerThatThrowsDoesNotHurtTheWorker() throws Exception {
        ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
        try (Runtime rt = Runtime.builder().workers(1).uncaughtExceptionHandler((t, e) -> {
            handled.add(e.getMessage());
            throw new IllegalStateException("bad handler");
        }).build()) {
            rt.execute(() -> {
                throw new IllegalStateException("x");
            });
            TestSupport.await("the handler was called", () -> !handled.isEmpty(), handled::toString);
            assertEquals(5, rt.spawn(() -> 5).join());
            rt.execute(() -> {
                throw new IllegalStateException("y");
            });
            assertEquals(6, rt.spawn(() -> 6).join());
            TestSupport.await("the handler was called again", () -> handled.size() == 2, handled::toString);
        }
        assertEquals(List.of("x", "y"), List.copyOf(handled));
    }
}
