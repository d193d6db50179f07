package io.veloq.mesh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One worker's sleep/wake handshake: the worker announces that it is about to sleep, and any
 * producer that hands it work afterwards wakes it.
 *
 * <p>Threading contract:
 * <ul>
 *   <li>{@link #announceSleep()} and {@link #awake()} — the owning worker's thread only.</li>
 *   <li>{@link #notifyWork()} — any thread, after it has published its item (queue offer with at
 *       least release semantics).</li>
 *   <li>{@link #isSleeping()} — any thread; a snapshot, for diagnostics and tests.</li>
 * </ul>
 * Lifecycle: created once per worker with its waker, lives as long as the worker.
 *
 * <p>State word {@code state} (one int, written by the owner with plain stores and by producers
 * only through {@link #notifyWork()}'s CAS):
 * <ul>
 *   <li>{@code AWAKE} (0): the owner is running or spinning; producers do nothing.</li>
 *   <li>{@code SLEEPING} (1): the owner announced sleep and will re-check, then park.</li>
 *   <li>{@code NOTIFIED} (2): a producer won SLEEPING → NOTIFIED and called the waker; later
 *       producers see "not sleeping" and skip the waker, so the waker runs once per episode.</li>
 * </ul>
 * The no-lost-wake-up argument is in {@code package-info.java} ("Sending" and "Going to sleep").
 */
public final class SleepState {

    static final int AWAKE = 0;
    static final int SLEEPING = 1;
    static final int NOTIFIED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SleepState.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Runnable waker;

    /** Written by the owner (AWAKE, SLEEPING) and by producers (CAS SLEEPING → NOTIFIED). */
    @SuppressWarnings("unused") // accessed only through STATE, with the mode named at each use
    private int state; // AWAKE


    /**
     * @param waker how to wake the owner; called on a producer's thread, at most once per sleep
     *              episode in the common case, possibly late (spurious). It must be "sticky": a
     *              wake delivered before the owner parks makes that park return (true of
     *              {@code LockSupport.unpark}, an eventfd write and {@code IORING_OP_MSG_RING}).
     *              It must not throw.
     */
    public SleepState(Runnable waker) {
        this.waker = Objects.requireNonNull(waker, "waker");
    }

    /**
     * Owner: publish SLEEPING, then a full fence, so that the re-check of every source that the
     * caller does next cannot be reordered before the store (protocol step 2).
     */
    public void announceSleep() {
        // Opaque store: the ordering against the owner's following loads comes from the fence.
        STATE.setOpaque(this, SLEEPING);
        // StoreLoad; pairs with the fullFence in notifyWork (Dekker): either the owner's re-check
        // sees the producer's item, or the producer's state load sees SLEEPING.
        VarHandle.fullFence();
    }

    /**
     * Owner: back to AWAKE, after the re-check found work or after the park returned. A waker call
     * that is still in flight from this episode becomes a spurious wake of a later park.
     */
    public void awake() {
        // Opaque store: only the owner reads its own state for decisions; producers that read it
        // late at worst call the waker spuriously (their CAS fails against AWAKE).
        STATE.setOpaque(this, AWAKE);
    }

    /** Snapshot: true when the owner has announced sleep and nobody has notified it yet. */
    public boolean isSleeping() {
        // Opaque load: a diagnostic snapshot, no ordering implied.
        return (int) STATE.getOpaque(this) == SLEEPING;
    }

    /**
     * Producer: call after publishing an item for the owner. One fence and one load when the
     * owner is awake; when it sleeps, the producer that wins the CAS calls the waker.
     */
    public void notifyWork() {
        // StoreLoad; pairs with the fullFence in announceSleep: the item published before this
        // point is visible to the owner's re-check, or the load below sees SLEEPING.
        VarHandle.fullFence();
        wakeIfSleeping();
    }

    /**
     * Producer, variant for callers that already issued a full fence after publishing (the mesh
     * does, to cover its inbound hint too). Package-private: the fence is the caller's duty.
     */
    void notifyWorkAfterFence() {
        wakeIfSleeping();
    }

    private void wakeIfSleeping() {
        // Opaque load: ordered after the producer's publish by the caller's fullFence.
        if ((int) STATE.getOpaque(this) == SLEEPING
                // CAS (volatile): only one producer per episode wins; pairs with the owner's
                // setOpaque(SLEEPING) of this episode and with other producers' CAS.
                && STATE.compareAndSet(this, SLEEPING, NOTIFIED)) {
            waker.run();
        }
    }

    /** Decoded state for tests and dumps. */
    int state() {
        return (int) STATE.getOpaque(this);
    }

    @Override
    public String toString() {
        return switch (state()) {
            case AWAKE -> "SleepState[AWAKE]";
            case SLEEPING -> "SleepState[SLEEPING]";
            case NOTIFIED -> "SleepState[NOTIFIED]";
            default -> "SleepState[?" + state() + "]";
        };
    }
}
