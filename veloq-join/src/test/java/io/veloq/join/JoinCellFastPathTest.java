package io.veloq.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The no-waiter fast path (protocol steps 1, 5 and 6): the runner is stored plainly, a decider that
 * finds nobody waiting leaves the stack open, and a registration that lands after the decision
 * serves itself.
 */
@Timeout(30)
class JoinCellFastPathTest {

    private static Thread idleThread() {
        return Thread.ofPlatform().unstarted(() -> { });
    }

    @Test
    void decidingWithNobodyWaitingLeavesTheStackOpen() {
        JoinCell<String> completed = new JoinCell<>("t");
        assertTrue(completed.tryStart(idleThread()));
        assertTrue(completed.complete("v"));
        assertFalse(completed.isClosed(), "nobody waited: no tombstone swap");
        assertEquals("v", completed.join());

        JoinCell<String> cancelled = new JoinCell<>("c");
        assertTrue(cancelled.tryStart(idleThread()));
        assertTrue(cancelled.cancel(true));
        assertFalse(cancelled.isClosed(), "nobody waited: no tombstone swap");
        assertThrows(CancellationException.class, cancelled::join);
    }

    @Test
    void decidingWithSomebodyWaitingClosesTheStackAndClaimsTheNode() {
        JoinCell<String> cell = new JoinCell<>("t");
        Waiter.Joiner node = new Waiter.Joiner(idleThread());
        assertTrue(cell.enlist(node), "a pending cell keeps the node for the releaser");
        assertTrue(node.isLive());
        assertEquals(1, cell.liveWaiters());
        assertTrue(cell.complete("v"));
        assertTrue(cell.isClosed());
        assertTrue(node.isClaimed(), "the releaser claimed (and unparked) the joiner");
        assertEquals(0, cell.liveWaiters());
    }

    @Test
    void registrationAfterAQuietDecisionServesItself() {
        JoinCell<String> cell = new JoinCell<>("t");
        assertTrue(cell.complete("v"));
        Waiter.Joiner node = new Waiter.Joiner(idleThread());
        // The push succeeds (the stack was never closed), the re-read sees the decision and the
        // joiner withdraws its own node: nobody else would ever claim it.
        assertFalse(cell.enlist(node));
        assertFalse(node.isLive());
        assertFalse(cell.isClosed());
        assertEquals(0, cell.liveWaiters(), "the withdrawn node was unlinked");

        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicInteger runs = new AtomicInteger();
        cell.onComplete((v, f) -> {
            runs.incrementAndGet();
            ranOn.set(Thread.currentThread());
        });
        assertEquals(1, runs.get());
        assertSame(Thread.currentThread(), ranOn.get());
        assertFalse(cell.hasObservers());
    }

    @Test
    void callbackRegisteredBeforeTheDecisionIsRunOnceByTheDecider() throws Exception {
        JoinCell<String> cell = new JoinCell<>("t");
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        cell.onComplete((v, f) -> {
            runs.incrementAndGet();
            ranOn.set(Thread.currentThread());
        });
        Thread decider = Thread.ofPlatform().start(() -> cell.complete("v"));
        decider.join();
        assertEquals(1, runs.get());
        assertSame(decider, ranOn.get());
    }

    @Test
    void repeatedTryStartKeepsTheRecordedRunner() {
        JoinCell<String> cell = new JoinCell<>("t");
        Thread first = idleThread();
        Thread second = idleThread();
        assertTrue(cell.tryStart(first));
        assertFalse(cell.tryStart(second), "a repeated call loses and must not record its thread");
        assertTrue(cell.cancel(true));
        assertTrue(first.isInterrupted(), "cancel(true) interrupts the thread that started the task");
        assertFalse(second.isInterrupted());
    }

    @Test
    void tryStartAfterADecisionLeavesNoRunnerToInterrupt() {
        JoinCell<String> cell = new JoinCell<>("t");
        Thread runner = idleThread();
        assertTrue(cell.cancel(false));
        assertFalse(cell.tryStart(runner));
        assertFalse(cell.cancel(true));
        assertFalse(runner.isInterrupted());
        assertTrue(cell.toString().contains("CANCELLED(before start)"), cell.toString());
    }

    /**
     * Misuse: two threads racing tryStart on the same cell. At most one may win; a loser that saw
     * NEW reports the broken precondition instead of returning quietly.
     */
    @Test
    void racingTryStartsNeverBothWin() throws Exception {
        int rounds = 2_000;
        CyclicBarrier barrier = new CyclicBarrier(2);
        AtomicReference<JoinCell<String>> current = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<int[]> a = pool.submit(() -> race(rounds, barrier, current, true));
            Future<int[]> b = pool.submit(() -> race(rounds, barrier, current, false));
            int[] ra = a.get(20, TimeUnit.SECONDS);
            int[] rb = b.get(20, TimeUnit.SECONDS);
            for (int r = 0; r < rounds; r++) {
                assertEquals(1, (ra[r] == 1 ? 1 : 0) + (rb[r] == 1 ? 1 : 0),
                        "round " + r + ": exactly one tryStart wins, got " + ra[r] + " and " + rb[r]);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    /** Per round: 1 won, 0 lost quietly, 2 lost with IllegalStateException (the race was detected). */
    private static int[] race(int rounds, CyclicBarrier barrier, AtomicReference<JoinCell<String>> current,
            boolean leader) throws Exception {
        int[] results = new int[rounds];
        for (int r = 0; r < rounds; r++) {
            if (leader) {
                current.set(new JoinCell<>("race-" + r));
            }
            barrier.await(10, TimeUnit.SECONDS);
            JoinCell<String> cell = current.get();
            try {
                results[r] = cell.tryStart(Thread.currentThread()) ? 1 : 0;
            } catch (IllegalStateException detected) {
                assertTrue(detected.getMessage().contains("race-" + r), detected.getMessage());
                results[r] = 2;
            }
            barrier.await(10, TimeUnit.SECONDS);
        }
        return results;
    }
}
