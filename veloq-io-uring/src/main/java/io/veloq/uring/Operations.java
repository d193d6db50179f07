package io.veloq.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_TIMEOUT_ABS;
import static io.veloq.uring.ffi.IoUringConstants.IOSQE_FIXED_FILE;
import static io.veloq.uring.ffi.IoUringConstants.IOSQE_IO_HARDLINK;
import static io.veloq.uring.ffi.IoUringConstants.IOSQE_IO_LINK;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Sqe;
import io.veloq.uring.ffi.Structs;
import io.veloq.uring.ring.Ring;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The task side of an operation: take a slot, fill the SQE, park in the slot, turn the completion
 * into a result or an exception. See the package documentation for the numbered protocol.
 *
 * <p>Threading: tasks of the owning worker only (checked on every call: the caller must be a
 * virtual thread whose carrier is the driver's owner). The worker submits the queued entries in
 * its next {@code poll()} or {@code park()}, so operations of many tasks go to the kernel in one
 * {@code io_uring_enter} — unless the caller asks for eager submission (step 3a), for operations
 * that usually complete at once, where the enter costs less than a park, a resume and a round.
 */
final class Operations {

    private final IoUringDriver driver;
    private final Ring ring;
    private final OpTable ops;
    private final boolean linkTimeouts;
    /** A SqeWriter is running: the current entry is half written and must not be submitted. */
    private boolean filling;
    /** Eager submissions, and those whose operation completed inside the enter (the task never parked). */
    private long eagerSubmissions;
    private long eagerCompletedInline;

    Operations(IoUringDriver driver, Ring ring, OpTable ops, boolean linkTimeouts) {
        this.driver = driver;
        this.ring = ring;
        this.ops = ops;
        this.linkTimeouts = linkTimeouts;
    }

    boolean linkTimeouts() {
        return linkTimeouts;
    }

    boolean isFilling() {
        return filling;
    }

    long eagerSubmissions() {
        return eagerSubmissions;
    }

    long eagerCompletedInline() {
        return eagerCompletedInline;
    }

    /**
     * Steps 1-5 of the protocol. {@code eager}: submit right away (step 3a) and, if the operation
     * completed inline, return without parking.
     */
    int submitAndAwait(SqeWriter writer, long deadlineNanos, ResultKind kind, boolean eager) throws IOException {
        return submitAndAwait(writer, deadlineNanos, kind, eager, -1, -1);
    }

    /**
     * As {@link #submitAndAwait(SqeWriter, long, ResultKind, boolean)}; where the entry names
     * {@code fd} and {@code fixedIndex} is not negative, it names entry {@code fixedIndex} of this
     * ring's registered files instead ({@link FileTable#accepts}).
     */
    int submitAndAwait(SqeWriter writer, long deadlineNanos, ResultKind kind, boolean eager, int fd, int fixedIndex)
            throws IOException {
        Thread task = checkCaller();
        if (task.isInterrupted()) {
            throw new InterruptedIOException("interrupted before the operation was submitted");
        }
        boolean timed = deadlineNanos != Long.MAX_VALUE;
        if (timed && deadlineNanos - System.nanoTime() <= 0) {
            throw new InterruptedByTimeoutException();
        }
        // A LINK_TIMEOUT needs the deadline as a CLOCK_MONOTONIC timespec, which is never negative
        // (the kernel refuses one, failing the operation): a deadline that wrapped is self-timed.
        boolean linked = timed && linkTimeouts && deadlineNanos >= 0;
        OpTable.Slot slot = ops.acquire(task, kind);
        try {
            driver.reserve(linked ? 2 : 1);
            queue(writer, slot, linked, deadlineNanos, fd, fixedIndex);
        } catch (RuntimeException | Error e) {
            ops.complete(slot, -Errno.ECANCELED, 0);
            ops.release(slot);
            throw e;
        }
        if (eager) {
            eagerSubmissions++;
            submitNow();
            if (slot.isCompleted()) {
                eagerCompletedInline++;
            }
        }
        return await(slot, deadlineNanos, timed && !linked, linked);
    }

    /** A multishot operation: submitted like any other, its completions queued for {@link MultishotOperation#next}. */
    MultishotOperation submitMultishot(SqeWriter writer, ResultKind kind) throws IOException {
        Thread task = checkCaller();
        if (task.isInterrupted()) {
            throw new InterruptedIOException("interrupted before the operation was submitted");
        }
        OpTable.Slot slot = ops.acquire(task, kind);
        slot.waiter = null; // set by next() and close() while they park
        slot.multishot = new MultishotQueue(kind == ResultKind.FD);
        try {
            driver.reserve(1);
            queue(writer, slot, false, 0, -1, -1);
        } catch (RuntimeException | Error e) {
            ops.complete(slot, -Errno.ECANCELED, 0);
            ops.release(slot);
            throw e;
        }
        return new MultishotOperation(driver, ops, slot);
    }

    /**
     * A multishot RECV into provided-buffer group {@code bufGroup}: queued like any operation, its
     * completions go to {@code sink} ({@link Completions}), which also returns the slot at the end.
     */
    void armReceive(int fd, int fixedIndex, int bufGroup, ReceiveSink sink) throws IOException {
        checkCaller();
        OpTable.Slot slot = ops.acquire(null, ResultKind.PLAIN);
        slot.receiver = sink;
        try {
            driver.reserve(1);
            queue(sqe -> sqe.prepRecvMultishot(fd, bufGroup, 0), slot, false, 0, fd, fixedIndex);
        } catch (RuntimeException | Error e) {
            ops.complete(slot, -Errno.ECANCELED, 0);
            ops.release(slot);
            throw e;
        }
    }

    /**
     * IORING_OP_CLOSE of {@code fd}, or close(2) when the ring cannot take an operation from the
     * caller now (not a task of this worker, the driver closing, the op table full). Either way the
     * descriptor is closed exactly once: the CLOSE is never cancelled — an interrupt is kept for the
     * caller, not acted on — since a cancelled close would leave the number open with nobody to
     * close it, and a close(2) after a CLOSE that ran could close someone else's descriptor.
     *
     * @return 0 or -errno
     */
    int close(int fd) {
        Thread task = Thread.currentThread();
        if (!task.isVirtual() || Carriers.current() != driver.owner() || driver.isClosing() || !ops.hasRoom()) {
            return LibC.close(fd);
        }
        OpTable.Slot slot = ops.acquire(task, ResultKind.PLAIN);
        try {
            driver.reserve(1);
            queue(sqe -> sqe.prepClose(fd), slot, false, 0, -1, -1);
        } catch (RuntimeException | Error e) {
            ops.complete(slot, -Errno.ECANCELED, 0);
            ops.release(slot);
            return LibC.close(fd); // nothing reached the SQ: the number is still ours
        }
        boolean interrupted = false;
        while (!slot.isCompleted()) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        int res = slot.result; // after isCompleted's acquire
        ops.release(slot);
        if (interrupted) {
            task.interrupt();
        }
        return res;
    }

    /**
     * Step 2 of submission: the entry (and its LINK_TIMEOUT) go into the SQ; the worker submits
     * them. An entry on {@code fd} names registered file {@code fixedIndex} instead, when that is
     * not negative and the opcode takes one.
     */
    private void queue(SqeWriter writer, OpTable.Slot slot, boolean linked, long deadlineNanos, int fd,
                       int fixedIndex) {
        Sqe sqe = ring.sq().next();
        filling = true;
        try {
            writer.write(sqe);
        } catch (RuntimeException | Error e) {
            sqe.clear().prepNop().userData(UserData.IGNORED);
            throw e;
        } finally {
            filling = false;
        }
        if ((sqe.flags() & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK)) != 0) {
            sqe.clear().prepNop().userData(UserData.IGNORED);
            throw new IllegalArgumentException("a SqeWriter must not link entries (IOSQE_IO_LINK/HARDLINK): "
                    + "the driver links its own LINK_TIMEOUT");
        }
        if (fixedIndex >= 0 && FileTable.accepts(sqe, fd)) {
            sqe.fd(fixedIndex).addFlags(IOSQE_FIXED_FILE);
        }
        sqe.userData(slot.userData());
        if (linked) {
            sqe.addFlags(IOSQE_IO_LINK);
            Structs.setTimespec(slot.timespec, deadlineNanos); // CLOCK_MONOTONIC, as System.nanoTime()
            ring.sq().next().prepLinkTimeout(slot.timespec.address(), IORING_TIMEOUT_ABS)
                    .userData(UserData.IGNORED);
        }
    }

    /**
     * Step 3a: enters the kernel now with every queued entry (this task's and any other task's of
     * this worker, all fully written), then reaps what is ready. An operation the kernel can finish
     * without waiting — a send into a socket buffer with room — completes inside the enter, so its
     * task finds the slot completed and never parks; the completions of other tasks are dispatched
     * as in {@code poll()} (their waiters are queued on this worker).
     */
    private void submitNow() {
        if (!IoUringDriver.enterAccepted(ring.submit())) {
            // An unexpected errno (ENOMEM, …): the entries stay queued and the worker's next poll()
            // submits them again, where a persistent failure is reported. Throwing here would let
            // this task return while the kernel may still own its slot and its memory.
            return;
        }
        if (ring.cq().ready() > 0 || ring.completionsNeedFlush()) {
            driver.completions().reap();
        }
    }

    /** Steps 3-5: park until the slot completes, cancelling on interrupt or (self-timed) deadline. */
    private int await(OpTable.Slot slot, long deadlineNanos, boolean selfTimed, boolean linked) throws IOException {
        boolean interrupted = false;
        while (!slot.isCompleted()) {
            if (selfTimed && !slot.cancelRequested()) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    slot.cancelledByDeadline = true;
                    requestCancel(slot);
                    continue;
                }
                LockSupport.parkNanos(this, remaining);
            } else {
                LockSupport.park(this);
            }
            if (Thread.interrupted()) {
                interrupted = true; // restored below; park would not block again while it is set
                if (!slot.cancelRequested()) {
                    slot.cancelledByInterrupt = true;
                    requestCancel(slot);
                }
            }
        }
        try {
            return outcome(slot, deadlineNanos, linked);
        } finally {
            ops.release(slot);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The kernel keeps the operation (and its memory) until its own completion; we only ask. */
    private void requestCancel(OpTable.Slot slot) {
        if (!driver.isClosing()) {
            driver.queueCancel(slot.userData());
        }
    }

    private int outcome(OpTable.Slot slot, long deadlineNanos, boolean linked) throws IOException {
        int res = slot.result;
        if (slot.completedByClose) {
            throw new DriverClosedException("the io_uring driver of worker " + driver.workerIndex()
                    + " closed while the operation was in flight");
        }
        if (res >= 0) {
            if (slot.cancelledByInterrupt && slot.kind == ResultKind.FD) {
                LibC.close(res); // completed despite the cancel; the interrupted task will not take it
                throw interrupted();
            }
            return res; // a transfer that happened is delivered, even after a lost cancel race
        }
        boolean cancelled = res == -Errno.ECANCELED || (res == -Errno.EINTR && slot.cancelRequested());
        if (cancelled) {
            if (slot.cancelledByInterrupt) {
                throw interrupted();
            }
            if (slot.cancelledByDeadline || (linked && System.nanoTime() - deadlineNanos >= 0)) {
                throw new InterruptedByTimeoutException();
            }
        }
        return res;
    }

    private static InterruptedIOException interrupted() {
        return new InterruptedIOException("interrupted: the operation was cancelled");
    }

    /** The caller must be a task of this worker, and the driver open; returns the task. */
    Thread checkCaller() throws IOException {
        Thread current = Thread.currentThread();
        if (!current.isVirtual()) {
            throw new IllegalStateException("io_uring operations park the calling task: call them from a Veloq "
                    + "task, not from the platform thread " + current);
        }
        Thread carrier = Carriers.current();
        if (carrier != driver.owner()) {
            throw new WrongThreadException("this task runs on " + carrier + ", but the io_uring driver of worker "
                    + driver.workerIndex() + " belongs to " + driver.owner() + ": use IoUringDriver.current()");
        }
        if (driver.isClosing()) {
            throw new DriverClosedException("the io_uring driver of worker " + driver.workerIndex() + " is closed");
        }
        return current;
    }
}
