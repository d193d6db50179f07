package io.veloq.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Single-threaded behaviour of every public method of {@link JoinCell}, including failure paths. */
@Timeout(10)
class JoinCellTest {

    @Test
    void nullArgumentsAreRejectedWithTheParameterName() {
        assertEquals("name", assertThrows(NullPointerException.class, () -> new JoinCell<>(null)).getMessage());
        JoinCell<String> cell = new JoinCell<>("t");
        assertEquals("runner", assertThrows(NullPointerException.class, () -> cell.tryStart(null)).getMessage());
        assertEquals("failure",
                assertThrows(NullPointerException.class, () -> cell.completeExceptionally(null)).getMessage());
        assertEquals("callback", assertThrows(NullPointerException.class, () -> cell.onComplete(null)).getMessage());
        assertEquals("unit", assertThrows(NullPointerException.class, () -> cell.get(1, null)).getMessage());
        assertFalse(cell.isDone(), "rejected calls must not change the cell");
    }

    @Test
    void newCellIsPendingAndNotStarted() {
        JoinCell<String> cell = new JoinCell<>("fresh");
        assertEquals("fresh", cell.name());
        assertFalse(cell.isDone());
        assertFalse(cell.isCancelled());
        assertEquals(Future.State.RUNNING, cell.state());
        assertThrows(IllegalStateException.class, cell::resultNow);
        assertThrows(IllegalStateException.class, cell::exceptionNow);
        assertEquals("JoinCell[name=fresh, state=NEW, waiters=0]", cell.toString());
    }

    @Test
    void tryStartWinsOnce() {
        JoinCell<String> cell = new JoinCell<>("t");
        assertTrue(cell.tryStart(Thread.currentThread()));
        assertFalse(cell.tryStart(Thread.currentThread()));
        assertFalse(cell.isDone());
        assertEquals(Future.State.RUNNING, cell.state());
        assertTrue(cell.toString().contains("state=RUNNING"), cell.toString());
    }

    @Test
    void valueIsReportedByEveryAccessor() throws Exception {
        JoinCell<String> cell = new JoinCell<>("t");
        assertTrue(cell.tryStart(Thread.currentThread()));
        assertTrue(cell.complete("v"));
        assertTrue(cell.isDone());
        assertFalse(cell.isCancelled());
        assertEquals("v", cell.join());
        assertEquals("v", cell.get());
        assertEquals("v", cell.get(0, TimeUnit.NANOSECONDS));
        assertEquals("v", cell.resultNow());
        assertEquals(Future.State.SUCCESS, cell.state());
        assertThrows(IllegalStateException.class, cell::exceptionNow);
        assertTrue(cell.toString().contains("state=READY(value)"), cell.toString());
    }

    @Test
    void secondOutcomeAndLateCancelAreDropped() {
        JoinCell<String> cell = new JoinCell<>("t");
        cell.tryStart(Thread.currentThread());
        assertTrue(cell.complete("first"));
        assertFalse(cell.complete("second"));
        assertFalse(cell.completeExceptionally(new IllegalStateException()));
        assertFalse(cell.cancel(true));
        assertFalse(cell.isCancelled());
        assertFalse(Thread.interrupted(), "a lost cancel must not interrupt the runner");
        assertEquals("first", cell.join());
    }

    @Test
    void nullValueIsAValue() throws Exception {
        JoinCell<String> cell = new JoinCell<>("t");
        cell.tryStart(Thread.currentThread());
        assertTrue(cell.complete(null));
        assertNull(cell.join());
        assertNull(cell.get());
        assertNull(cell.resultNow());
        assertEquals(Future.State.SUCCESS, cell.state());
    }

    @Test
    void failureIsWrappedWithTheOriginalAsCause() {
        JoinCell<String> cell = new JoinCell<>("failing-task");
        cell.tryStart(Thread.currentThread());
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        assertTrue(cell.completeExceptionally(boom));
        TaskFailedException joined = assertThrows(TaskFailedException.class, cell::join);
        assertSame(boom, joined.getCause());
        assertTrue(joined.getMessage().contains("failing-task"), joined.getMessage());
        ExecutionException got = assertThrows(ExecutionException.class, cell::get);
        assertSame(boom, got.getCause());
        ExecutionException timed = assertThrows(ExecutionException.class, () -> cell.get(1, TimeUnit.SECONDS));
        assertSame(boom, timed.getCause());
        assertSame(boom, cell.exceptionNow());
        assertThrows(IllegalStateException.class, cell::resultNow);
        assertEquals(Future.State.FAILED, cell.state());
        assertTrue(cell.isDone());
        assertFalse(cell.isCancelled());
        assertTrue(cell.toString().contains("state=READY(failure)"), cell.toString());
    }

    @Test
    void completeBeforeStartSkipsTheBody() {
        JoinCell<String> cell = new JoinCell<>("t");
        assertTrue(cell.completeExceptionally(new IllegalStateException("rejected")));
        assertFalse(cell.tryStart(Thread.currentThread()));
        assertEquals(Future.State.FAILED, cell.state());
        assertTrue(cell.toString().contains("not started"), cell.toString());
    }

