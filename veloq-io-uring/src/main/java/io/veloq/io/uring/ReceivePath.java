package io.veloq.io.uring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which path a TCP stream's reads take ({@link io.veloq.uring.ReceiveMode}): a RECV per read into
 * the reader's buffer, or the multishot RECV its {@link ReceiveInbox} keeps armed — and the
 * one-way switch from the first to the second.
 *
 * <p>State, one int changed only by CAS: ARMED, SWITCH, and the count of RECVs per read in flight.
 * Invariants:
 * <ol>
 *   <li>ARMED, once set, stays set, and no RECV per read starts after it: every reader that finds
 *       it reads through the inbox.</li>
 *   <li>ARMED is set only while no RECV per read is in flight, so the bytes of the socket never go
 *       to both paths at once. (Otherwise a reader whose RECV was still waiting could take a later
 *       byte from it, and then an earlier one the armed RECV had put in the inbox.)</li>
 *   <li>SWITCH records that a RECV filled its reader's buffer ({@code ADAPTIVE}): from then on the
 *       first reader to find no RECV per read in flight sets ARMED; until then readers keep reading
 *       by RECV. {@code ARMED} mode asks for the switch at every read.</li>
 * </ol>
 * With one reader at a time — the usual case — the switch happens at the read after the one that
 * filled its buffer. Threading: readers of any worker, concurrently.
 */
final class ReceivePath {

    private static final int ARMED = 1 << 30;
    private static final int SWITCH = 1 << 29;
    private static final int RECVS = SWITCH - 1;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ReceivePath.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** ARMED | SWITCH | RECVs per read in flight; volatile reads, CAS writes (see the class comment). */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /**
     * Chooses this read's path. True: through the inbox. False: by a RECV of its own, which now
     * counts as in flight — the caller must {@link #endRecv} it, whatever happens.
     *
     * @param switchNow whether to switch as soon as no RECV per read is in flight ({@code ARMED} mode)
     */
    boolean enter(boolean switchNow) {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & ARMED) != 0) {
                return true;
            }
            if ((switchNow || (s & SWITCH) != 0) && (s & RECVS) == 0) {
                if (STATE.compareAndSet(this, s, ARMED)) { // invariant 2: no RECV per read in flight
                    return true;
                }
            } else if (STATE.compareAndSet(this, s, s + 1)) { // fails if ARMED was set meanwhile (invariant 1)
                return false;
            }
        }
    }

    /** Ends a RECV per read that {@link #enter} started; {@code filled}: it filled the reader's buffer. */
    void endRecv(boolean filled) {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & RECVS) == 0) {
                throw new IllegalStateException("endRecv without a RECV per read in flight: " + this);
            }
            if (STATE.compareAndSet(this, s, (s - 1) | (filled ? SWITCH : 0))) {
                return;
            }
        }
    }

    /** Whether reads go through the inbox now (for good). */
    boolean armed() {
        return ((int) STATE.getVolatile(this) & ARMED) != 0;
    }

    /** RECVs per read in flight. */
    int recvsInFlight() {
        return (int) STATE.getVolatile(this) & RECVS;
    }

    @Override
    public String toString() {
        int s = (int) STATE.getVolatile(this);
        return "ReceivePath[" + ((s & ARMED) != 0 ? "armed" : (s & SWITCH) != 0 ? "switching" : "per read")
                + ", " + (s & RECVS) + " RECV(s) per read in flight]";
    }
}
