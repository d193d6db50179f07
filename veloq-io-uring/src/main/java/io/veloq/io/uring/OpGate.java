package io.veloq.io.uring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedChannelException;

/**
 * The close gate of one descriptor: how many operations use it, and whether it is closed — one
 * atomic word, so that the descriptor is released exactly once and never while an operation (on
 * any worker) still names it.
 *
 * <pre>
 *   bit 31     CLOSED   close() was called: no new operation may enter
 *   bits 0..30 USERS    operations (and cancel helpers) inside the gate
 *   released  == the word reached exactly CLOSED (closed, no users); whoever made it so releases
 * </pre>
 *
 * Every transition is one atomic read-modify-write that returns what the caller must do next.
 * Threading: any thread; all accesses are volatile or CAS (full fences), since users and closers
 * run on different workers.
 */
final class OpGate {

    /** What {@link #close()} tells its caller to do. */
    enum CloseAction {
        /** Someone closed it before. */
        NOTHING,
        /** No operation was inside: release the descriptor now. */
        RELEASE,
        /** Operations are inside: cancel them; the last one out releases the descriptor. */
        CANCEL_USERS
    }

    private static final int CLOSED = 1 << 31;
    private static final int USERS = ~CLOSED;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(OpGate.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    /** Enters for one operation; pairs with exactly one {@link #exit()}. */
    void enter() throws ClosedChannelException {
        while (true) {
            int s = (int) STATE.getVolatile(this); // pairs with close()'s getAndBitwiseOr: a closed gate admits no one
            if ((s & CLOSED) != 0) {
                throw new ClosedChannelException();
            }
            if ((s & USERS) == USERS) {
                throw new IllegalStateException("too many operations in flight on one descriptor");
            }
            if (STATE.compareAndSet(this, s, s + 1)) { // fails if close() or another user got in between
                return;
            }
        }
    }

    /**
     * Enters to cancel the users of a closed gate; false when the descriptor is released (or being
     * released) already, so its number may belong to someone else now. Pairs with {@link #exit()}.
     */
    boolean enterToCancel() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if (s == CLOSED) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s + 1)) { // fails if the last user left meanwhile (then: released)
                return true;
            }
        }
    }

    /** Leaves; true if the caller was the last user of a closed gate and must release the descriptor. */
    boolean exit() {
        // Full-fence RMW: whoever moves the word to exactly CLOSED (here or in close()) releases, once.
        int after = (int) STATE.getAndAdd(this, -1) - 1;
        return after == CLOSED;
    }

    /** Closes the gate (idempotent). */
    CloseAction close() {
        // Full-fence RMW: pairs with enter()'s CAS (no one enters after) and exit()'s getAndAdd (one releaser).
        int before = (int) STATE.getAndBitwiseOr(this, CLOSED);
        if ((before & CLOSED) != 0) {
            return CloseAction.NOTHING;
        }
        return before == 0 ? CloseAction.RELEASE : CloseAction.CANCEL_USERS;
    }

    boolean isClosed() {
        return ((int) STATE.getVolatile(this) & CLOSED) != 0;
    }

    int users() {
        return (int) STATE.getVolatile(this) & USERS;
    }

    @Override
    public String toString() {
        int s = (int) STATE.getVolatile(this);
        return "OpGate[" + ((s & CLOSED) != 0 ? "CLOSED, " : "open, ") + (s & USERS) + " users]";
    }
}