    @Test
    void cancelBeforeStartMeansTheTaskNeverRuns() {
        JoinCell<String> cell = new JoinCell<>("never-run");
        assertTrue(cell.cancel(true));
        assertFalse(Thread.interrupted(), "nobody runs the task, so nobody is interrupted");
        assertFalse(cell.tryStart(Thread.currentThread()));
        assertTrue(cell.isCancelled());
        assertTrue(cell.isDone());
        assertEquals(Future.State.CANCELLED, cell.state());
        CancellationException e = assertThrows(CancellationException.class, cell::join);
        assertTrue(e.getMessage().contains("never-run"), e.getMessage());
        assertThrows(CancellationException.class, cell::get);
        assertThrows(CancellationException.class, () -> cell.get(1, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, cell::resultNow);
        assertThrows(IllegalStateException.class, cell::exceptionNow);
        assertFalse(cell.cancel(false), "second cancel");
        assertFalse(cell.complete("late"));
        assertTrue(cell.toString().contains("state=CANCELLED(before start)"), cell.toString());
    }

    @Test
    void cancelWithoutInterruptDuringRunLeavesTheRunnerAlone() {
        JoinCell<String> cell = new JoinCell<>("t");
        assertTrue(cell.tryStart(Thread.currentThread()));
        assertTrue(cell.cancel(false));
        assertFalse(Thread.interrupted());
        assertTrue(cell.isCancelled());
        assertFalse(cell.complete("late"), "the body's result is dropped after cancel");
        assertThrows(CancellationException.class, cell::join);
        assertTrue(cell.toString().contains("state=CANCELLED(during run)"), cell.toString());
    }

    @Test
    void selfCancelWithInterruptInterruptsTheRunnerBeforeReturning() {
        JoinCell<String> cell = new JoinCell<>("t");
        assertTrue(cell.tryStart(Thread.currentThread()));
        assertTrue(cell.cancel(true));
        assertTrue(Thread.interrupted(), "the runner (this thread) must be interrupted");
        assertFalse(cell.completeExceptionally(new InterruptedException()));
        assertEquals(Future.State.CANCELLED, cell.state());
    }

    @Test
    void timedGetOnPendingCellTimesOutAtOnceForNonPositiveTimeouts() {
        JoinCell<String> cell = new JoinCell<>("slow");
        TimeoutException zero = assertThrows(TimeoutException.class, () -> cell.get(0, TimeUnit.SECONDS));
        assertTrue(zero.getMessage().contains("slow"), zero.getMessage());
        assertThrows(TimeoutException.class, () -> cell.get(-5, TimeUnit.MILLISECONDS));
        assertThrows(TimeoutException.class, () -> cell.get(1, TimeUnit.MILLISECONDS));
        assertEquals(0, cell.liveWaiters(), "timed-out joiners must unlink their nodes");
    }

    @Test
    void interruptedCallerGetsTheOutcomeOfADoneCellAndKeepsItsInterrupt() throws Exception {
        JoinCell<String> cell = new JoinCell<>("t");
        cell.complete("v");
        Thread.currentThread().interrupt();
        try {
            assertEquals("v", cell.get());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void interruptedCallerOfAPendingCellGetsInterruptedException() {
        JoinCell<String> cell = new JoinCell<>("t");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, cell::get);
        assertFalse(Thread.currentThread().isInterrupted(), "InterruptedException clears the status");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> cell.get(1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted());
        assertEquals(0, cell.liveWaiters());
    }

    @Test
    void observersAreCallbacksAndRegisteredJoinersUntilTheRelease() {
        JoinCell<String> cell = new JoinCell<>("t");
        assertFalse(cell.hasObservers());
        assertThrows(TimeoutException.class, () -> cell.get(1, TimeUnit.MICROSECONDS));
        assertFalse(cell.hasObservers(), "a joiner that gave up no longer observes");
        cell.onComplete((v, f) -> { });
        assertTrue(cell.hasObservers());
        cell.complete("v");
        assertFalse(cell.hasObservers(), "released observers are served");
        JoinCell<String> viewed = new JoinCell<>("viewed");
        viewed.toCompletionStage();
        assertTrue(viewed.hasObservers());
    }

    @Test
    void onCompleteReturnsTheSameHandle() {
        JoinCell<String> cell = new JoinCell<>("t");
        assertSame(cell, cell.onComplete((v, f) -> { }));
        cell.complete("v");
        assertSame(cell, cell.onComplete((v, f) -> { }));
    }

    @Test
    void stateDescriptionsDecodeEveryPhase() {
        assertEquals("NEW", JoinState.describe(JoinState.NEW));
        assertEquals("RUNNING", JoinState.describe(JoinState.STARTED));
        assertEquals("COMPLETING", JoinState.describe(JoinState.STARTED | JoinState.COMPLETING));
        assertEquals("INTERRUPTING", JoinState.describe(JoinState.STARTED | JoinState.INTERRUPTING));
        assertEquals("READY(failure, not started)", JoinState.describe(JoinState.EXCEPTIONAL));
        assertTrue(JoinState.describe(7 << JoinState.PHASE_SHIFT).startsWith("INVALID"));
        assertEquals("CANCELLED(before start)", JoinState.describe(JoinState.CANCELLED));
        assertTrue(JoinState.isCancelled(JoinState.STARTED | JoinState.INTERRUPTING));
        assertTrue(JoinState.isDecided(JoinState.COMPLETING));
        assertFalse(JoinState.isDecided(JoinState.STARTED));
    }
}
