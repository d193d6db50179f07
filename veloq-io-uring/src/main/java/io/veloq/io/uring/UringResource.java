package io.veloq.io.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_ASYNC_CANCEL_ALL;
import static io.veloq.uring.ffi.IoUringConstants.IORING_ASYNC_CANCEL_FD;

import io.veloq.core.Runtime;
import io.veloq.core.RuntimeContext;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ResultKind;
import io.veloq.uring.SqeWriter;
import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One descriptor of the io_uring backend (file, TCP stream or listener, UDP socket): the
 * operation wrapper every subclass goes through and the close protocol.
 *
 * <p>Threading contract: {@link #run} is called by tasks of any worker of the runtime, several at
 * once; each operation goes to the ring of the caller's worker. {@link #close()} and {@link
 * #isOpen()}: any thread. All shared state is in the {@link OpGate}; {@link #fd} is final.
 *
 * <p>Close protocol (see also the package documentation):
 * <ol>
 *   <li>{@code close()} closes the gate; new operations get {@code ClosedChannelException}.</li>
 *   <li>If operations were inside, one small task per worker submits ASYNC_CANCEL by fd (all
 *       requests on this descriptor) on that worker's ring, holding the gate while it does, so the
 *       number cannot be reused under it. Cancelled operations end with
 *       {@link AsynchronousCloseException}. If the runtime refuses new tasks (it is shutting down),
 *       sockets are shut down with shutdown(2) instead, which wakes their accepts and receives.</li>
 *   <li>The last one out of the gate releases the descriptor: IORING_OP_CLOSE on a task of an
 *       io_uring worker ({@code IoUringDriver.closeDescriptor}: close(2) when that ring cannot take it),
 *       close(2) elsewhere; then the registered-file entry, if the first operation made one, is
 *       emptied on its worker (a task is sent there from anywhere else).</li>
 * </ol>
 * Interrupts: the driver cancels the interrupted task's operation; this class then closes the
 * descriptor (step 1-3) and throws {@link ClosedByInterruptException}, as the JDK's channels do.
 *
 * <p>Why a task per worker for step 2, not a cancel the closing thread posts to each driver: the
 * cancel must be submitted while the gate is held (so the number is not reused under it), and an
 * armed multishot ACCEPT must then be closed — its op-table slot returned — by a task of its
 * worker anyway. A driver-side cancel would need a callback to leave the gate and a second path
 * for that close; the task does both in one place, and costs one spawn per worker only when a
 * descriptor is closed with operations still inside its gate — which, for a TCP stream that was
 * read on a kernel with multishot RECV, is always (its armed RECV is inside; see ReceiveInbox).
 */
abstract class UringResource {

    static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final System.Logger LOG = System.getLogger("io.veloq.io");

    final int fd;
    private final boolean socket;
    private final Runtime runtime;
    private final OpGate gate = new OpGate();
    /**
     * Where the descriptor is registered: set once, by the first operation (inside the gate) on
     * the worker it ran on, and read by every operation after; CAS from null, so two workers' first
     * operations cannot both keep an entry. Read by the release after the gate emptied, whose
     * full-fence exit orders it after the set.
     */
    private volatile Registration registration;

    /** The worker whose registered-file table holds this descriptor, and the entry; index -1: none. */
    private record Registration(IoUringDriver home, int index) {}

    private static final VarHandle REGISTRATION;

    static {
        try {
            REGISTRATION = MethodHandles.lookup().findVarHandle(UringResource.class, "registration", Registration.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @param socket whether shutdown(2) can wake this descriptor's waiters (step 2's fallback) */
    UringResource(int fd, boolean socket) {
        this.fd = fd;
        this.socket = socket;
        this.runtime = RuntimeContext.current().runtime();
    }

    /** The runtime whose workers this resource's operations run on. */
    final Runtime runtime() {
        return runtime;
    }

    /** What exception messages call this resource: a path or an address. */
    abstract String describe();

    /**
     * Runs one operation on the caller's worker inside the gate.
     *
     * @return the raw result, {@code -errno} included (the caller maps it with its context)
     * @throws java.nio.channels.ClosedChannelException if closed before it started
     * @throws AsynchronousCloseException if it failed because another thread closed the resource
     * @throws ClosedByInterruptException if the task was interrupted (the resource is now closed)
     * @throws java.nio.channels.InterruptedByTimeoutException if {@code deadlineNanos} passed
     */
    final int run(IoUringDriver driver, SqeWriter writer, ResultKind kind, long deadlineNanos) throws IOException {
        return run(driver, writer, kind, deadlineNanos, false);
    }

    /**
     * As {@link #run(IoUringDriver, SqeWriter, ResultKind, long)}; {@code eager} submits at once
     * ({@link IoUringDriver#submitNowAndAwaitRaw}), for operations that usually complete without
     * waiting (sends), so that they return without parking.
     */
    final int run(IoUringDriver driver, SqeWriter writer, ResultKind kind, long deadlineNanos, boolean eager)
            throws IOException {
        gate.enter();
        int res;
        try {
            res = driver.submitAndAwaitRaw(writer, deadlineNanos, kind, eager, fd, fixedIndexOn(driver));
        } catch (InterruptedIOException interrupted) {
            leave();
            throw closeOnInterrupt(interrupted);
        } catch (Throwable t) {
            leave();
            throw t;
        }
        boolean closedMeanwhile = gate.isClosed();
        leave();
        if (res < 0 && closedMeanwhile) {
            throw new AsynchronousCloseException();
        }
        return res;
    }

    /**
     * The registered-file index operations on {@code driver} name the descriptor by, or -1 (by
     * number): the first operation registers it on its worker ({@link IoUringDriver#registerFile}),
     * and only that worker's operations use the entry. Call inside the gate, from a task of
     * {@code driver}'s worker.
     */
    final int fixedIndexOn(IoUringDriver driver) {
        Registration r = registration;
        if (r == null) {
            int index = driver.registerFile(fd);
            r = new Registration(driver, index);
            if (!REGISTRATION.compareAndSet(this, null, r)) {
                if (index >= 0) {
                    driver.unregisterFile(index); // another worker's first operation registered it first
                }
                r = registration;
            }
        }
        return r.home() == driver ? r.index() : -1;
    }

    /**
     * The JDK channels' rule for an interrupted operation: the resource is closed and the caller
     * throws the returned {@link ClosedByInterruptException} (the interrupt status stays set).
     * Call it outside the gate.
     *
     * @param cause what reported the interrupt, or null
     */
    final ClosedByInterruptException closeOnInterrupt(Throwable cause) {
        close();
        ClosedByInterruptException e = new ClosedByInterruptException();
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** Runs a synchronous call on the descriptor inside the gate (options, names, shutdown). */
    final <T> T withFd(FdCall<T> call) throws IOException {
        gate.enter();
        try {
            return call.apply(fd);
        } finally {
            leave();
        }
    }

    @FunctionalInterface
    interface FdCall<T> {
        T apply(int fd) throws IOException;
    }

    public final boolean isOpen() {
        return !gate.isClosed();
    }

    final boolean isClosedNow() {
        return gate.isClosed();
    }

    /** For operations that outlive one call (an armed multishot ACCEPT): holds the descriptor open. */
    final void enterGate() throws java.nio.channels.ClosedChannelException {
        gate.enter();
    }

    /** Pairs with {@link #enterGate()}; may release the descriptor. */
    final void exitGate() {
        leave();
    }

    /**
     * As {@link #exitGate()}, from a worker as it reaps (a multishot RECV ended): a release here
     * uses close(2), since parking for an IORING_OP_CLOSE would park whichever task is reaping.
     */
    final void exitGateFromDriver() {
        if (gate.exit()) {
            release(false);
        }
    }

    /**
     * Step 2, on each worker's cancel task, after the descriptor's requests on this worker's ring
     * were cancelled: subclasses close what they keep armed on this worker.
     */
    void afterCancelHere() {
    }

    /**
     * Step 2's fallback, when no task can run on the workers any more (the runtime is stopping):
     * subclasses give up what operations armed on the workers hold — their results (accepted
     * connections are closed) and their gate entries. Those operations are ended by shutdown(2)
     * or by their driver's close; only the descriptor's number is released, nobody will name it
     * again.
     */
    void abandonArmed() {
    }

    /** Idempotent, any thread. */
    public final void close() {
        switch (gate.close()) {
            case NOTHING -> { }
            case RELEASE -> release(true);
            case CANCEL_USERS -> cancelUsers();
        }
    }

    private void leave() {
        if (gate.exit()) {
            release(true);
        }
    }

    /** Step 2: ask every worker to cancel this descriptor's requests on its ring. */
    private void cancelUsers() {
        try {
            for (int w = 0; w < runtime.workerCount(); w++) {
                runtime.spawnOn(w, "veloq-cancel-fd-" + fd, this::cancelOnThisWorker);
            }
        } catch (RejectedExecutionException shuttingDown) {
            if (gate.enterToCancel()) {
                try {
                    shutdownSocket();
                    abandonArmed();
                } finally {
                    leave();
                }
            }
        }
    }

    /** A cancel helper task: one ASYNC_CANCEL(fd, ALL) on the ring of the worker it runs on. */
    private void cancelOnThisWorker() {
        if (!gate.enterToCancel()) {
            return; // released already: the number may belong to another descriptor now
        }
        try {
            int r = IoUringDriver.current().submitAndAwaitRaw(
                    sqe -> sqe.prepAsyncCancel(0, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL).fd(fd),
                    NO_DEADLINE, ResultKind.PLAIN);
            if (r == -Errno.EINVAL) {
                shutdownSocket(); // a kernel before 5.19 cannot cancel by fd
            }
            afterCancelHere();
        } catch (IOException | RuntimeException e) {
            shutdownSocket();
        } finally {
            leave();
        }
    }

    private void shutdownSocket() {
        if (socket) {
            Sockets.shutdownQuietly(fd);
        }
    }

    /**
     * Step 3: exactly once, after the gate closed and emptied.
     *
     * @param onRing whether IORING_OP_CLOSE may be used when the caller is a task of an io_uring worker
     */
    private void release(boolean onRing) {
        IoUringDriver driver = onRing ? Drivers.ofCurrentTask() : null;
        // CLOSE on the ring when it can take it, else close(2): never left open, never closed twice.
        int r = driver != null ? driver.closeDescriptor(fd) : LibC.close(fd);
        if (r < 0 && r != -Errno.EINTR) {
            LOG.log(System.Logger.Level.DEBUG, "closing " + describe() + ": " + Errno.describe(-r));
        }
        unregister();
    }

    /**
     * Step 3, second half: the registered-file entry holds the file open of its own, so it is
     * emptied too — at once on its worker, else by a task sent there (the table is its worker's
     * alone, SINGLE_ISSUER). When the runtime refuses that task it is stopping, and the ring's
     * close drops the entry.
     */
    private void unregister() {
        Registration r = registration;
        if (r == null || r.index() < 0) {
            return;
        }
        if (r.home().isCurrentWorker()) {
            r.home().unregisterFile(r.index());
            return;
        }
        try {
            runtime.spawnOn(r.home().workerIndex(), "veloq-unregister-fd-" + fd, () -> r.home().unregisterFile(r.index()));
        } catch (RejectedExecutionException stopping) {
            LOG.log(System.Logger.Level.DEBUG, "the registered file of " + describe()
                    + " goes with its ring: the runtime is stopping");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + describe() + ", fd " + fd + ", " + gate + "]";
    }
}
