package io.veloq.uring;

import io.veloq.uring.ffi.Errno;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;

/**
 * A multishot operation in flight (multishot ACCEPT, POLL_ADD, RECV...): one submission, one
 * completion per event, until the kernel ends it or it is closed. Obtained from
 * {@link IoUringDriver#submitMultishot}.
 *
 * <p>Protocol:
 * <ol>
 *   <li>The worker queues every completion as it reaps it; {@link #next()} takes them in order,
 *       parking while none is queued.</li>
 *   <li>The kernel ends a multishot operation with a completion without IORING_CQE_F_MORE: an
 *       error (thrown by {@code next()}; {@link #endErrno()} names it), or a last result
 *       (returned) after which {@code next()} answers -1 — for instance when the CQ overflowed;
 *       submit a new operation to go on.</li>
 *   <li>{@link #close()} sends ASYNC_CANCEL, waits for the final completion (the kernel owns the
 *       operation's memory until then), closes queued descriptors nobody took
 *       ({@link ResultKind#FD}), and returns the slot. Always close it, also after it ended.</li>
 *   <li>When no task of the worker can run any more to close it (the runtime refuses new tasks),
 *       {@link #abandon()} from any thread closes the queued descriptors and makes the worker close
 *       every later one on arrival; the operation itself ends when the kernel ends it (shutdown(2)
 *       of its socket) or when the driver closes, which also returns the slot.</li>
 * </ol>
 * Threading: tasks of the worker that submitted it (one at a time); anything else is refused,
 * except {@link #abandon()}, which any thread may call.
 */
public final class MultishotOperation implements AutoCloseable {

    private final IoUringDriver driver;
    private final OpTable ops;
    private final OpTable.Slot slot;
    private final MultishotQueue queue;
    private boolean closed;
    /** {@link #endErrno()} once closed. */
    private int endErrnoAtClose;

    MultishotOperation(IoUringDriver driver, OpTable ops, OpTable.Slot slot) {
        this.driver = driver;
        this.ops = ops;
        this.slot = slot;
        this.queue = slot.multishot;
    }

    /**
     * The next result (at least 0), parking until one arrives; -1 once the operation has ended
     * without error (or was closed).
     *
     * @throws IOException the mapped errno that ended the operation
     * @throws InterruptedIOException if interrupted while waiting (the operation stays armed;
     *     the interrupt status is kept)
     * @throws DriverClosedException if the driver closed
     */
    public int next() throws IOException {
        checkWorker();
        if (closed) {
            return -1;
        }
        while (true) {
            int result = queue.poll();
            if (result != Integer.MIN_VALUE) {
                return result;
            }
            if (slot.isCompleted()) {
                if (slot.completedByClose) {
                    throw new DriverClosedException("the io_uring driver of worker " + driver.workerIndex()
                            + " closed; the multishot operation ended");
                }
                int errno = errnoOfEnd();
                if (errno == 0) {
                    return -1;
                }
                throw Errno.exception(errno, null);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for a completion; the operation stays armed");
            }
            slot.waiter = Thread.currentThread();
            LockSupport.park(this);
            slot.waiter = null;
        }
    }

    /**
     * The errno that ended the operation — the one {@link #next()} throws, mapped — or 0: while it
     * may still deliver, when it ended without error or by our own cancel, and when the driver
     * closed. Still answers after {@link #close()}. For callers that act on one errno by name (a
     * multishot ACCEPT ended by EINVAL: the kernel refuses the multishot flag) instead of on the
     * exception's type, which several errnos share.
     */
    public int endErrno() {
        checkWorker();
        return closed ? endErrnoAtClose : errnoOfEnd();
    }

    /** Slot still ours: the errno of its final completion, 0 for a clean end, our cancel or none yet. */
    private int errnoOfEnd() {
        if (!slot.isCompleted() || slot.completedByClose) {
            return 0;
        }
        int error = queue.endError();
        return error == -Errno.ECANCELED && slot.cancelRequested() ? 0 : -error;
    }

    /** Results that {@link #next()} would return without parking. */
    public int ready() {
        checkWorker();
        return closed ? 0 : queue.size();
    }

    /** Whether the kernel may still post completions for it. */
    public boolean isActive() {
        return !closed && !slot.isCompleted();
    }

    /** Cancels it, waits for its final completion, closes unclaimed descriptors. Idempotent. */
    @Override
    public void close() {
        checkWorker();
        if (closed) {
            return;
        }
        if (!slot.isCompleted() && !driver.isClosing()) {
            slot.cancelledByInterrupt = true; // marks our own cancel: its -ECANCELED is a normal end
            driver.queueCancel(slot.userData());
        }
        boolean interrupted = false;
        while (!slot.isCompleted()) {
            slot.waiter = Thread.currentThread();
            LockSupport.park(this);
            slot.waiter = null;
            interrupted |= Thread.interrupted(); // the cancel is already on its way; keep waiting
        }
        queue.discard(); // closes the descriptors nobody took (ResultKind.FD)
        endErrnoAtClose = errnoOfEnd(); // the slot goes back to the table below: another operation may take it
        closed = true;
        ops.release(slot);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Any thread, idempotent: gives up every result — queued descriptors ({@link ResultKind#FD})
     * are closed now, later ones by the worker as they arrive — without touching the operation,
     * which only its worker may cancel. For an owner that can no longer run a task on the worker;
     * otherwise use {@link #close()}. {@link #next()} then finds no more results.
     */
    public void abandon() {
        queue.discard();
    }

    private void checkWorker() {
        Thread current = Thread.currentThread();
        if (!current.isVirtual() || Carriers.current() != driver.owner()) {
            throw new WrongThreadException("a multishot operation belongs to the tasks of worker "
                    + driver.workerIndex() + "; used from " + current);
        }
    }
}
