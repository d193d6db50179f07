package io.veloq.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_CQE_BUFFER_SHIFT;
import static io.veloq.uring.ffi.IoUringConstants.IORING_CQE_F_BUFFER;
import static io.veloq.uring.ffi.IoUringConstants.IORING_CQE_F_MORE;

import io.veloq.uring.buffer.ProvidedBuffers;
import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ring.CompletionQueue;
import io.veloq.uring.ring.Ring;
import java.util.concurrent.locks.LockSupport;

/**
 * The completion side of a driver (package documentation, Completion, steps 1-3): drains the CQ,
 * flushing completions the kernel holds back, and hands each CQE to its op-table slot, to the
 * multishot queue of its slot, to the {@link ReceiveSink} of a multishot RECV (recycling its
 * provided buffer), or to the driver's internal entries (wake-ups, park timeouts, cancel-all).
 * Cancels asked for while dispatching (a sink that wants no more) are queued after the drain,
 * never from inside it.
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

    /** ASYNC_CANCEL targets asked for during a drain, queued when it is done (owner only). */
    private long[] deferredCancels = new long[8];
    private int deferredCount;
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
        queueDeferredCancels();
        wakeups.armReadIfWanted();
        return handled;
    }

    /** Asks for an ASYNC_CANCEL of {@code userData} once the current drain is over. */
    void cancelAfterDrain(long userData) {
        if (deferredCount == deferredCancels.length) {
            deferredCancels = java.util.Arrays.copyOf(deferredCancels, deferredCount * 2);
        }
        deferredCancels[deferredCount++] = userData;
    }

    /**
     * Queues the deferred cancels while the SQ has room and no task is half-way through writing an
     * entry; what does not fit waits for the next reap. A cancel whose target has ended meanwhile
     * completes with -ENOENT (ignored); the generation in user_data keeps it off a reused slot.
     */
    private void queueDeferredCancels() {
        int queued = 0;
        while (queued < deferredCount && !driver.isClosing() && !driver.isFillingSqe() && ring.sq().free() >= 1) {
            ring.sq().next().prepAsyncCancel(deferredCancels[queued++], 0).userData(UserData.IGNORED);
        }
        if (driver.isClosing()) {
            queued = deferredCount; // close cancels everything itself
        }
        if (queued > 0) {
            System.arraycopy(deferredCancels, queued, deferredCancels, 0, deferredCount - queued);
            deferredCount -= queued;
        }
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
        if (slot.receiver != null) {
            dispatchReceive(slot, res, flags);
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

    /**
     * A multishot RECV's completion: its bytes go to the sink and its buffer straight back to the
     * kernel; the last completion (no F_MORE) ends the operation, returns the slot and tells the
     * sink why. Our own stop (a cancel the sink asked for), -ENOBUFS and a last completion with
     * data are {@link ReceiveSink#ENDED}: nothing wrong, the reader arms again.
     */
    private void dispatchReceive(OpTable.Slot slot, int res, int flags) {
        ReceiveSink sink = slot.receiver;
        boolean more = (flags & IORING_CQE_F_MORE) != 0;
        if (res > 0) {
            if ((flags & IORING_CQE_F_BUFFER) == 0) {
                // Never by the kernel's contract (BUFFER_SELECT); said loudly rather than misread.
                LOG.log(System.Logger.Level.ERROR, "a multishot RECV completed with {0} B but no buffer on worker {1}",
                        res, driver.workerIndex());
                return;
            }
            ProvidedBuffers buffers = driver.providedBuffers();
            int bid = flags >>> IORING_CQE_BUFFER_SHIFT;
            boolean wanted;
            try {
                wanted = sink.onData(buffers.data(bid, res));
            } finally {
                buffers.recycle(bid);
            }
            if (!wanted && more && !slot.cancelledByInterrupt) {
                slot.cancelledByInterrupt = true; // marks our own cancel: its -ECANCELED is an ENDED
                cancelAfterDrain(slot.userData());
            }
        }
        if (more) {
            return;
        }
        int reason;
        if (driver.isClosing()) {
            reason = ReceiveSink.DRIVER_CLOSED;
        } else if (res > 0 || res == -Errno.ENOBUFS || (res == -Errno.ECANCELED && slot.cancelledByInterrupt)) {
            reason = ReceiveSink.ENDED;
        } else {
            reason = res; // 0: end of stream; else the errno
        }
        ops.complete(slot, res, flags);
        ops.release(slot);
        sink.onEnd(reason);
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
