package io.veloq.core.driver;

/**
 * The I/O and idle-wait backend of one worker.
 *
 * <p>Threading contract: a driver is created for, and owned by, exactly one worker thread. {@link
 * #poll()}, {@link #park(long)} and {@link #close()} are called only by that worker (io_uring's
 * SINGLE_ISSUER holds by construction). {@link #wake()} is the only method any thread may call.
 *
 * <p>Lifecycle: created by a {@link DriverFactory} on the worker thread after it has pinned itself,
 * polled every round, parked when the worker has nothing to do, closed once when the worker exits.
 * Operations still in flight at close are cancelled and their waiters resumed with an exception.
 */
public interface Driver extends AutoCloseable {

    /**
     * Reaps completions that are ready without blocking and resumes the tasks waiting on them (on
     * this worker). Returns how many completions were handled.
     */
    int poll();

    /**
     * Blocks the worker until {@link #wake()} is called, a completion arrives, or {@code
     * deadlineNanos} ({@link System#nanoTime()} clock; {@link Long#MAX_VALUE} for none) passes.
     * A {@code wake()} that happened after the previous {@code park} returned makes this return at
     * once: wake-ups are never lost. Spurious returns are allowed.
     */
    void park(long deadlineNanos);

    /** Any thread: makes the current or the next {@link #park(long)} return. Cheap and idempotent. */
    void wake();

    /** Owner only, once, after the worker loop has stopped. Releases every native resource. */
    @Override
    void close();

    /** One line saying what this driver is and what it chose, for the start-up log. */
    String description();
}
