package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DebugAndDumpTest {

    @Test
    void dumpListsLiveTasksByNamePerWorkerWithSpawnStacksInDebugMode() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).debug(true).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(2);
            Thread[] waiters = new Thread[2];
            for (int w = 0; w < 2; w++) {
                int index = w;
                rt.spawnOn(w, "waiter-on-" + w, () -> {
                    waiters[index] = Thread.currentThread();
                    started.countDown();
                    release.await();
                    return null;
                });
            }
            assertTrue(started.await(10, TimeUnit.SECONDS)); // publishes waiters[]
            for (Thread waiter : waiters) {
                TestSupport.awaitParkedIn(waiter, "CountDownLatch.await"); // the dump must see them WAITING
            }
            String dump = rt.dumpTasks();
            release.countDown();
            assertTrue(dump.contains("worker 0") && dump.contains("worker 1"), dump);
            assertTrue(dump.contains("'waiter-on-0'") && dump.contains("'waiter-on-1'"), dump);
            assertTrue(dump.contains("[WAITING]"), dump);
            assertTrue(dump.contains("spawned at io.veloq.core.DebugAndDumpTest.dumpListsLiveTasks"), dump);
        }
    }

    @Test
    void dumpNamesATaskRunningInlineInItsJoiner() throws Exception {
        try (Runtime rt = Runtime.builder().workers(1).pinning(false).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Thread> thread = new AtomicReference<>();
            io.veloq.join.JoinHandle<Object> parent = rt.spawn("the-joiner", () -> rt.spawnLocal("the-inline-child", () -> {
                thread.set(Thread.currentThread());
                started.countDown();
                release.await();
                return null;
            }).join());
            assertTrue(started.await(10, TimeUnit.SECONDS));
            TestSupport.awaitParkedIn(thread.get(), "CountDownLatch.await");
            String dump = rt.dumpTasks();
            release.countDown();
            parent.join();
            assertTrue(dump.contains("'the-joiner'"), dump);
            assertTrue(dump.contains("running inline 'the-inline-child'"), dump);
        }
    }

    @Test
    void dumpOfATerminatedRuntimeSaysSoAtOnce() throws Exception {
        Runtime rt = Runtime.builder().workers(2).pinning(false).build();
        rt.close();
        String dump = rt.dumpTasks();
        assertTrue(dump.contains("worker 0: terminated") && dump.contains("worker 1: terminated"), dump);
        assertFalse(dump.contains("did not answer"), dump);
    }

    @Test
    void withoutDebugTheDumpHasNamesButNoStacks() throws Exception {
        try (Runtime rt = Runtime.builder().workers(1).build()) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Thread> quiet = new AtomicReference<>();
            rt.spawn("quiet", () -> {
                quiet.set(Thread.currentThread());
                started.countDown();
                release.await();
                return null;
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            TestSupport.awaitParkedIn(quiet.get(), "CountDownLatch.await"); // parked: the worker can answer
            String dump = rt.dumpTasks();
            release.countDown();
            assertTrue(dump.contains("'quiet'"), dump);
            assertFalse(dump.contains("spawned at"), dump);
        }
    }

    @Test
    void dumpListsQueuedTasksAndNamesABusyWorker() throws Exception {
        try (Runtime rt = Runtime.builder().workers(1).build()) {
            CountDownLatch spinning = new CountDownLatch(1);
            CountDownLatch stop = new CountDownLatch(1);
            rt.spawn("spinner", () -> {
                spinning.countDown();
                while (stop.getCount() > 0) {
                    Thread.onSpinWait();
                }
            });
            assertTrue(spinning.await(10, TimeUnit.SECONDS));
            String dump = rt.dumpTasks(); // the only worker cannot answer while the spinner runs
            stop.countDown();
            assertTrue(dump.contains("did not answer") && dump.contains("'spinner'"), dump);
        }
    }

    @Test
    void debugReportsCarryTheSpawnSiteAndTheTaskName() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch reported = new CountDownLatch(1);
        try (Runtime rt = Runtime.builder().workers(1).debug(true).uncaughtExceptionHandler((t, e) -> {
            thread.set(t.getName());
            failure.set(e);
            reported.countDown();
        }).build()) {
            rt.execute(() -> {
                throw new IllegalStateException("debug me");
            });
            assertTrue(reported.await(10, TimeUnit.SECONDS));
        }
        assertTrue(thread.get().startsWith("veloq task 'task-"), thread.get());
        Throwable site = Arrays.stream(failure.get().getSuppressed()).findFirst().orElseThrow();
        assertTrue(site.getMessage().contains("was spawned here"), site.getMessage());
        assertTrue(Arrays.stream(site.getStackTrace()).anyMatch(f -> f.getMethodName().startsWith("debugReports")));
    }

    @Test
    void debugModeNamesTheRunnerAfterTheTask() throws Exception {
        try (Runtime rt = Runtime.builder().workers(1).debug(true).build()) {
            assertEquals("named-task", rt.spawn("named-task", () -> Thread.currentThread().getName()).join());
        }
    }
}
