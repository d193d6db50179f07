package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.core.timer.TimerHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RuntimeContextTest {

    private static final UncaughtReports REPORTS = new UncaughtReports();
    private static Runtime rt;

    @BeforeAll
    static void start() {
        rt = Runtime.builder().workers(2).idleSpinRounds(0).uncaughtExceptionHandler(REPORTS).build();
    }

    @AfterEach
    void noUnexpectedReports() {
        REPORTS.assertNoneUnexpected();
    }

    @AfterAll
    static void stop() {
        rt.close();
        REPORTS.assertNoneUnexpected();
    }

    @Test
    void outsideTheRuntimeThereIsNoContext() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, RuntimeContext::current);
        assertTrue(e.getMessage().contains("outside a Veloq runtime"), e.getMessage());
        assertFalse(RuntimeContext.inRuntime());
        assertFalse(rt.spawnBlocking(RuntimeContext::inRuntime).join());
        try (var vthreads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            assertFalse(vthreads.submit(RuntimeContext::inRuntime).get());
        }
    }

    @Test
    void insideATaskTheContextDescribesItsWorker() throws Exception {
        for (int w = 0; w < 2; w++) {
            Object[] seen = rt.spawnOn(w, () -> {
                RuntimeContext c = RuntimeContext.current();
                return new Object[] {RuntimeContext.inRuntime(), c.workerIndex(), c.workerCount(), c.runtime(),
                    c.mesh().workers(), c.driver() != null, c.toString()};
            }).join();
            assertEquals(true, seen[0]);
            assertEquals(w, seen[1]);
            assertEquals(2, seen[2]);
            assertSame(rt, seen[3]);
            assertEquals(2, seen[4]);
            assertEquals(true, seen[5]);
        }
    }

    @Test
    void driverAndTimersBelongToTheirWorker() throws Exception {
        RuntimeContext zero = rt.spawnOn(0, RuntimeContext::current).join();
        assertEquals(0, zero.workerIndex()); // plain reads work anywhere
        assertThrows(IllegalStateException.class, zero::driver);
        assertThrows(IllegalStateException.class, () -> zero.scheduleAt(System.nanoTime(), () -> { }));
        var onOtherWorker = assertThrows(io.veloq.join.TaskFailedException.class, () -> rt.spawnOn(1, zero::driver).join());
        REPORTS.joined(onOtherWorker.getCause());
        assertInstanceOf(IllegalStateException.class, onOtherWorker.getCause());
    }

    @Test
    void timersFireOnTheirWorkerInDeadlineOrderAndCanBeCancelled() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> firedOn = new CompletableFuture<>();
        boolean cancelled = rt.spawnOn(1, () -> {
            RuntimeContext c = RuntimeContext.current();
            long now = System.nanoTime();
            c.scheduleAt(now + TimeUnit.MILLISECONDS.toNanos(30), () -> fired.add("late"));
            c.scheduleAt(now + TimeUnit.MILLISECONDS.toNanos(10), () -> fired.add("early"));
            TimerHandle never = c.scheduleAfter(Duration.ofMillis(20), () -> fired.add("cancelled"));
            c.scheduleAfter(Duration.ofMillis(40), () -> firedOn.complete(RuntimeContext.current().workerIndex()));
            assertTrue(never.isPending());
            return never.cancel() && !never.isPending() && !never.cancel();
        }).join();
        assertTrue(cancelled);
        // the task has ended and the worker sleeps: its park deadline must follow the timers
        assertEquals(1, firedOn.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("early", "late"), fired);
    }

    @Test
    void deadlinesFurtherThanHalfTheClockFromNowAreClampedSoTheyStayComparable() throws Exception {
        CompletableFuture<String> farPast = new CompletableFuture<>();
        long[] aheadOfFarFuture = rt.spawnOn(0, () -> {
            RuntimeContext c = RuntimeContext.current();
            long now = System.nanoTime();
            TimerHandle max = c.scheduleAt(Long.MAX_VALUE, () -> { });
            TimerHandle min = c.scheduleAt(Long.MIN_VALUE, () -> { });
            TimerHandle longAgo = c.scheduleAt(now - Long.MAX_VALUE / 2 - 1_000_000_000L, () -> farPast.complete("fired"));
            long after = System.nanoTime(); // each deadline was clamped against a "now" in [now, after]
            long[] ahead = {max.deadlineNanos() - after, min.deadlineNanos() - after, longAgo.deadlineNanos() - after};
            max.cancel();
            min.cancel();
            return ahead;
        }).join();
        for (long ahead : new long[] {aheadOfFarFuture[0], aheadOfFarFuture[1]}) {
            assertTrue(ahead > 0 && ahead <= Long.MAX_VALUE / 2, "clamped to at most half the clock ahead: " + ahead);
        }
        assertTrue(aheadOfFarFuture[2] <= 0 && aheadOfFarFuture[2] > -TimeUnit.SECONDS.toNanos(10),
                "a deadline more than half the clock behind counts as now: " + aheadOfFarFuture[2]);
        assertEquals("fired", farPast.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aThrowingTimerActionIsReportedAndLaterTimersStillRun() throws Exception {
        IllegalStateException thrown = new IllegalStateException("timer failure (expected by the test)");
        CompletableFuture<String> after = new CompletableFuture<>();
        try (LogCapture log = LogCapture.core()) {
            rt.spawnOn(0, () -> {
                RuntimeContext c = RuntimeContext.current();
                c.scheduleAfter(Duration.ZERO, () -> {
                    throw thrown;
                });
                c.scheduleAfter(Duration.ofMillis(1), () -> after.complete("ran"));
            }).join();
            assertEquals("ran", after.get(10, TimeUnit.SECONDS));
            REPORTS.await("the failed timer action", r -> r.failure() == thrown);
            List<LogRecord> errors = log.records().stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
            assertEquals(1, errors.size(), () -> "errors logged: " + errors.stream().map(LogRecord::getMessage).toList());
            assertSame(thrown, errors.get(0).getThrown());
            assertTrue(errors.get(0).getMessage().contains("timer action on worker 0"), errors.get(0).getMessage());
        }
    }
}
