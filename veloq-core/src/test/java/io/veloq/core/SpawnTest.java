package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SpawnTest {

    private static final UncaughtReports REPORTS = new UncaughtReports();
    private static Runtime rt;

    @BeforeAll
    static void start() {
        rt = Runtime.builder().workers(2).threadNamePrefix(TestSupport.uniquePrefix("spawn"))
                .uncaughtExceptionHandler(REPORTS).build();
    }

    /** A stray report shows up here, in the test that made it or (if it came late) the next one. */
    @AfterEach
    void noUnexpectedReports() {
        REPORTS.assertNoneUnexpected();
    }

    @AfterAll
    static void stop() {
        rt.close();
        REPORTS.assertNoneUnexpected(); // after close every report has arrived
    }

    private static int worker() {
        return RuntimeContext.current().workerIndex();
    }

    @Test
    void everyFormOfSpawnRunsAndReturnsItsValue() throws Exception {
        assertEquals(1, rt.spawn(() -> 1).join());
        assertEquals(2, rt.spawn("two", () -> 2).join());
        assertNull(rt.spawn(() -> { }).join());
        assertNull(rt.spawn("r", () -> { }).join());
        assertEquals(3, rt.spawnOn(1, () -> 3).join());
        assertEquals(4, rt.spawnOn(0, "four", () -> 4).join());
        assertNull(rt.spawnOn(1, () -> { }).join());
        assertNull(rt.spawnOn(1, "r", () -> { }).join());
        assertEquals(5, rt.spawnBalanced(() -> 5).join());
        assertEquals(6, rt.spawnBalanced("six", () -> 6).join());
        assertNull(rt.spawnBalanced(() -> { }).join());
        assertNull(rt.spawnBalanced("r", () -> { }).join());
        assertEquals(7, rt.spawnBlocking(() -> 7).join());
        assertEquals(8, rt.spawnBlocking("eight", () -> 8).join());
        assertNull(rt.spawnBlocking(() -> { }).join());
        assertNull(rt.spawnBlocking("r", () -> { }).join());
        int local = rt.blockOn(() -> rt.spawnLocal(() -> 9).join() + rt.spawnLocal("ten", () -> 10).join()
                + (rt.spawnLocal(() -> { }).join() == null ? 1 : 0) + (rt.spawnLocal("r", () -> { }).join() == null ? 1 : 0));
        assertEquals(21, local);
    }

    @Test
    void namesAreKept() throws Exception {
        assertEquals("alpha", rt.spawn("alpha", () -> 1).name());
        assertEquals("beta", rt.spawnOn(1, "beta", () -> { }).name());
        assertNotNull(rt.spawn(() -> 1).name());
        assertEquals("gamma", rt.blockOn(() -> rt.spawnLocal("gamma", () -> 1).name()));
    }

    @Test
    void spawnOnRunsOnTheGivenWorkerFromInsideAndOutside() throws Exception {
        for (int w = 0; w < rt.workerCount(); w++) {
            assertEquals(w, rt.spawnOn(w, SpawnTest::worker).join());
            int target = w;
            assertEquals(w, rt.blockOn(() -> rt.spawnOn(target, SpawnTest::worker).join()));
        }
    }

    @Test
    void spawnLocalStaysOnTheCallersWorker() throws Exception {
        for (int w = 0; w < rt.workerCount(); w++) {
            int[] seen = rt.spawnOn(w, () -> {
                int home = worker();
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    hs.add(rt.spawnLocal(SpawnTest::worker));
                }
                int[] r = {home, 0};
                for (var h : hs) {
                    if (h.join() != home) {
                        r[1]++;
                    }
                }
                return r;
            }).join();
            assertEquals(w, seen[0]);
            assertEquals(0, seen[1], "spawnLocal tasks ran on another worker");
        }
    }

    @Test
    void spawnBalancedUsesEveryWorkerUnderLoad() throws Exception {
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        List<JoinHandle<Void>> hs = new ArrayList<>();
        for (int i = 0; i < 400 && seen.size() < rt.workerCount(); i++) {
            hs.add(rt.spawnBalanced(() -> {
                seen.add(worker());
                Thread.sleep(1);
                return null;
            }));
        }
        for (var h : hs) {
            h.join();
        }
        assertEquals(rt.workerCount(), seen.size());
    }

    @Test
    void spawnBlockingRunsOnAPlatformThreadOutsideTheWorkers() {
        Thread t = rt.spawnBlocking(Thread::currentThread).join();
        assertFalse(t.isVirtual());
        assertFalse(rt.spawnBlocking(RuntimeContext::inRuntime).join());
        assertTrue(t.getName().contains("blocking-"), t.getName());
    }

    @Test
    void blockingPoolQueuesWhenFull() throws Exception {
        try (Runtime small = Runtime.builder().workers(1).blockingThreads(1).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch firstRunning = new CountDownLatch(1);
            AtomicReference<Thread> firstThread = new AtomicReference<>();
            AtomicBoolean firstEnded = new AtomicBoolean();
            JoinHandle<Void> first = small.spawnBlocking(() -> {
                firstThread.set(Thread.currentThread());
                firstRunning.countDown();
                release.await();
                firstEnded.set(true);
                return null;
            });
            assertTrue(firstRunning.await(10, TimeUnit.SECONDS));
            // No observation window needed: with a second thread the second task would run beside
            // the first, on another thread, before the first ended; queued, it can only run after
            // the first, on the pool's only thread.
            JoinHandle<Object[]> second = small.spawnBlocking(() -> new Object[] {Thread.currentThread(), firstEnded.get()});
            assertFalse(second.isDone(), "the second blocking task must wait for the only thread");
            release.countDown();
            assertNull(first.join());
            Object[] seen = second.join();
            assertSame(firstThread.get(), seen[0], "the second task ran on another thread: the pool exceeded its bound");
            assertEquals(true, seen[1], "the second task started before the first ended");
        }
    }

    @Test
    void nullTasksAndNamesAreRejected() {
        assertThrows(NullPointerException.class, () -> rt.spawn((Callable<Object>) null));
        assertThrows(NullPointerException.class, () -> rt.spawn((Runnable) null));
        assertThrows(NullPointerException.class, () -> rt.spawn(null, () -> 1));
        assertThrows(NullPointerException.class, () -> rt.spawnOn(0, (Callable<Object>) null));
        assertThrows(NullPointerException.class, () -> rt.spawnBalanced((Runnable) null));
        assertThrows(NullPointerException.class, () -> rt.spawnBlocking((Callable<Object>) null));
        assertThrows(NullPointerException.class, () -> rt.spawnLocal((Runnable) null));
        assertThrows(NullPointerException.class, () -> rt.execute(null));
        assertThrows(NullPointerException.class, () -> rt.submit((Runnable) null));
        assertThrows(NullPointerException.class, () -> rt.blockOn((Callable<Object>) null));
    }

    @Test
    void workerIndexOutOfRangeNamesTheWorkerCount() {
        for (int bad : new int[] {-1, 2, 99}) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> rt.spawnOn(bad, () -> 1));
            assertTrue(e.getMessage().contains("2 workers") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
    }

    @Test
    void spawnLocalOutsideTheRuntimeIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.spawnLocal(() -> 1));
        assertTrue(e.getMessage().contains("spawnLocal"), e.getMessage());
        // a spawnBlocking task is not inside a worker either
        TaskFailedException inBlocking = assertThrows(TaskFailedException.class,
                () -> rt.spawnBlocking(() -> rt.spawnLocal(() -> 1).join()).join());
        REPORTS.joined(inBlocking.getCause());
        assertInstanceOf(IllegalStateException.class, inBlocking.getCause());
    }

    @Test
    void failuresComeBackWithTheOriginalCause() {
        IOException boom = new IOException("boom");
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> rt.spawn(() -> {
            throw boom;
        }).join());
        REPORTS.joined(e.getCause()); // the join may come after the failure, which is then also reported
        assertSame(boom, e.getCause());
    }

    @Test
    void blockOnReturnsTheValueAndRethrowsTheTasksOwnException() {
        IOException boom = new IOException("checked");
        IOException thrown = assertThrows(IOException.class, () -> rt.blockOn(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");
        assertSame(unchecked, assertThrows(IllegalArgumentException.class, () -> rt.blockOn(() -> {
            throw unchecked;
        })));
        AtomicReference<Thread> ran = new AtomicReference<>();
        rt.blockOn(() -> ran.set(Thread.currentThread()));
        assertTrue(ran.get().isVirtual());
    }

    @Test
    void blockOnInsideTheRuntimeIsRejected() throws Exception {
        String message = rt.spawn(() -> {
            try {
                rt.blockOn(() -> 1);
                return "no exception";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }).join();
        assertTrue(message.contains("blockOn"), message);
    }

    @Test
    void blockOnInterruptedCancelsTheTask() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                rt.blockOn(() -> {
                    started.countDown();
                    Thread.sleep(60_000);
                    return null;
                });
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        caller.interrupt();
        caller.join();
        assertInstanceOf(InterruptedException.class, outcome.get());
    }

    @Test
    void spawnAfterShutdownIsRejectedFromOutsideButRunningTasksMayStillSpawn() throws Exception {
        Runtime r = Runtime.builder().workers(2).build();
        CountDownLatch shutDown = new CountDownLatch(1);
        JoinHandle<Integer> parent = r.spawn(() -> {
            shutDown.await();
            return r.spawn(() -> 20).join() + r.spawnOn(1, () -> 22).join();
        });
        r.shutdown();
        assertTrue(r.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> r.spawn(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> r.spawnOn(0, () -> 1));
        assertThrows(RejectedExecutionException.class, () -> r.spawnBalanced(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> r.spawnBlocking(() -> 1));
        assertThrows(RejectedExecutionException.class, () -> r.execute(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> r.blockOn(() -> 1));
        shutDown.countDown();
        assertEquals(42, parent.join());
        assertTrue(r.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void afterShutdownNowEvenTasksInsideCannotSpawn() throws Exception {
        UncaughtReports reports = new UncaughtReports();
        Runtime r = Runtime.builder().workers(1).uncaughtExceptionHandler(reports).build();
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch bothRunning = new CountDownLatch(2);
        JoinHandle<String> parent = r.spawn(() -> {
            bothRunning.countDown();
            stopped.await(); // interrupted by shutdownNow
            return "not interrupted";
        });
        JoinHandle<String> spawner = r.spawn(() -> {
            try {
                bothRunning.countDown();
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                try {
                    r.spawn(() -> 1);
                    return "spawned";
                } catch (RejectedExecutionException rejected) {
                    return "rejected";
                }
            }
            return "slept";
        });
        assertTrue(bothRunning.await(10, TimeUnit.SECONDS));
        r.shutdownNow();
        assertTrue(r.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals("rejected", spawner.join());
        // the parent's await was interrupted: its handle failed, and nobody was joining it then
        TaskFailedException failed = assertThrows(TaskFailedException.class, parent::join);
        assertInstanceOf(InterruptedException.class, failed.getCause());
        UncaughtReports.Report report = reports.await("the parent's interrupted await", rep -> rep.failure() == failed.getCause());
        assertTrue(report.thread().startsWith("veloq task '"), report.thread());
        reports.assertNoneUnexpected();
    }
}
