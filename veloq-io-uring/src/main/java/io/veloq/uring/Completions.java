package io.veloq.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_CQE_F_MORE;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ring.CompletionQueue;
import io.veloq.uring.ring.Ring;
import java.util.concurrent.locks.LockSupport;

/**
 * The completion side of a driver (package documentation, Completion, steps 1-3): drains the CQ,
 * flushing completions the kernel holds back, and hands each CQE to its op-table slot, to the
 * multishot queue of its slot, or to the driver's internal entries (wake-ups, park timeouts,
 * cancel-all).
 *
 * <p>Threading: owner only — the worker thread, or one of its tasks when a full SQ makes it reap
 * (same OS thread, one at a time); every field is plain. A slot's result is published to its
 * waiter by {@link OpTable#complete} (release; the waiter reads with acquire).
 */
final class Completions {

    private static final System.Logger LOG = System.getLogger("io.veloq.uring");
    /** Bounds one reap: after this many flushing rounds the rest waits for the next poll. */
    private static final int MAX_ROUNDS = 8;

    private final IoUringDriver driver;
    private final Ring ring;
    private final OpTable ops;
    private final Wakeups wakeups;
    /** The CQE handler, made once: a method reference per reap was most of a busy driver's allocation. */
    private final CompletionQueue.Handler dispatcher = this::dispatch;

    private int parkTimeoutsInFlight;
    private boolean cancelAllUnsupported;
    private long completions;
    private long overflowFlushes;

    Completions(IoUringDriver driver, Ring ring, OpTable ops, Wakeups wakeups) {
        this.driver = driver;
        this.ring = ring;
        this.ops = ops;
        this.wakeups = wakeups;
    }

    /** Drains the CQ, entering the kernel when it holds completions back; re-arms the wake read after. */
    int reap() {
        int handled = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int drained = ring.cq().drain(dispatcher);
            handled += drained;
            if (ring.completionsNeedFlush()) {
                if (ring.cqOverflowPending()) {
                    overflowFlushes++;
                }
                driver.handleEnter(ring.submitAndGetEvents(), "flushing completions");
            } else if (round == 0 && drained == 0 && !ring.taskrunFlag() && ops.pending() > 0) {
                driver.handleEnter(ring.submitAndGetEvents(), "running task work"); // no TASKRUN hint on this ring
            } else {
                break;
            }
        }
        wakeups.armReadIfWanted();
        return handled;
    }

    /** A TIMEOUT bounding a park was queued; its completion is counted back in dispatch. */
    void parkTimeoutQueued() {
        parkTimeoutsInFlight++;
    }

    int parkTimeoutsInFlight() {
        return parkTimeoutsInFlight;
    }

    /** The close-time CANCEL_ALL came back -EINVAL: this kernel lacks CANCEL_ANY, cancel one by one. */
    boolean cancelAllUnsupported() {
        return cancelAllUnsupported;
    }

    long completions() {
        return completions;
    }

    long overflowFlushes() {
        return overflowFlushes;
    }

    private void dispatch(long userData, int res, int flags) {
        completions++;
        if (UserData.isInternal(userData)) {
            dispatchInternal(userData, res);
            return;
        }
        OpTable.Slot slot = ops.lookup(userData);
        if (slot == null) {
            return; // stale or duplicate: counted by the table, never delivered
        }
        if (slot.multishot != null) {
            dispatchMultishot(slot, res, flags);
            return;
        }
        if ((flags & IORING_CQE_F_MORE) != 0) {
            LOG.log(System.Logger.Level.WARNING, "multishot completion for {0} on worker {1}: submitAndAwait "
                    + "operations must be single-shot; later completions will be dropped",
                    UserData.toString(userData), driver.workerIndex());
        }
        if (driver.isClosing()) {
            slot.completedByClose = true;
            if (slot.kind == ResultKind.FD && res >= 0) {
                LibC.close(res); // nobody will take it any more
            }
        }
        ops.complete(slot, res, flags);
        Thread waiter = slot.waiter;
        if (waiter != Thread.currentThread()) {
            LockSupport.unpark(waiter); // a task reaping its own completion (eager submission) is not parked
        }
    }

    private void dispatchMultishot(OpTable.Slot slot, int res, int flags) {
        boolean more = (flags & IORING_CQE_F_MORE) != 0;
        if (driver.isClosing()) {
            slot.multishot.discard(); // nobody takes results from a closing driver: descriptors close on arrival
        }
        slot.multishot.add(res, more);
        if (!more) {
            slot.completedByClose = driver.isClosing();
            ops.complete(slot, res, flags);
        }
        Thread waiter = slot.waiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    private void dispatchInternal(long userData, int res) {
        if (userData == UserData.WAKE_READ) {
            wakeups.onReadCompleted();
        } else if (userData == UserData.WAKE_MESSAGE) {
            wakeups.onMessageReceived();
        } else if (userData == UserData.PARK_TIMEOUT) {
            parkTimeoutsInFlight--;
        } else if (userData == UserData.CANCEL_ALL) {
            cancelAllUnsupported = res == -Errno.EINVAL;
        } else if (UserData.isMessageSent(userData) && res < 0) {
            Wakeups.onMessageFailed(UserData.messageTarget(userData));
        }
    }
}
