package io.veloq.io.time;

import io.veloq.core.RuntimeContext;
import io.veloq.core.timer.TimerHandle;
import io.veloq.io.IoBackends;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * Time in direct style: {@link #sleep}, {@link #sleepUntil}, {@link #timeout} and {@link
 * #interval}. Backed by the worker's own timers ({@code RuntimeContext.scheduleAt}): an idle worker
 * sleeps in its driver exactly until the earliest timer, so wake-ups are millisecond-accurate
 * (better, typically) on both backends; see {@link TimerPark} for why not IORING_OP_TIMEOUT.
 *
 * <p>Deadlines use {@link System#nanoTime()}. Sleeps never end early; how late they end depends on
 * how busy the worker is (a timer fires between tasks, never preempting one).
 *
 * <p>Threading contract: every method must be called from a Veloq task ({@link
 * IllegalStateException} elsewhere — {@code Thread.sleep} is the tool for other threads).
 */
public final class Time {

    private Time() {}

    /**
     * Parks the calling task for {@code duration}; zero or negative returns at once (as {@code
     * Thread.sleep(Duration)}).
     *
     * @throws InterruptedException if the task is interrupted (its status is cleared)
     */
    public static void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        IoBackends.requireTask("sleep");
        TimerPark.parkUntil(deadlineAfter(duration));
    }

    /** Parks the calling task until {@code deadlineNanos} on the {@link System#nanoTime()} clock. */
    public static void sleepUntil(long deadlineNanos) throws InterruptedException {
        IoBackends.requireTask("sleepUntil");
        TimerPark.parkUntil(deadlineNanos);
    }

    /**
     * Parks the calling task until the wall-clock {@code instant}, converted once to the monotonic
     * clock (a later change of the wall clock does not move the wake-up).
     */
    public static void sleepUntil(Instant instant) throws InterruptedException {
        Objects.requireNonNull(instant, "instant");
        IoBackends.requireTask("sleepUntil");
        TimerPark.parkUntil(deadlineAfter(Duration.between(Instant.now(), instant)));
    }

    /**
     * Runs {@code work} on the calling task and cancels it if it has not finished within {@code
     * limit}: on expiry the task is interrupted, which ends an interruptible blocking call in progress (a
     * sleep, {@code get} on a handle, an I/O operation — not {@code JoinHandle.join()}, which is not
     * interruptible — which closes its socket or file, see the I/O classes). Cancellation is
     * cooperative: work that ignores interrupts runs on.
     *
     * <p>Outcome: if {@code work} returns normally, its value is returned, even if the limit passed
     * meanwhile. If it fails after the limit passed, {@link TimeoutException} is thrown with the
     * failure as cause. The interrupt this method delivered is cleared before it returns or throws;
     * tasks {@code work} spawned are not cancelled.
     *
     * @throws TimeoutException if {@code limit} passed and {@code work} failed (usually because of the
     *     interrupt)
     * @throws Exception what {@code work} threw, if the limit did not pass
     */
    public static <T> T timeout(Duration limit, Callable<T> work) throws Exception {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(work, "work");
        IoBackends.requireTask("timeout");
        Expiry expiry = new Expiry(Thread.currentThread());
        TimerHandle timer = RuntimeContext.current().scheduleAt(deadlineAfter(limit), expiry);
        T value;
        try {
            value = work.call();
        } catch (Throwable failure) {
            timer.cancel();
            if (expiry.fired()) {
                Thread.interrupted();
                TimeoutException timeout = new TimeoutException("timed out after " + limit);
                timeout.initCause(failure);
                throw timeout;
            }
            throw failure;
        }
        timer.cancel();
        if (expiry.fired()) {
            Thread.interrupted(); // ours; the work finished regardless
        }
        return value;
    }

    /**
     * Ticks every {@code period}, the first tick one period from now, on a fixed grid (no drift);
     * missed ticks are skipped ({@link Interval.MissedTicks#SKIP}).
     */
    public static Interval interval(Duration period) {
        return interval(period, period, Interval.MissedTicks.SKIP);
    }

    /**
     * Ticks at {@code now + initialDelay + k * period}, k = 0, 1, ...; {@code missed} says what a late
     * {@link Interval#tick()} does.
     */
    public static Interval interval(Duration initialDelay, Duration period, Interval.MissedTicks missed) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(missed, "missed");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must be >= 0, got " + initialDelay);
        }
        return new Interval(deadlineAfter(initialDelay), saturatedNanos(period), missed);
    }

    /** now + duration on the nanoTime clock, saturated far in the future; negative durations give now. */
    static long deadlineAfter(Duration duration) {
        return System.nanoTime() + Math.max(0, saturatedNanos(duration));
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return Math.min(duration.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? 0 : Long.MAX_VALUE / 4;
        }
    }

    /** The timeout's timer action: on the worker thread, between tasks. */
    private static final class Expiry implements Runnable {
        private final Thread task;
        private volatile boolean fired; // written by the worker's timer action, read by the task

        Expiry(Thread task) {
            this.task = task;
        }

        boolean fired() {
            return fired;
        }

        @Override
        public void run() {
            fired = true;
            task.interrupt();
        }
    }
}
