package io.veloq.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parked joiners on virtual and platform threads: release, timeout, interrupt, cancel during run. */
@Timeout(30)
class JoinCellJoinerTest {

    /** Starts a virtual or platform thread that stores what {@code body} returned or threw. */
    private static Thread startJoiner(boolean virtual, AtomicReference<Object> result, Waiting body) {
        Runnable r = () -> {
            try {
                result.set(body.call());
            } catch (Throwable t) {
                result.set(t);
            }
        };
        return virtual ? Thread.ofVirtual().start(r) : Thread.ofPlatform().start(r);
    }

    @FunctionalInterface
    private interface Waiting {
        Object call() throws Exception;
    }

    /** Waits (bounded by the test's @Timeout) until {@code n} nodes are on the cell's waiter stack. */
    private static void awaitWaiters(JoinCell<?> cell, int n) throws InterruptedException {
        while (cell.liveWaiters() < n) {
            Thread.sleep(1);
        }
    }

    private static Waiting waitStyle(JoinCell<String> cell, int i) {
        return switch (i % 3) {
            case 0 -> cell::join;
            case 1 -> cell::get;
            default -> () -> cell.get(1, TimeUnit.HOURS);
        };
    }

    @Test
    void manyVirtualAndPlatformJoinersAllReceiveTheValue() throws Exception {
        JoinCell<String> cell = new JoinCell<>("shared");
        List<Thread> threads = new ArrayList<>();
        List<AtomicReference<Object>> results = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            AtomicReference<Object> result = new AtomicReference<>();
            results.add(result);
            threads.add(startJoiner(i % 8 != 0, result, waitStyle(cell, i)));
        }
        awaitWaiters(cell, threads.size());
        assertTrue(cell.toString().contains("waiters=240"), cell.toString());
        assertTrue(cell.hasObservers());
        Thread completer = Thread.ofPlatform().start(() -> {
            assertTrue(cell.tryStart(Thread.currentThread()));
            assertTrue(cell.complete("value"));
        });
        completer.join();
        for (Thread t : threads) {
            t.join();
        }
        for (AtomicReference<Object> r : results) {
            assertEquals("value", r.get());
        }
        assertEquals(0, cell.liveWaiters());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void failureAndCancellationReachEveryJoiner(boolean cancel) throws Exception {
        JoinCell<String> cell = new JoinCell<>("outcome");
        List<Thread> threads = new ArrayList<>();
        List<AtomicReference<Object>> results = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            AtomicReference<Object> result = new AtomicReference<>();
            results.add(result);
            threads.add(startJoiner(i % 2 == 0, result, waitStyle(cell, i)));
        }
        awaitWaiters(cell, threads.size());
        IllegalStateException boom = new IllegalStateException("boom");
        assertTrue(cancel ? cell.cancel(false) : cell.completeExceptionally(boom));
        for (Thread t : threads) {
            t.join();
        }
        for (int i = 0; i < results.size(); i++) {
            Object r = results.get(i).get();
            if (cancel) {
                assertInstanceOf(CancellationException.class, r);
            } else if (i % 3 == 0) {
                assertSame(boom, assertInstanceOf(TaskFailedException.class, r).getCause());
            } else {
                assertSame(boom, assertInstanceOf(ExecutionException.class, r).getCause());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void timedGetTimesOutWhileOtherJoinersKeepWaiting(boolean virtual) throws Exception {
        JoinCell<String> cell = new JoinCell<>("slow");
        AtomicReference<Object> patient = new AtomicReference<>();
        Thread waiter = startJoiner(virtual, patient, cell::join);
        awaitWaiters(cell, 1);
        AtomicReference<Object> hasty = new AtomicReference<>();
        startJoiner(virtual, hasty, () -> cell.get(20, TimeUnit.MILLISECONDS)).join();
        assertInstanceOf(TimeoutException.class, hasty.get());
        assertEquals(1, cell.liveWaiters(), "the timed-out node is unlinked, the patient one stays");
        assertTrue(cell.complete("late"));
        waiter.join();
        assertEquals("late", patient.get());
    }

    @Test
    void repeatedShortTimeoutsDoNotAccumulateNodes() throws Exception {
        JoinCell<String> cell = new JoinCell<>("polled");
        List<Thread> pollers = new ArrayList<>();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        for (int p = 0; p < 4; p++) {
            pollers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 300; i++) {
                    try {
                        cell.get(10, TimeUnit.MICROSECONDS);
                        unexpected.set(new AssertionError("pending cell returned a value"));
                    } catch (TimeoutException expected) {
                        // the point of the test
                    } catch (Throwable t) {
                        unexpected.set(t);
                    }
                }
            }));
        }
        for (Thread t : pollers) {
            t.join();
        }
        assertEquals(null, unexpected.get());
        assertEquals(0, cell.liveWaiters());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void interruptingAWaitingGetThrowsInterruptedException(boolean virtual) throws Exception {
        JoinCell<String> cell = new JoinCell<>("t");
        AtomicReference<Object> untimed = new AtomicReference<>();
        AtomicReference<Object> timed = new AtomicReference<>();
        Thread a = startJoiner(virtual, untimed, cell::get);
        Thread b = startJoiner(virtual, timed, () -> cell.get(1, TimeUnit.HOURS));
        awaitWaiters(cell, 2);
        a.interrupt();
        b.interrupt();
        a.join();
        b.join();
        assertInstanceOf(InterruptedException.class, untimed.get());
        assertInstanceOf(InterruptedException.class, timed.get());
        assertEquals(0, cell.liveWaiters(), "interrupted joiners withdraw their nodes");
        assertFalse(cell.isDone());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void joinKeepsWaitingThroughAnInterruptAndReassertsIt(boolean virtual) throws Exception {
        JoinCell<String> cell = new JoinCell<>("t");
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicBoolean interruptedOnReturn = new AtomicBoolean();
        Thread joiner = startJoiner(virtual, result, () -> {
            String v = cell.join();
            interruptedOnReturn.set(Thread.currentThread().isInterrupted());
            return v;
        });
        awaitWaiters(cell, 1);
        joiner.interrupt();
        assertTrue(cell.complete("v")); // join can only return after this: it ignored the interrupt
        joiner.join();
        assertEquals("v", result.get());
        assertTrue(interruptedOnReturn.get());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void cancelDuringRunInterruptsTheRunnerAndReportsAtOnce(boolean virtualRunner) throws Exception {
        JoinCell<String> cell = new JoinCell<>("running");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        AtomicBoolean lateCompleteAccepted = new AtomicBoolean(true);
        Runnable body = () -> {
            if (!cell.tryStart(Thread.currentThread())) {
                return;
            }
            started.countDown();
            try {
                Thread.sleep(TimeUnit.HOURS.toMillis(1));
            } catch (InterruptedException e) {
                sawInterrupt.set(true);
            }
            try {
                mayFinish.await(); // the test checks the handle while the body is still running
            } catch (InterruptedException e) {
                throw new AssertionError("interrupted twice", e);
            }
            lateCompleteAccepted.set(cell.complete("too late"));
        };
        AtomicReference<Object> joined = new AtomicReference<>();
        Thread joiner = startJoiner(!virtualRunner, joined, cell::join);
        awaitWaiters(cell, 1);
        Thread runner = virtualRunner ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body);
        started.await();
        assertTrue(cell.cancel(true));
        assertTrue(cell.isCancelled(), "reported as cancelled before the runner finished");
        assertTrue(cell.isDone());
        assertTrue(runner.isAlive(), "the body is still running");
        joiner.join();
        assertInstanceOf(CancellationException.class, joined.get());
        mayFinish.countDown();
        runner.join();
        assertTrue(sawInterrupt.get(), "the runner was interrupted");
        assertFalse(lateCompleteAccepted.get(), "complete after cancel is dropped");
        assertTrue(cell.toString().contains("CANCELLED(during run)"), cell.toString());
    }
}
