package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.core.driver.Driver;
import io.veloq.core.driver.PortableDriver;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.function.Consumer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RuntimeBuilderTest {

    private static void rejects(String setting, Consumer<RuntimeBuilder> change) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> change.accept(Runtime.builder()));
        assertTrue(e.getMessage().contains(setting), () -> "message should name " + setting + ": " + e.getMessage());
    }

    @Test
    void everyBadValueIsRejectedNamingTheSetting() {
        rejects("workers", b -> b.workers(0));
        rejects("workers", b -> b.workers(-3));
        rejects("workers", b -> b.workers(RuntimeBuilder.MAX_WORKERS + 1));
        rejects("cpus", b -> b.cpus((int[]) null));
        rejects("cpus", b -> b.cpus());
        rejects("cpus", b -> b.cpus(0, -1));
        rejects("cpus", b -> b.cpus(0, Integer.MAX_VALUE)); // no huge affinity mask for a typo
        rejects("threadNamePrefix", b -> b.threadNamePrefix(null));
        rejects("threadNamePrefix", b -> b.threadNamePrefix(""));
        rejects("runQueueCapacity", b -> b.runQueueCapacity(15));
        rejects("runQueueCapacity", b -> b.runQueueCapacity(RuntimeBuilder.MAX_QUEUE + 1));
        rejects("meshQueueCapacity", b -> b.meshQueueCapacity(1));
        rejects("meshQueueCapacity", b -> b.meshQueueCapacity(Integer.MAX_VALUE));
        rejects("tasksPerRound", b -> b.tasksPerRound(0));
        rejects("tasksPerRound", b -> b.tasksPerRound(RuntimeBuilder.MAX_BUDGET + 1));
        rejects("meshMessagesPerRound", b -> b.meshMessagesPerRound(0));
        rejects("idleStrategy", b -> b.idleStrategy(null));
        rejects("idleSpinRounds", b -> b.idleSpinRounds(-1));
        rejects("cpuYieldInterval", b -> b.cpuYieldInterval(null));
        rejects("cpuYieldInterval", b -> b.cpuYieldInterval(java.time.Duration.ofNanos(-1)));
        rejects("cpuYieldInterval", b -> b.cpuYieldInterval(java.time.Duration.ofMillis(1001)));
        rejects("driverFactory", b -> b.driverFactory(null));
        rejects("uncaughtExceptionHandler", b -> b.uncaughtExceptionHandler(null));
        rejects("blockingThreads", b -> b.blockingThreads(0));
        rejects("blockingThreads", b -> b.blockingThreads(RuntimeBuilder.MAX_BLOCKING + 1));
    }

    @Test
    void workersThatNeverYieldTheirCpuStillRunEverything() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).noCpuYield().idleSpinRounds(0).build()) {
            long sum = rt.blockOn(() -> {
                var handles = new java.util.ArrayList<io.veloq.join.JoinHandle<Integer>>();
                for (int i = 0; i < 1000; i++) {
                    int x = i;
                    handles.add(rt.spawnOn(i % 2, () -> x));
                }
                long s = 0;
                for (var h : handles) {
                    s += h.join();
                }
                return s;
            });
            assertEquals(999L * 1000 / 2, sum);
        }
    }

    @Test
    void contradictingSettingsAreRejectedAtBuild() {
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> Runtime.builder().workers(2).cpus(0).build());
        assertTrue(length.getMessage().contains("cpus") && length.getMessage().contains("2 workers"), length.getMessage());
        IllegalArgumentException pinningOff = assertThrows(IllegalArgumentException.class,
                () -> Runtime.builder().workers(1).cpus(0).pinning(false).build());
        assertTrue(pinningOff.getMessage().contains("pinning"), pinningOff.getMessage());
    }

    @Test
    void everySettingIsApplied() throws Exception {
        String prefix = TestSupport.uniquePrefix("builder");
        AtomicInteger drivers = new AtomicInteger();
        UncaughtReports reports = new UncaughtReports();
        Runtime rt = Runtime.builder()
                .workers(2)
                .pinning(true)
                .cpus(0, 0)
                .threadNamePrefix(prefix)
                .runQueueCapacity(16)
                .meshQueueCapacity(2)
                .tasksPerRound(1)
                .meshMessagesPerRound(1)
                .idleStrategy(() -> new BackoffIdleStrategy(1, 1, 1000, 1000))
                .idleSpinRounds(0)
                .cpuYieldInterval(java.time.Duration.ZERO)
                .driverFactory(i -> {
                    drivers.incrementAndGet();
                    return new PortableDriver(i);
                })
                .uncaughtExceptionHandler(reports)
                .blockingThreads(1)
                .debug(true)
                .build();
        try {
            assertEquals(2, rt.workerCount());
            assertEquals(2, drivers.get());
            assertEquals(2, TestSupport.threadsNamed(prefix + "0").size() + TestSupport.threadsNamed(prefix + "1").size());
            // tiny queues and budgets still run everything
            int sum = rt.blockOn(() -> {
                var handles = new java.util.ArrayList<io.veloq.join.JoinHandle<Integer>>();
                for (int i = 0; i < 200; i++) {
                    int x = i;
                    handles.add(i % 2 == 0 ? rt.spawnOn(1, () -> x) : rt.spawn(() -> x));
                }
                int s = 0;
                for (var h : handles) {
                    s += h.join();
                }
                return s;
            });
            assertEquals(199 * 200 / 2, sum);
            String dump = rt.dumpTasks();
            assertTrue(dump.contains("debug on"), dump);
            IllegalStateException failure = new IllegalStateException("to the builder's handler");
            rt.execute(() -> {
                throw failure;
            });
            UncaughtReports.Report report = reports.await("the execute() failure", r -> r.failure() == failure);
            assertTrue(report.thread().startsWith("veloq task 'task-"), report.thread()); // debug names tasks
        } finally {
            TestSupport.closeAndAssertNoThreads(rt, prefix);
        }
        reports.assertNoneUnexpected();
    }

    @Test
    void explicitDriverFactoryFailureFailsTheStartAndLeavesNoThreads() {
        String prefix = TestSupport.uniquePrefix("badfactory");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Runtime.builder()
                .workers(2)
                .threadNamePrefix(prefix)
                .driverFactory(i -> {
                    if (i == 1) {
                        throw new java.io.IOException("no ring for you");
                    }
                    return new PortableDriver(i);
                })
                .build());
        assertTrue(e.getMessage().contains("worker 1") && e.getMessage().contains("no ring for you"), e.getMessage());
        assertTrue(TestSupport.threadsNamed(prefix).isEmpty(), () -> "left: " + TestSupport.threadsNamed(prefix));
    }

    @Test
    void nullDriverFromFactoryFailsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Runtime.builder().workers(1).driverFactory(i -> (Driver) null).build());
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void refusedPinningDegradesWithOneWarning() throws Exception {
        try (LogCapture log = LogCapture.core()) {
            try (Runtime rt = Runtime.builder().workers(2).cpus(4000, 4001).build()) { // no such CPUs
                assertEquals(3, rt.spawnOn(1, () -> 3).join());
            }
            List<String> warnings = log.messages(Level.WARNING).stream().filter(m -> m.contains("pinning")).toList();
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).contains("EINVAL"), warnings.get(0));
        }
    }

    @Test
    void pinningOffBuildsUnpinnedWorkers() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).pinning(false).build()) {
            assertTrue(rt.dumpTasks().contains("unpinned"), rt.dumpTasks());
        }
    }

    @Test
    void builderCanBuildSeveralRuntimes() throws Exception {
        RuntimeBuilder builder = Runtime.builder().workers(1).pinning(false);
        try (Runtime a = builder.build(); Runtime b = builder.build()) {
            assertEquals(1, a.blockOn(() -> 1));
            assertEquals(2, b.blockOn(() -> 2));
        }
    }
}
