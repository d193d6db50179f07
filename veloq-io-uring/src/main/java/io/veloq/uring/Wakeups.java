package io.veloq.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_FEAT_CQE_SKIP;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_MSG_RING;
import static io.veloq.uring.ffi.IoUringConstants.IOSQE_CQE_SKIP_SUCCESS;

import io.veloq.uring.ffi.Sqe;
import io.veloq.uring.ffi.Structs;
import io.veloq.uring.ring.Ring;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * How a parked driver is woken: an eventfd read kept armed on the ring, the cross-thread
 * {@link WakeSignal} (one wake-up in flight at a time, safe against close), and MSG_RING from
 * another worker's ring where the kernel has it. The protocol is in the package documentation
 * (Wake-up) and in {@link WakeSignal}.
 *
 * <p>Threading contract:
 * <ul>
 *   <li>{@link #wake()}: any thread. From a worker (or its task) with an io_uring driver of its
 *       own, the wake-up is a MSG_RING sent from that worker's ring, by {@link #sendMessageTo} on
 *       the sender's Wakeups — on the sender's OS thread, so its SINGLE_ISSUER ring is safe.</li>
 *   <li>Everything else — arming the read, the completion callbacks, {@link #takeWoken()}: the
 *       owner only (the worker thread or its tasks; the fields below are plain).</li>
 * </ul>
 * Lifecycle: created with the driver, the read armed before the driver is published; closed by
 * {@code DriverShutdown}, which closes {@link #signal()} before the eventfd.
 */
final class Wakeups {

    private final IoUringDriver driver;
    private final Ring ring;
    private final int eventFd;
    private final MemorySegment readBuffer;
    private final WakeSignal signal;
    private final boolean messageRing;
    private final boolean cqeSkip;

    // Owner only.
    private boolean readArmed;
    private boolean readWanted;
    private boolean wokenSinceLastPark;
    private long eventfdWakeups;
    private long messageWakeups;

    /** @param one an eventfd_t holding 1, alive as long as the driver's arena */
    Wakeups(IoUringDriver driver, Ring ring, Arena arena, int eventFd, MemorySegment one, boolean messageRingWanted) {
        this.driver = driver;
        this.ring = ring;
        this.eventFd = eventFd;
        this.readBuffer = Structs.allocateEventfdValue(arena, 0);
        this.signal = new WakeSignal(eventFd, one);
        this.messageRing = messageRingWanted && ring.opcodes().supports(IORING_OP_MSG_RING);
        this.cqeSkip = ring.hasFeature(IORING_FEAT_CQE_SKIP);
    }

    boolean messageRing() {
        return messageRing;
    }

    WakeSignal signal() {
        return signal;
    }

    int eventFd() {
        return eventFd;
    }

    // ---- any thread ----

    /** Driver.wake(): at most one wake-up in flight; see WakeSignal's protocol. */
    void wake() {
        if (!signal.tryClaim()) {
            return;
        }
        try {
            IoUringDriver source = messageRing ? Carriers.driverOfCurrentWorker() : null;
            if (source == null || source == driver || !source.wakeups().sendMessageTo(driver)) {
                signal.writeEventfd();
            }
        } finally {
            signal.sent();
        }
    }

    /**
     * Sends a MSG_RING wake-up to {@code target} from this (the caller's own) ring; false if it
     * cannot now (closing, a task is half-way through writing an SQE, or the SQ is full).
     * Threading: this driver's owner OS thread (the caller runs on it).
     */
    private boolean sendMessageTo(IoUringDriver target) {
        if (driver.isClosing() || driver.isFillingSqe() || ring.sq().free() < 1) {
            return false;
        }
        Sqe sqe = ring.sq().next().prepMsgRing(target.ring().fd(), 0, UserData.WAKE_MESSAGE, 0)
                .userData(UserData.messageSent(target.id()));
        if (cqeSkip) {
            sqe.flags(IOSQE_CQE_SKIP_SUCCESS);
        }
        int r = ring.submit();
        if (r < 0) {
            sqe.clear().prepNop().userData(UserData.IGNORED); // not consumed: it must not reach a closed target later
            return false;
        }
        return true;
    }

    // ---- owner only ----

    /** Queues the eventfd read (the driver submits it with its next entries). */
    void armRead() {
        driver.reserve(1);
        ring.sq().next().prepRead(eventFd, readBuffer, 0).userData(UserData.WAKE_READ);
        readArmed = true;
    }

    /** Re-arms the read after its completion was reaped (never while closing). */
    void armReadIfWanted() {
        if (readWanted && !driver.isClosing()) {
            readWanted = false;
            armRead();
        }
    }

    boolean readArmed() {
        return readArmed;
    }

    /** The eventfd read completed: a wake-up by eventfd arrived (or close cancelled the read). */
    void onReadCompleted() {
        eventfdWakeups++;
        readArmed = false;
        signal.consumed();
        wokenSinceLastPark = true;
        readWanted = !driver.isClosing();
    }

    /** Another worker's MSG_RING arrived on this ring. */
    void onMessageReceived() {
        messageWakeups++;
        signal.consumed();
        wokenSinceLastPark = true;
    }

    /**
     * A MSG_RING this ring sent to {@code targetId} failed: the target's PENDING claim is still
     * set and no completion will clear it, so wake it by eventfd instead.
     */
    static void onMessageFailed(int targetId) {
        IoUringDriver target = Carriers.byId(targetId);
        if (target != null) {
            target.wakeups().signal.resendByEventfd();
        }
    }

    /** Whether a wake-up was reaped since the last park; clears it. */
    boolean takeWoken() {
        boolean woken = wokenSinceLastPark;
        wokenSinceLastPark = false;
        return woken;
    }

    long eventfdWakeups() {
        return eventfdWakeups;
    }

    long messageWakeups() {
        return messageWakeups;
    }
}
