package io.veloq.core.sched;

import io.veloq.join.JoinCell;
import io.veloq.join.JoinHelper;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;

/**
 * A task that has not started yet: its name, body and {@link JoinCell}. It travels through the
 * queues (stealable queue, local run queue, mesh, injector) until a worker starts it on a runner
 * thread; from then on it is home-bound to that worker (see the package documentation).
 *
 * <p>Deliberately not a {@link Runnable}: the worker tells continuations (Runnables the JDK hands
 * to a worker's {@code execute}) from not-yet-started tasks by type.
 *
 * <p>Threading: immutable once queued (published by the queue's release), except the claim word.
 * Whoever runs or drops the task first <em>claims</em> it ({@link #claim}): the thread that dequeued
 * it, or a joiner of the same worker that runs it inline ({@link #helpJoin}, see the package
 * documentation, "Help while join"). Exactly one claim succeeds, so the body runs at most once and
 * {@code JoinCell.tryStart} is called at most once. A stealable task may be claimed by any worker of
 * its scheduler, so its claim is a CAS; any other task is claimed only on its home worker's thread,
 * so its claim is plain.
 *
 * @param <T> the task's result type
 */
final class SpawnTask<T> implements JoinHelper {

    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(SpawnTask.class, "claimed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Unnamed tasks outside debug mode share this name (no per-task string building). */
    static final String DEFAULT_NAME = "task";

    final String name;
    /** Null for fire-and-forget tasks ({@code execute}): their failures always reach the handler. */
    final JoinCell<T> cell;
    /** A {@link Callable} or a {@link Runnable}. */
    private final Object body;
    /** True for {@code spawn}: may be stolen by another worker until it starts. */
    final boolean stealable;
    /** Debug mode only: where the task was spawned; else null. */
    final Throwable spawnSite;
    /** False when a caller is known to wait for the handle (blockOn): its failure is never reported. */
    private final boolean reportUnobserved;
    /**
     * Where a joiner may run the task inline: the {@link Scheduler} for a stealable task (any of its
     * workers), the home {@link Worker} for a task bound to one, null for none (blocking pool).
     * Plain, written by the spawner before it queues the task and returns the handle.
     */
    private Object inlineScope;
    /** 1 once claimed; CAS for stealable tasks, plain otherwise (see the class comment). */
    @SuppressWarnings("unused")
    private int claimed;

    SpawnTask(String name, JoinCell<T> cell, Object body, boolean stealable, Throwable spawnSite) {
        this(name, cell, body, stealable, spawnSite, true);
    }

    SpawnTask(String name, JoinCell<T> cell, Object body, boolean stealable, Throwable spawnSite, boolean reportUnobserved) {
        this.name = name;
        this.cell = cell;
        this.body = body;
        this.stealable = stealable;
        this.spawnSite = spawnSite;
        this.reportUnobserved = reportUnobserved;
    }

    /**
     * Spawner, before queueing: lets joiners on {@code scope} (the scheduler for a stealable task, the
     * home worker for a bound one) run this task inline. Plain writes: the queue hand-off and the
     * return of the handle publish them.
     */
    void allowInline(Object scope) {
        if (cell != null) {
            inlineScope = scope;
            cell.helper(this);
        }
    }

    /**
     * Takes the exclusive right to run or drop this task. Called by every consumer of a queue entry
     * (on a worker) and by an inline joiner; exactly one call returns true. A loser only accounts
     * for the entry (the task ends when its entry is dropped, however it ran).
     *
     * <p>Failure-atomic: the winning store is the last call, so a call that throws (a StackOverflowError
     * on a deep joiner's stack) has not claimed the task, and one that returns true has.
     */
    boolean claim() {
        if (inlineScope == null) {
            return true; // never run inline (no handle, blocking pool): its one queue consumer owns it
        }
        if (stealable) {
            if ((int) CLAIMED.getOpaque(this) != 0) { // a hint only; the CAS below decides
                return false;
            }
            // Before the claim (see above): later joins need no help, and a kept handle no longer holds
            // the body. Harmless if another claimer wins, or if this call fails before its CAS: joiners
            // then park, and the task runs from its queue.
            cell.helper(null);
            // Volatile CAS: any worker of the scheduler may race for a stealable task (a thief that
            // took it from a queue, an inline joiner); the winner's tryStart then happens once.
            return CLAIMED.compareAndSet(this, 0, 1);
        }
        // Plain: every consumer of a bound task runs on its home worker's thread.
        if ((int) CLAIMED.get(this) != 0) {
            return false;
        }
        cell.helper(null); // as above
        CLAIMED.set(this, 1);
        return true;
    }

    /**
     * The {@link JoinHelper} hook, on the joiner's thread: runs this task inline if it has not been
     * claimed yet and the joiner is a runner allowed to run it (see {@link InlineJoin}).
     */
    @Override
    public boolean helpJoin() {
        Object scope = inlineScope;
        if (scope == null) {
            return false;
        }
        Worker here = Worker.current();
        if (here == null || (scope != here && scope != here.scheduler)) {
            return false; // outside the runtime, another runtime, or a task bound to another worker
        }
        return InlineJoin.run(here, this);
    }

    /**
     * Runs the body on the calling thread, which is the task's runner, and records the outcome.
     * {@code joined}: a joiner runs it inline and so observes its outcome (a failure then never goes
     * to the handler). One method, not an overload pair: every frame counts in a parked task's stack.
     *
     * @return the failure to report to the uncaught-exception handler, or null: a failure is
     *     reported when the task has no handle, or when nobody observed the handle when it failed
     *     (see {@link #observed})
     */
    Throwable run(Thread runner, boolean joined) {
        JoinCell<T> c = cell;
        if (c == null) {
            try {
                callBody();
                return null;
            } catch (Throwable failure) {
                return failure;
            }
        }
        if (!c.tryStart(runner)) {
            return null; // cancelled before start: the body never runs; the task still ends
        }
        T value;
        try {
            value = callBody();
        } catch (Throwable failure) {
            if (failure instanceof StackOverflowError) {
                Runner.noteOverflow(runner); // the body overflowed, maybe inside the JDK: see Runner.overflowed
            }
            boolean observed = joined || !reportUnobserved || observed(c);
            // completeExceptionally returns false if cancel(true) won; it then returns only after the
            // canceller's interrupt was delivered, so no interrupt from this cell can reach a later task.
            return c.completeExceptionally(failure) && !observed ? failure : null;
        }
        c.complete(value);
        return null;
    }

    /**
     * The task will never start (cancelled queued task or shutdownNow): its handle ends as cancelled.
     * Never throws, so that the caller always counts the task's end: if releasing the waiters fails,
     * the release is retried once here ({@link #finishAfterError}).
     *
     * @return what failed, for the caller to report, or null
     */
    Throwable cancelUnstarted() {
        if (cell == null) {
            return null;
        }
        try {
            cell.cancel(false);
            return null;
        } catch (Throwable failure) {
            Throwable again = finishAfterError(failure);
            if (again != null) {
                failure.addSuppressed(again);
            }
            return failure;
        }
    }

    /**
     * The runtime's own steps around this task threw {@code error} (starting it, completing it,
     * waking its waiters), not its body: completes the handle exceptionally with it, which decides a
     * handle still undecided, and otherwise serves a release of the waiters that a failed completion
     * left owed (veloq-join's JoinCell, "failure atomicity"). Never throws. Call it on a shallow frame.
     *
     * @return what completing threw in turn, or null
     */
    Throwable finishAfterError(Throwable error) {
        if (cell == null) {
            return null;
        }
        try {
            cell.completeExceptionally(error);
            return null;
        } catch (Throwable again) {
            return again;
        }
    }

    /** The body as a Runnable for {@code shutdownNow}'s list: the caller's own Runnable when it was one. */
    Runnable asRunnable() {
        if (body instanceof Runnable r) {
            return r;
        }
        Callable<?> callable = (Callable<?>) body;
        return () -> {
            try {
                callable.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private T callBody() throws Exception {
        if (body instanceof Runnable r) {
            r.run();
            return null;
        }
        return ((Callable<T>) body).call();
    }

    /**
     * Whether somebody observes the handle (a parked joiner, a callback, a stage) — asked before
     * completing, since completion releases the observers. A joiner that arrives between this check
     * and the completion also sees the failure; the handler may then report one it need not have.
     */
    private static boolean observed(JoinCell<?> cell) {
        return cell.hasObservers();
    }

    @Override
    public String toString() {
        return cell != null ? cell.toString() : "SpawnTask[" + name + ", fire-and-forget]";
    }
}
