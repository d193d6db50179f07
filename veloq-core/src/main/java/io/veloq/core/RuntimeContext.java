package io.veloq.core;

import io.veloq.core.driver.Driver;
import io.veloq.core.sched.Worker;
import io.veloq.core.timer.TimerHandle;
import io.veloq.mesh.Mesh;
import java.time.Duration;
import java.util.Objects;

/**
 * Explicit access, from inside a task, to the worker it runs on: its index, the worker count, the
 * runtime (the spawner), the mesh, the driver and the worker's timers.
 *
 * <p>Threading contract: obtain it with {@link #current()} on a task (or a worker's own thread,
 * e.g. in a timer action); it describes that worker. Since a task is home-bound, the context stays
 * valid for the rest of the task. {@link #workerIndex()}, {@link #workerCount()}, {@link
 * #runtime()} and {@link #mesh()} may be read from any thread; {@link #driver()} and the timer
 * methods belong to the worker and throw {@link IllegalStateException} on any other thread.
 */
public final class RuntimeContext {

    private final Worker worker;

    private RuntimeContext(Worker worker) {
        this.worker = worker;
    }

    /**
     * The context of the worker the caller runs on.
     *
     * @throws IllegalStateException outside a Veloq runtime (a plain thread, a virtual thread of the
     *     JDK's scheduler, a {@code spawnBlocking} task)
     */
    public static RuntimeContext current() {
        Worker w = Worker.current();
        if (w == null) {
            throw new IllegalStateException("RuntimeContext.current() called outside a Veloq runtime: "
                    + Thread.currentThread() + " is neither a Veloq task nor a Veloq worker"
                    + " (spawnBlocking tasks run on plain platform threads)");
        }
        return new RuntimeContext(w);
    }

    /** True if the caller is a task or a worker thread of some Veloq runtime. */
    public static boolean inRuntime() {
        return Worker.current() != null;
    }

    /** This worker's index, 0 to {@code workerCount() - 1}. */
    public int workerIndex() {
        return worker.index();
    }

    public int workerCount() {
        return worker.scheduler().workerCount();
    }

    /** The runtime, e.g. to spawn from a task. */
    public Runtime runtime() {
        return (Runtime) worker.scheduler().facade();
    }

    /**
     * The runtime's worker mesh (the runtime's own messages travel on it; its element type is
     * internal, so it is exposed for inspection: worker count, {@code toString}).
     */
    public Mesh<?> mesh() {
        return worker.scheduler().mesh();
    }

    /** This worker's driver. Owner worker only. */
    public Driver driver() {
        checkOwner();
        return worker.driver();
    }

    /**
     * Runs {@code action} on this worker's thread once {@code deadlineNanos} ({@link
     * System#nanoTime()} clock) has passed; the worker's park timeout follows its earliest timer.
     * The action runs between tasks, outside any task: keep it short and non-blocking (typically
     * it unparks a task or completes an operation). Owner worker only.
     *
     * <p>Like every {@code nanoTime} value, a deadline only means something relative to now: one
     * more than {@code Long.MAX_VALUE / 2} ns ahead is clamped to that (about 146 years), and one
     * more than that behind counts as now, so the worker's park timeout and the timer's due test
     * always agree.
     */
    public TimerHandle scheduleAt(long deadlineNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        checkOwner();
        long now = System.nanoTime();
        long ahead = deadlineNanos - now; // wrapping difference: the only meaningful comparison on this clock
        long deadline = ahead > MAX_AHEAD ? now + MAX_AHEAD : ahead < -MAX_AHEAD ? now : deadlineNanos;
        return worker.timers().schedule(deadline, action);
    }

    /** Furthest a timer deadline may lie from now, either way (see {@link #scheduleAt}). */
    private static final long MAX_AHEAD = Long.MAX_VALUE / 2;

    /** {@link #scheduleAt} with a delay from now. Owner worker only. */
    public TimerHandle scheduleAfter(Duration delay, Runnable action) {
        Objects.requireNonNull(delay, "delay");
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE / 2;
        }
        return scheduleAt(System.nanoTime() + Math.max(0, Math.min(nanos, MAX_AHEAD)), action);
    }

    private void checkOwner() {
        if (Worker.current() != worker) {
            throw new IllegalStateException("this RuntimeContext belongs to worker " + worker.index()
                    + "; its driver and timers may only be used on that worker");
        }
    }

    @Override
    public String toString() {
        return "RuntimeContext[worker " + worker.index() + " of " + workerCount() + "]";
    }
}
