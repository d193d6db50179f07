package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.core.driver.Driver;
import io.veloq.core.driver.PortableDriver;
import io.veloq.join.JoinHandle;
import java.util.ArrayList;
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
        Runtime rt = Runtime.builder().workers(2).threadNamePrefix(prefix).blockingThreads(1)
                .uncaughtExceptionHandler((t, e) -> { }).build(); // interrupted tasks fail on purpose
        CountDownLatch parked = new CountDownLatch(2);
        List<JoinHandle<?>> handles = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            handles.add(rt.spawnOn(w, () -> {
                parked.countDown();
                Thread.sleep(60_000); // interrupted by shutdownNow
                return "slept";
            }));
        }
        assertTrue(parked.await(10, TimeUnit.SECONDS));
        // a busy task on each worker that spawns a backlog, so queued tasks exist at shutdownNow
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
        handles.add(rt.spawnBlocking(() -> "queued behind the only blocking thread"));
        assertTrue(blockingStarted.await(10, TimeUnit.SECONDS));

        List<Runnable> neverStarted = rt.shutdownNow();
        assertTrue(rt.isShutdown());
        assertTrue(rt.awaitTermination(20, TimeUnit.SECONDS));
        assertTrue(TestSupport.threadsNamed(prefix).isEmpty(), () -> "left: " + TestSupport.threadsNamed(prefix));
        for (JoinHandle<?> h : List.copyOf(handles)) {
            assertTrue(h.isDone(), () -> "not ended: " + h);
        }
        assertFalse(neverStarted.isEmpty(), "queued tasks should be returned");
        long cancelled = handles.stream().filter(Future::isCancelled).count();
        assertTrue(cancelled >= neverStarted.size(), "returned tasks must have cancelled handles");
        assertThrows(Exception.class, () -> handles.get(0).join()); // interrupted sleep failed the task
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
        try (Runtime rt = Runtime.builder().workers(1).uncaughtExceptionHandler((t, e) -> {
            throw new IllegalStateException("bad handler");
        }).build()) {
            rt.execute(() -> {
                throw new IllegalStateException("x");
            });
            assertEquals(5, rt.spawn(() -> 5).join());
        }
    }
}
