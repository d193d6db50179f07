package io.veloq.core.sched;

import io.veloq.join.JoinCell;
import java.util.concurrent.Callable;

/**
 * A task that has not started yet: its name, body and {@link JoinCell}. It travels through the
 * queues (stealable queue, local run queue, mesh, injector) until a worker starts it on a runner
 * thread; from then on it is home-bound to that worker (see the package documentation).
 *
 * <p>Deliberately not a {@link Runnable}: the worker tells continuations (Runnables the JDK hands
 * to a worker's {@code execute}) from not-yet-started tasks by type.
 *
 * <p>Threading: immutable once queued (published by the queue's release), run at most once by the
 * thread that dequeued it.
 *
 * @param <T> the task's result type
 */
final class SpawnTask<T> {

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
     * Runs the body on the calling thread, which is the task's runner, and records the outcome.
     *
     * @return the failure to report to the uncaught-exception handler, or null: a failure is
     *     reported when the task has no handle, or when nobody observed the handle when it failed
     *     (see {@link #observed})
     */
    Throwable run(Thread runner) {
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
            boolean observed = !reportUnobserved || observed(c);
            // completeExceptionally returns false if cancel(true) won; it then returns only after the
            // canceller's interrupt was delivered, so no interrupt from this cell can reach a later task.
            return c.completeExceptionally(failure) && !observed ? failure : null;
        }
        c.complete(value);
        return null;
    }

    /** The task will never start (cancelled queued task or shutdownNow): its handle ends as cancelled. */
    void cancelUnstarted() {
        if (cell != null) {
            cell.cancel(false);
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
