package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.join.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bounded stress: -Dveloq.stress.seconds=N (default 2) lengthens the time-boxed ones. */
@Timeout(120)
class StressTest {

    @Test
    void aMillionTasksSpawnedAndJoinedAcrossWorkers() throws Exception {
        int parents = 1000;
        int children = 1000;
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            long sum = rt.blockOn(() -> {
                List<JoinHandle<Long>> ps = new ArrayList<>(parents);
                for (int p = 0; p < parents; p++) {
                    ps.add(rt.spawnBalanced(() -> {
                        long s = 0;
                        @SuppressWarnings({"unchecked", "rawtypes"})
                        JoinHandle<Integer>[] batch = new JoinHandle[100];
                        for (int b = 0; b < children / batch.length; b++) {
                            for (int i = 0; i < batch.length; i++) {
                                int x = i;
                                batch[i] = rt.spawn(() -> x);
                            }
                            for (var h : batch) {
                                s += h.join();
                            }
                        }
                        return s;
                    }));
                }
                long total = 0;
                for (var p : ps) {
                    total += p.join();
                }
                return total;
            });
            assertEquals((long) parents * (children / 100) * (99 * 100 / 2), sum);
        }
    }

    @Test
    void spawnStormsFromManyExternalThreads() throws Exception {
        int threads = 8;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.stressSeconds());
        AtomicLong submitted = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        String prefix = TestSupport.uniquePrefix("storm");
        Runtime rt = Runtime.builder().workers(2).threadNamePrefix(prefix).build();
        List<Thread> stormers = new ArrayList<>();
        List<JoinHandle<?>> sample = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int kind = t % 4;
            stormers.add(Thread.ofPlatform().start(() -> {
                int i = 0;
                while (System.nanoTime() < deadline) {
                    submitted.incrementAndGet();
                    JoinHandle<?> h = switch (kind) {
                        case 0 -> rt.spawn(ran::incrementAndGet);
                        case 1 -> rt.spawnOn(i % 2, ran::incrementAndGet);
                        case 2 -> rt.spawnBalanced(ran::incrementAndGet);
                        default -> {
                            rt.execute(ran::incrementAndGet);
                            yield null;
                        }
                    };
                    if (h != null && (i++ & 1023) == 0) {
                        sample.add(h);
                    }
                }
            }));
        }
        for (Thread t : stormers) {
            t.join();
        }
        for (var h : sample) {
            assertTrue(((Number) h.get(20, TimeUnit.SECONDS)).longValue() > 0);
        }
        TestSupport.closeAndAssertNoThreads(rt, prefix);
        assertEquals(submitted.get(), ran.get(), "every task submitted before shutdown ran");
    }

    /** Invariant 4: work handed to a sleeping worker runs without further events. */
    @Test
    void tasksHandedToSleepingWorkersAlwaysRun() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).idleSpinRounds(0).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.stressSeconds());
            int rounds = 0;
            while (System.nanoTime() < deadline) {
                int w = rounds & 1;
                // outside → sleeping worker (injector path); a random pause lets it fall asleep first
                if ((rounds & 3) != 0) {
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(50_000));
                }
                assertEquals(w, rt.spawnOn(w, () -> RuntimeContext.current().workerIndex()).get(10, TimeUnit.SECONDS));
                // worker → sleeping worker (mesh path)
                assertEquals(1 - w, rt.spawnOn(w, () -> {
                    if ((ThreadLocalRandom.current().nextInt() & 1) == 0) {
                        LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(50_000));
                    }
                    return rt.spawnOn(1 - w, () -> RuntimeContext.current().workerIndex()).get(10, TimeUnit.SECONDS);
                }).get(20, TimeUnit.SECONDS));
                // a timed park woken by the JDK's unparker while the worker sleeps
                rt.spawnOn(w, () -> LockSupport.parkNanos(20_000)).get(10, TimeUnit.SECONDS);
                rounds++;
            }
            assertTrue(rounds > 0);
        }
    }

    /** Both mesh queues full in both directions at once: overflow keeps both workers going. */
    @Test
    void meshFloodInBothDirectionsWithTinyQueues() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).meshQueueCapacity(2).meshMessagesPerRound(1).build()) {
            int perSide = 20_000;
            AtomicLong received = new AtomicLong();
            CountDownLatch go = new CountDownLatch(2);
            List<JoinHandle<List<JoinHandle<Long>>>> floods = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int other = 1 - w;
                floods.add(rt.spawnOn(w, () -> {
                    go.countDown();
                    go.await();
                    List<JoinHandle<Long>> sent = new ArrayList<>(perSide);
                    for (int i = 0; i < perSide; i++) {
                        sent.add(rt.spawnOn(other, received::incrementAndGet));
                    }
                    return sent;
                }));
            }
            for (var f : floods) {
                for (var h : f.get(60, TimeUnit.SECONDS)) {
                    h.get(60, TimeUnit.SECONDS);
                }
            }
            assertEquals(2L * perSide, received.get());
        }
    }

    /** Invariant 5 under races: shutdown/shutdownNow while spawns pour in; every accepted handle ends. */
    @Test
    void shutdownRacingWithSpawnStorms() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.stressSeconds());
        int iterations = 0;
        while (System.nanoTime() < deadline || iterations < 3) {
            boolean now = (iterations & 1) == 1;
            String prefix = TestSupport.uniquePrefix("race");
            UncaughtReports reports = new UncaughtReports();
            Runtime rt = Runtime.builder().workers(2).threadNamePrefix(prefix).blockingThreads(2)
                    .uncaughtExceptionHandler(reports).build();
            List<JoinHandle<?>> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicLong rejected = new AtomicLong();
            List<Thread> spawners = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int kind = t;
                spawners.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 5000; i++) {
                        try {
                            accepted.add(switch ((kind + i) % 4) {
                                case 0 -> rt.spawn(() -> rt.spawn(() -> 1).join()); // fans out inside
                                case 1 -> rt.spawnOn(i & 1, () -> LockSupport.parkNanos(1000));
                                case 2 -> rt.spawnBalanced(() -> 2);
                                default -> rt.spawnBlocking(() -> 3);
                            });
                        } catch (RejectedExecutionException e) {
                            rejected.incrementAndGet();
                        }
                    }
                }));
            }
            LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(2_000_000));
            if (now) {
                rt.shutdownNow();
            } else {
                rt.shutdown();
            }
            for (Thread t : spawners) {
                t.join();
            }
            assertTrue(rt.awaitTermination(20, TimeUnit.SECONDS), () -> "did not terminate: " + rt.dumpTasks());
            for (JoinHandle<?> h : List.copyOf(accepted)) {
                assertTrue(h.isDone(), () -> "a handle did not end: " + h);
            }
            assertTrue(TestSupport.threadsNamed(prefix).isEmpty(), () -> "left: " + TestSupport.threadsNamed(prefix));
            if (now) {
                // The fanning-out tasks fail on purpose: their inner spawn is rejected after shutdownNow,
                // or the inner task was cancelled unstarted and its join throws. Nothing else fails.
                reports.acceptAll(r -> r.failure() instanceof RejectedExecutionException
                        || r.failure() instanceof CancellationException);
            } // a graceful shutdown lets running tasks spawn, so nothing fails
            reports.assertNoneUnexpected();
            iterations++;
        }
    }

    @Test
    void pingPongBetweenTwoWorkers() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            int n = 20_000;
            int hops = rt.spawnOn(0, () -> {
                int count = 0;
                for (int i = 0; i < n; i++) {
                    count += rt.spawnOn(1, () -> 1).join();
                }
                return count;
            }).get(60, TimeUnit.SECONDS);
            assertEquals(n, hops);
        }
    }
}
