package io.veloq.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races complete/completeExceptionally vs cancel(true|false) vs every kind of joiner (virtual and
 * platform; join, get, polling timed get, callbacks) on fresh cells for a bounded time (default 2 s,
 * {@code -Dveloq.stress.seconds=N} for longer). Checks exactly one outcome, that every observer agrees
 * with it, that callbacks run exactly once, that the runner's interrupt is delivered before a losing
 * complete returns and never otherwise, and that no joiner hangs.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JoinCellStressTest {
    private static final long SECONDS = Long.getLong("veloq.stress.seconds", 2L);
    private static final int MIN_ROUNDS = 200;
    private static final String VALUE_PREFIX = "value-";

    private final AtomicInteger cancelWins = new AtomicInteger();
    private final AtomicInteger skippedBodies = new AtomicInteger();
    private final AtomicInteger runnerInterrupts = new AtomicInteger();
    private ExecutorService platform;
    private ExecutorService virtual;

    @BeforeEach
    void startPools() {
        platform = Executors.newFixedThreadPool(4);
        virtual = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterEach
    void stopPools() throws InterruptedException {
        platform.shutdownNow();
        virtual.shutdownNow();
        assertTrue(platform.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(virtual.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void completeVersusCancelVersusJoinersHasExactlyOneOutcome() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        int rounds = 0;
        while (rounds < MIN_ROUNDS || System.nanoTime() < end) {
            round(rounds++);
        }
        System.out.printf("JoinCellStressTest: %d rounds, cancel won %d, body skipped %d, runner interrupted %d%n",
                rounds, cancelWins.get(), skippedBodies.get(), runnerInterrupts.get());
        assertTrue(rounds >= MIN_ROUNDS);
    }

    /** What the runner observed. */
    private record RunnerView(boolean started, boolean won, boolean interruptedAfterComplete) {
    }

    private void round(int r) throws Exception {
        JoinCell<String> cell = new JoinCell<>("round-" + r);
        boolean fail = (r & 1) != 0;
        boolean mayInterrupt = (r & 2) != 0;
        String value = VALUE_PREFIX + r;
        IllegalStateException failure = new IllegalStateException("failure-" + r);
        AtomicInteger earlyCallbackRuns = new AtomicInteger();
        AtomicInteger racingCallbackRuns = new AtomicInteger();
        List<String> callbackSeen = new CopyOnWriteArrayList<>();
        cell.onComplete((v, f) -> {
            earlyCallbackRuns.incrementAndGet();
            callbackSeen.add(describe(v, f));
        });
        CountDownLatch go = new CountDownLatch(1);

        Future<RunnerView> runner = platform.submit(() -> {
            go.await();
            boolean started = cell.tryStart(Thread.currentThread());
            if (!started) {
                return new RunnerView(false, false, Thread.interrupted());
            }
            // A body of varying length (spinning or blocking), so cancels land before, during and after it.
            spin((r >>> 2) % 4 * 50);
            if ((r & 16) != 0) {
                LockSupport.parkNanos((r >>> 2) % 4 * 20_000L); // returns early on the cancel's interrupt
            }
            boolean won = fail ? cell.completeExceptionally(failure) : cell.complete(value);
            return new RunnerView(true, won, Thread.interrupted());
        });
        Future<Boolean> canceller = platform.submit(() -> {
            go.await();
            spin((r >>> 5) % 4 * 60);
            return cell.cancel(mayInterrupt);
        });
        List<Future<String>> joiners = new ArrayList<>();
        joiners.add(virtual.submit(observe(go, () -> cell.join())));
        joiners.add(virtual.submit(observe(go, () -> cell.get())));
        joiners.add(virtual.submit(observe(go, () -> poll(cell))));
        joiners.add(platform.submit(observe(go, () -> cell.get(1, TimeUnit.MINUTES))));
        Future<?> registrar = platform.submit(() -> {
            go.await();
            cell.onComplete((v, f) -> {
                racingCallbackRuns.incrementAndGet();
                callbackSeen.add(describe(v, f));
            });
            return null;
        });
        go.countDown();

        RunnerView run = bounded(runner, cell);
        boolean cancelWon = bounded(canceller, cell);
        List<String> seen = new ArrayList<>();
        for (Future<String> j : joiners) {
            seen.add(bounded(j, cell));
        }
        bounded(registrar, cell);

        assertNotEquals(run.won(), cancelWon, () -> "exactly one of complete and cancel must win: " + cell);
        String expected = cancelWon ? "cancelled" : fail ? "failed:" + failure.getMessage() : "value:" + value;
        for (String s : seen) {
            assertEquals(expected, s, () -> "joiner disagrees: " + cell);
        }
        assertEquals(1, earlyCallbackRuns.get(), () -> "early callback runs: " + cell);
        assertEquals(1, racingCallbackRuns.get(), () -> "racing callback runs: " + cell);
        assertEquals(List.of(expected, expected), callbackSeen);
        assertEquals(cancelWon, cell.isCancelled());
        assertTrue(cell.isDone());
        assertEquals(0, cell.liveWaiters());
        cancelWins.addAndGet(cancelWon ? 1 : 0);
        skippedBodies.addAndGet(run.started() ? 0 : 1);
        runnerInterrupts.addAndGet(run.interruptedAfterComplete() ? 1 : 0);
        if (run.started()) {
            // Interrupted iff a cancel(true) won while the body ran, and already when complete returned.
            assertEquals(cancelWon && mayInterrupt, run.interruptedAfterComplete(), () -> "runner interrupt: " + cell);
        } else {
            assertTrue(cancelWon, () -> "the body may be skipped only after a cancel: " + cell);
            assertFalse(run.interruptedAfterComplete(), () -> "a never-started runner is not interrupted: " + cell);
            assertFalse(cell.toString().contains("during run"), cell::toString);
        }
    }

    /** Waits for the go signal, runs {@code wait}, and describes the outcome it observed. */
    private static Callable<String> observe(CountDownLatch go, Callable<String> wait) {
        return () -> {
            go.await();
            try {
                return describe(wait.call(), null);
            } catch (TaskFailedException | ExecutionException e) {
                return describe(null, e.getCause());
            } catch (CancellationException e) {
                return "cancelled";
            }
        };
    }

    private static String describe(String value, Throwable failure) {
        if (failure instanceof CancellationException) {
            return "cancelled";
        }
        return failure != null ? "failed:" + failure.getMessage() : "value:" + value;
    }

    private static void spin(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Thread.onSpinWait();
        }
    }

    /** Polls with very short timeouts, so that withdrawing races releasing. */
    private static String poll(JoinCell<String> cell) throws Exception {
        for (;;) {
            try {
                return cell.get(20, TimeUnit.MICROSECONDS);
            } catch (TimeoutException e) {
                Thread.onSpinWait();
            }
        }
    }

    /** A bounded wait on one participant: a hang is reported with the cell's decoded state. */
    private static <V> V bounded(Future<V> f, JoinCell<?> cell) throws Exception {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail("participant hangs on " + cell);
            throw e;
        } catch (ExecutionException e) {
            throw new AssertionError("participant failed on " + cell, e.getCause());
        }
    }
}
