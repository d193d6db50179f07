package io.veloq.io.uring;

import static io.veloq.uring.ffi.PosixConstants.SOCK_CLOEXEC;

import io.veloq.uring.IoUringDriver;
import io.veloq.uring.MultishotOperation;
import io.veloq.uring.ResultKind;
import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The multishot ACCEPT one listener keeps armed on one worker's ring: armed by the first accept
 * of a task of that worker, it stays armed between calls, and each accept takes the next
 * connection the kernel queued for it.
 *
 * <p>Threading contract: tasks of one worker only (the driver's multishot handle requires it). The
 * lock lets one task at a time wait in {@code next()}; the others wait for the lock, on the same
 * worker. {@link #abandon()} alone may come from any thread; it only reads {@code armed}, gives up
 * the operation's results (thread-safe in the driver) and touches {@code holdsGate}.
 *
 * <p>Connections nobody took: the kernel may have completed connections into the armed operation
 * that no task asked for yet. Whoever ends the operation closes them: {@link #closeArmed()} (a
 * task of the worker: an accept that saw the end, or close's cancel task) through the operation's
 * close, or {@link #abandon()} (close while the runtime refuses tasks) through
 * {@code MultishotOperation.abandon()}, which also has the worker close the ones still arriving;
 * the driver's close discards whatever is left.
 *
 * <p>Gate accounting: an armed operation holds one entry of the listener's gate, so the listening
 * descriptor is not released while the kernel may still accept on it; {@code holdsGate} makes
 * sure that entry is given back exactly once — by {@link #closeArmed()} or by {@link #abandon()}.
 */
final class MultishotAcceptor {

    /**
     * Returned by {@link #accept} when the kernel refused multishot ACCEPT: the operation ended
     * with EINVAL before it delivered anything, as on kernels before 5.19, which reject the flag.
     * Use single-shot ACCEPTs from then on; if the EINVAL had another cause, they report it.
     */
    static final int UNSUPPORTED = -1;

    private final UringTcpListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean holdsGate = new AtomicBoolean();
    /**
     * Written by tasks holding {@link #lock}; volatile so that {@link #abandon()} on another thread
     * sees an operation armed before the listener's gate closed (none is armed after).
     */
    private volatile MultishotOperation armed;
    /** Guarded by {@link #lock}: the armed operation has delivered at least one connection. */
    private boolean delivered;

    MultishotAcceptor(UringTcpListener listener) {
        this.listener = listener;
    }

    /**
     * The next accepted descriptor, or {@link #UNSUPPORTED}.
     *
     * <p>Any other errno that ends the operation is thrown, mapped as the single-shot path maps it
     * (EMFILE: {@code IOException} "Too many open files", as the JDK's accept), after the operation
     * is closed: the next call arms a new one, so the listener stays usable and stays multishot.
     * The errnos after which the JDK's accept tries again ({@link UringTcpListener#acceptsAgainAfter})
     * arm a new operation here too, without returning.
     *
     * @throws ClosedChannelException if the listener is closed (asynchronously: while waiting)
     * @throws ClosedByInterruptException if interrupted (the listener is then closed)
     * @throws IOException the errno that ended the operation, or the driver's close
     */
    int accept(IoUringDriver driver) throws IOException {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw listener.closeOnInterrupt(e);
        }
        try {
            while (true) {
                if (listener.isClosedNow()) {
                    closeArmed();
                    throw new AsynchronousCloseException();
                }
                if (armed == null) {
                    arm(driver);
                }
                int fd;
                try {
                    fd = armed.next();
                } catch (InterruptedIOException interrupted) {
                    closeArmed();
                    throw listener.closeOnInterrupt(interrupted);
                } catch (IOException ended) {
                    int errno = armed.endErrno(); // 0 when the driver closed: ended is DriverClosedException
                    boolean neverDelivered = !delivered;
                    closeArmed();
                    if (listener.isClosedNow()) {
                        AsynchronousCloseException e = new AsynchronousCloseException();
                        e.initCause(ended);
                        throw e;
                    }
                    if (errno == Errno.EINVAL && neverDelivered) {
                        return UNSUPPORTED;
                    }
                    if (UringTcpListener.acceptsAgainAfter(errno)) {
                        continue;
                    }
                    throw errno == 0 ? ended : listener.acceptError(errno); // EMFILE, ENFILE, ENOBUFS, ENOMEM...
                }
                if (fd >= 0) {
                    delivered = true;
                    if (listener.isClosedNow()) {
                        LibC.close(fd);
                        closeArmed();
                        throw new AsynchronousCloseException();
                    }
                    return fd;
                }
                closeArmed(); // ended without error (the CQ overflowed): arm a new one
            }
        } finally {
            lock.unlock();
        }
    }

    private void arm(IoUringDriver driver) throws IOException {
        listener.enterGate();
        holdsGate.set(true); // volatile: abandon() on another thread must see the entry this operation holds
        try {
            armed = driver.submitMultishot(sqe -> sqe.prepAccept(listener.fd, 0, 0, SOCK_CLOEXEC, true), ResultKind.FD);
            delivered = false;
        } catch (IOException | RuntimeException | Error e) {
            giveBackGate();
            throw e;
        }
    }

    /** A task of this worker (the cancel helper of a close): closes the armed operation, if any. */
    void closeIfArmed() {
        lock.lock();
        try {
            closeArmed();
        } finally {
            lock.unlock();
        }
    }

    /** With the lock: cancels the operation, waits for its end, closes connections nobody took. */
    private void closeArmed() {
        if (armed != null) {
            armed.close();
            armed = null;
            giveBackGate();
        }
    }

    /**
     * Any thread, when no task can run on this worker any more (see UringResource.abandonArmed):
     * closes the connections the armed operation queued, has the worker close later ones, and
     * gives up the gate entry. The operation itself is ended by shutdown(2) or the driver's close.
     */
    void abandon() {
        MultishotOperation operation = armed; // volatile: pairs with the write in arm()
        if (operation != null) {
            operation.abandon();
        }
        giveBackGate();
    }

    private void giveBackGate() {
        if (holdsGate.compareAndSet(true, false)) { // closeArmed() and abandon() race here: one gives the entry back
            listener.exitGate();
        }
    }
}
