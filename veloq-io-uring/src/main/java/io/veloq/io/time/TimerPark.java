package io.veloq.io.time;

import io.veloq.core.RuntimeContext;
import io.veloq.core.timer.TimerHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Parks the calling task until a deadline, on its worker's timer heap.
 *
 * <p>Threading: created and awaited by one task; {@link #run()} is the timer action and runs on
 * the same worker's platform thread, between tasks. They are different Java threads on one OS
 * thread, so {@code fired} is published with release and read with acquire. The timer handle is
 * cancelled by the task itself, on its own worker, as core's timer contract requires.
 *
 * <p>Why core's timers rather than IORING_OP_TIMEOUT: the worker already sleeps in its driver with
 * the earliest timer as the wait's timeout (EXT_ARG on io_uring, parkNanos on the portable driver),
 * so a heap entry costs no system call, works the same on both backends, and cancelling it is a
 * heap removal instead of a TIMEOUT_REMOVE round trip through the kernel.
 */
final class TimerPark implements Runnable {

    private static final VarHandle FIRED;

    static {
        try {
            FIRED = MethodHandles.lookup().findVarHandle(TimerPark.class, "fired", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread waiter = Thread.currentThread();
    @SuppressWarnings("unused") // through FIRED
    private boolean fired;

    private TimerPark() {}

    /**
     * Parks until {@code deadlineNanos} ({@link System#nanoTime()} clock) has passed. Never returns
     * early; returns at once if the deadline has passed already.
     *
     * @throws InterruptedException if interrupted while parked (the status is cleared, the timer removed)
     */
    static void parkUntil(long deadlineNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before sleeping");
        }
        if (deadlineNanos - System.nanoTime() <= 0) {
            return;
        }
        TimerPark park = new TimerPark();
        TimerHandle timer = RuntimeContext.current().scheduleAt(deadlineNanos, park);
        while (!park.hasFired()) {
            LockSupport.park(park);
            if (Thread.interrupted()) {
                timer.cancel();
                throw new InterruptedException("interrupted while sleeping");
            }
        }
    }

    private boolean hasFired() {
        return (boolean) FIRED.getAcquire(this); // pairs with the setRelease in run()
    }

    /** The timer action, on the worker thread. */
    @Override
    public void run() {
        FIRED.setRelease(this, true); // pairs with getAcquire in hasFired()
        LockSupport.unpark(waiter);
    }
}
