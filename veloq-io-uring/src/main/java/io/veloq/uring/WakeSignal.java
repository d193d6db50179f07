package io.veloq.uring;

import io.veloq.uring.ffi.LibC;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The cross-thread half of a driver's wake-up: one atomic word that makes {@code wake()} cheap and
 * idempotent, and safe against the driver closing its eventfd.
 *
 * <pre>
 *   bit 0      PENDING  a wake-up was sent and its completion not yet seen by the owner
 *   bit 1      CLOSED   the driver is closing: no more wake-ups are sent
 *   bits 2..   SENDERS  threads between claiming PENDING and finishing their write / message
 * </pre>
 *
 * Protocol:
 * <ol>
 *   <li>A waker CASes PENDING (and one SENDER) in, only if neither PENDING nor CLOSED is set;
 *       otherwise a wake-up is already on its way (or pointless) and it returns.</li>
 *   <li>It sends (eventfd write, or MSG_RING from another worker's ring), then removes its SENDER.</li>
 *   <li>The owner, on reaping the wake-up's completion, clears PENDING ({@link #consumed()}). Every
 *       send happened while PENDING was clear, and is followed by a completion (the eventfd read
 *       armed after the clear, or the message's CQE) whose reaping clears PENDING again: PENDING can
 *       never stay set with no completion coming, so no wake-up is lost.</li>
 *   <li>{@link #close()} sets CLOSED and waits for SENDERS to drain; only then may the eventfd be
 *       closed, so a late waker never writes to a descriptor number reused by someone else.</li>
 * </ol>
 * Threading: {@link #tryClaim()}, {@link #writeEventfd()}, {@link #sent()} and
 * {@link #resendByEventfd()} from any thread;
 * {@link #consumed()} and {@link #close()} by the owner.
 */
final class WakeSignal {

    private static final int PENDING = 1;
    private static final int CLOSED = 2;
    private static final int SENDER = 4;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WakeSignal.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int eventFd;
    private final MemorySegment one;
    @SuppressWarnings("unused") // through STATE; every access is volatile or a CAS (full fences)
    private volatile int state;

    /** @param one an 8-byte segment holding the value 1, alive until {@link #close()} returned */
    WakeSignal(int eventFd, MemorySegment one) {
        this.eventFd = eventFd;
        this.one = one;
    }

    /** Step 1: true if the caller must now send a wake-up and then call {@link #sent()}. */
    boolean tryClaim() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & (PENDING | CLOSED)) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, (s | PENDING) + SENDER)) {
                return true;
            }
        }
    }

    /** Step 2's end: the claimed wake-up has been sent (or handed to the kernel). */
    void sent() {
        STATE.getAndAdd(this, -SENDER);
    }

    /** Step 2 by eventfd: the caller holds a claim ({@link #tryClaim()} returned true). */
    void writeEventfd() {
        LibC.write(eventFd, one, Long.BYTES);
    }

    /**
     * A wake-up sent by MSG_RING failed after its claim: PENDING is still set and no completion
     * will clear it, so send the eventfd write now without claiming (unless closing). Any thread.
     */
    void resendByEventfd() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s + SENDER)) {
                break;
            }
        }
        try {
            LibC.write(eventFd, one, Long.BYTES);
        } finally {
            sent();
        }
    }

    /** Step 3: the owner reaped a wake-up's completion. */
    void consumed() {
        STATE.getAndBitwiseAnd(this, ~PENDING);
    }

    boolean isPending() {
        return ((int) STATE.getVolatile(this) & PENDING) != 0;
    }

    /** Step 4: no wake-up is sent after this returns. */
    void close() {
        STATE.getAndBitwiseOr(this, CLOSED);
        while (((int) STATE.getVolatile(this) & ~(PENDING | CLOSED)) != 0) {
            Thread.onSpinWait();
        }
    }
}
