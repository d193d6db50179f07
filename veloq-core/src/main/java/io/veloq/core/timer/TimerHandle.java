package io.veloq.core.timer;

/**
 * A timer scheduled on a worker with {@link TimerQueue#schedule}.
 *
 * <p>Threading: like its queue, owner worker only (a task running on that worker, or the worker
 * itself).
 */
public interface TimerHandle {

    /** Removes the timer if it has not fired; true if it was removed by this call. */
    boolean cancel();

    /** The deadline it was scheduled for, on the {@link System#nanoTime()} clock. */
    long deadlineNanos();

    /** True while scheduled: not fired and not cancelled. */
    boolean isPending();
}
