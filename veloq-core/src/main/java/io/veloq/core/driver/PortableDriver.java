package io.veloq.core.driver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The portable driver: parks the worker's platform thread with {@link LockSupport}, with the next
 * timer deadline as timeout. It has no I/O of its own ({@link #poll()} reaps nothing); JDK I/O in
 * tasks goes through the JDK's pollers, which resume tasks through the worker's injector.
 *
 * <p>Threading contract: created on, and owned by, one worker thread; {@link #park} and {@link
 * #close} by the owner only, {@link #wake} by any thread.
 *
 * <p>Wake protocol (no lost wake-up): {@code wake} sets {@code woken} and, if it was clear,
 * unparks the owner. {@code park} first consumes {@code woken} (getAndSet false) and returns at once
 * if it was set; it never clears the flag after parking. So a wake that lands after a park
 * returned (flag set again, or left set by the wake that ended that park) makes the next park
 * return at once — at worst one spurious return, which the Driver contract allows.
 */
public final class PortableDriver implements Driver {

    private static final VarHandle WOKEN;

    static {
        try {
            WOKEN = MethodHandles.lookup().findVarHandle(PortableDriver.class, "woken", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread owner;
    private final int workerIndex;
    /** Accessed only through {@link #WOKEN}. */
    @SuppressWarnings("unused")
    private boolean woken;
    private boolean closed;

    /** Creates the driver for the calling thread, which becomes its owner. */
    public PortableDriver(int workerIndex) {
        this.owner = Thread.currentThread();
        this.workerIndex = workerIndex;
    }

    /** The factory of portable drivers: one per worker, created on the worker's thread. */
    public static DriverFactory factory() {
        return PortableDriver::new;
    }

    @Override
    public int poll() {
        return 0;
    }

    @Override
    public void park(long deadlineNanos) {
        // Volatile RMW: pairs with wake()'s getAndSet; consumes a wake that came before this park.
        if ((boolean) WOKEN.getAndSet(this, false)) {
            return;
        }
        Thread.interrupted(); // an interrupted platform thread would not park at all
        if (deadlineNanos == Long.MAX_VALUE) {
            LockSupport.park(this);
        } else {
            long timeout = deadlineNanos - System.nanoTime();
            if (timeout > 0) {
                LockSupport.parkNanos(this, timeout);
            }
        }
    }

    @Override
    public void wake() {
        // Volatile RMW: pairs with park()'s getAndSet; only the wake that sets the flag unparks.
        if (!(boolean) WOKEN.getAndSet(this, true)) {
            LockSupport.unpark(owner);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String description() {
        return "portable driver (LockSupport park/unpark" + (closed ? ", closed" : "") + ") on worker " + workerIndex;
    }
}
