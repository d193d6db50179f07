package io.veloq.join;

import static io.veloq.join.JoinState.EXCEPTIONAL;
import static io.veloq.join.JoinState.NORMAL;
import static io.veloq.join.JoinState.PENDING;
import static io.veloq.join.JoinState.phase;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A consumer's reads of a {@link JoinCell}'s outcome: waiting for it ({@code join}, {@code get}, the
 * timed {@code get}: help, then register and park, protocol steps 6 and 7 in the package
 * documentation) or looking at it now ({@link Future#state}, {@code resultNow}, {@code exceptionNow}).
 * The cell's public methods delegate here; the state word and its transitions stay in the cell.
 *
 * <p>Threading: any thread, virtual or platform, any number of times, concurrently with the producer
 * and with each other. No state of its own: the outcome is read plainly only after {@link
 * JoinCell#settledState} acquired a decided state word, which pairs with the completer's release
 * store; a joiner's node is written only by its thread until the push CAS publishes it.
 */
final class JoinWait {

    private JoinWait() {}

    /** {@link JoinCell#join()}: help, then park uninterruptibly, keeping an interrupt for the return. */
    static <T> T join(JoinCell<T> cell) {
        int s = cell.settledState();
        if (!JoinState.isDecided(s)) {
            s = help(cell, s);
        }
        if (!JoinState.isDecided(s)) {
            try {
                s = cell.await(false, false, 0L);
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError("uninterruptible untimed wait threw", e);
            }
        }
        if (phase(s) == EXCEPTIONAL) {
            throw new TaskFailedException(cell.name(), (Throwable) cell.outcome()); // plain: after the acquire of s
        }
        return report(cell, s);
    }

    /** {@link JoinCell#get()}: help unless interrupted, then park interruptibly. */
    static <T> T get(JoinCell<T> cell) throws InterruptedException, ExecutionException {
        int s = cell.settledState();
        if (!JoinState.isDecided(s) && !Thread.currentThread().isInterrupted()) {
            s = help(cell, s); // an interrupted caller throws InterruptedException below instead
        }
        if (!JoinState.isDecided(s)) {
            try {
                s = cell.await(true, false, 0L);
            } catch (TimeoutException e) {
                throw new AssertionError("untimed wait timed out", e);
            }
        }
        if (phase(s) == EXCEPTIONAL) {
            throw new ExecutionException((Throwable) cell.outcome()); // plain: after the acquire of s
        }
        return report(cell, s);
    }

    /** {@link JoinCell#get(long, TimeUnit)}: no help (it may run past the deadline), a timed park. */
    static <T> T get(JoinCell<T> cell, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        int s = cell.settledState();
        if (!JoinState.isDecided(s)) {
            s = cell.await(true, true, unit.toNanos(timeout));
        }
        if (phase(s) == EXCEPTIONAL) {
            throw new ExecutionException((Throwable) cell.outcome()); // plain: after the acquire of s
        }
        return report(cell, s);
    }

    /**
     * Lets the cell's helper settle it on this thread if it can (see {@link JoinHelper}); returns the
     * state word, which is decided when the helper succeeded.
     */
    private static int help(JoinCell<?> cell, int s) {
        JoinHelper h = cell.helper(); // plain: see the field
        if (h != null && h.helpJoin()) {
            return cell.settledState();
        }
        return s;
    }

    /** The value for NORMAL; CancellationException for the cancelled phases. */
    @SuppressWarnings("unchecked")
    private static <T> T report(JoinCell<T> cell, int s) {
        if (phase(s) == NORMAL) {
            return (T) cell.outcome(); // plain: ordered after the acquire that returned s
        }
        throw cell.cancelled();
    }

    /**
     * Registers the calling thread and parks until released, the deadline passes or (if
     * interruptible) it is interrupted. Returns the settled state word. Entered through {@link
     * JoinCell#await}.
     */
    static int await(JoinCell<?> cell, boolean interruptible, boolean timed, long nanos)
            throws InterruptedException, TimeoutException {
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (timed && nanos <= 0L) {
            throw timedOut(cell, nanos);
        }
        Waiter.Joiner node = new Waiter.Joiner(Thread.currentThread());
        if (!cell.enlist(node)) {
            return cell.settledState(); // decided first: enlist has seen the decision
        }
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        boolean interruptedMeanwhile = false;
        while (!node.isClaimed()) {
            if (interruptible && Thread.interrupted()) {
                if (node.withdraw()) {
                    cell.unlinkWithdrawn();
                    throw new InterruptedException();
                }
                interruptedMeanwhile = true; // released concurrently: report the outcome, keep the flag
                break;
            }
            if (timed) {
                long left = deadline - System.nanoTime();
                if (left <= 0L) {
                    if (node.withdraw()) {
                        cell.unlinkWithdrawn();
                        throw timedOut(cell, nanos);
                    }
                    break; // released concurrently: the outcome is ready
                }
                LockSupport.parkNanos(cell, left);
            } else {
                LockSupport.park(cell);
            }
            if (!interruptible && Thread.interrupted()) {
                interruptedMeanwhile = true; // clear it so park blocks again; re-asserted below
            }
        }
        if (interruptedMeanwhile) {
            Thread.currentThread().interrupt();
        }
        return cell.settledState();
    }

    private static TimeoutException timedOut(JoinCell<?> cell, long nanos) {
        return new TimeoutException("task '" + cell.name() + "' not done after " + Math.max(0L, nanos) + " ns");
    }

    static Future.State state(JoinCell<?> cell) {
        int s = cell.settledState();
        return switch (phase(s)) {
            case PENDING -> Future.State.RUNNING;
            case NORMAL -> Future.State.SUCCESS;
            case EXCEPTIONAL -> Future.State.FAILED;
            default -> Future.State.CANCELLED;
        };
    }

    @SuppressWarnings("unchecked")
    static <T> T resultNow(JoinCell<T> cell) {
        int s = cell.settledState();
        return switch (phase(s)) {
            case NORMAL -> (T) cell.outcome(); // plain: after the acquire of s
            case EXCEPTIONAL -> throw new IllegalStateException("Task '" + cell.name() + "' completed with exception");
            case PENDING -> throw new IllegalStateException("Task '" + cell.name() + "' has not completed");
            default -> throw new IllegalStateException("Task '" + cell.name() + "' was cancelled");
        };
    }

    static Throwable exceptionNow(JoinCell<?> cell) {
        int s = cell.settledState();
        return switch (phase(s)) {
            case EXCEPTIONAL -> (Throwable) cell.outcome(); // plain: after the acquire of s
            case NORMAL -> throw new IllegalStateException("Task '" + cell.name() + "' completed with a result");
            case PENDING -> throw new IllegalStateException("Task '" + cell.name() + "' has not completed");
            default -> throw new IllegalStateException("Task '" + cell.name() + "' was cancelled");
        };
    }
}
