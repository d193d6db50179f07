package io.veloq.io.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_SOCKET;
import static io.veloq.uring.ffi.PosixConstants.SOCK_CLOEXEC;

import io.veloq.core.RuntimeContext;
import io.veloq.io.TcpListenerIo;
import io.veloq.io.TcpStreamIo;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ResultKind;
import io.veloq.join.JoinHandle;
import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A listening TCP socket of the io_uring backend. Accepts use one multishot ACCEPT
 * ({@link MultishotAcceptor}), kept armed between calls on the listener's home worker, where the
 * kernel has it (5.19, the same release as IORING_OP_SOCKET, which the opcode probe reports) and
 * {@value #MULTISHOT_PROPERTY} is not {@code false}; otherwise one single-shot ACCEPT per call.
 * Accepted descriptors are FD results: if their waiter is gone, the driver closes them. Both paths
 * report errors alike ({@link #acceptError}); only the kernel's refusal of multishot ACCEPT changes
 * the path.
 *
 * <p>One armed ACCEPT per listener, on its home worker (the worker of the first accept): an armed
 * ACCEPT takes every connection the kernel offers it, whether or not a task of its worker is
 * waiting, so a second one armed on another worker could hold a connection while the only waiting
 * task sits on the first, which would then wait forever. An accept from another worker runs on the
 * home worker instead ({@link #acceptOnHome}) and returns the descriptor; the common patterns — an
 * accept loop on one worker, or a listener per worker with SO_REUSEPORT — never leave home.
 *
 * <p>Threading and close: see {@link UringResource}. {@code acceptors[w]} is created and used only
 * by tasks of worker w (only the home worker's is ever created); the array publishes it to the
 * cancel helper and to {@link #abandonArmed()}.
 */
final class UringTcpListener extends UringResource implements TcpListenerIo {

    /** System property: {@code false} turns multishot ACCEPT off (single-shot per call). */
    static final String MULTISHOT_PROPERTY = "veloq.io.uring.multishotAccept";

    private final InetSocketAddress local;
    private final AtomicReferenceArray<MultishotAcceptor> acceptors;
    /**
     * Cleared for good once the kernel refused a multishot ACCEPT on this listener
     * ({@link MultishotAcceptor#UNSUPPORTED}); any other error leaves it set.
     */
    private volatile boolean multishot;
    /** The worker whose multishot ACCEPT serves this listener: the first to accept (CAS from -1). */
    private final AtomicInteger home = new AtomicInteger(-1);

    UringTcpListener(int fd, InetSocketAddress local, IoUringDriver driver) {
        super(fd, true);
        this.local = local;
        this.acceptors = new AtomicReferenceArray<>(RuntimeContext.current().workerCount());
        this.multishot = driver.supports(IORING_OP_SOCKET)
                && !"false".equalsIgnoreCase(System.getProperty(MULTISHOT_PROPERTY, "true"));
    }

    @Override
    String describe() {
        return "listener " + local;
    }

    @Override
    public TcpStreamIo accept() throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        if (multishot) {
            int worker = RuntimeContext.current().workerIndex();
            int at = home.compareAndExchange(-1, worker); // volatile; -1: this call made its worker home
            int fd = at == -1 || at == worker ? acceptHere(driver, worker) : acceptOnHome(at);
            if (fd != MultishotAcceptor.UNSUPPORTED) {
                return new UringTcpStream(fd, null);
            }
            multishot = false; // volatile: other workers' tasks stop trying; a stale read only retries once
        }
        while (true) {
            int res = run(driver, sqe -> sqe.prepAccept(fd, 0, 0, SOCK_CLOEXEC, false), ResultKind.FD, NO_DEADLINE);
            if (res >= 0) {
                return new UringTcpStream(res, null);
            }
            if (!acceptsAgainAfter(-res)) {
                throw acceptError(-res);
            }
        }
    }

    /** On the home worker: the next connection from its armed ACCEPT, or UNSUPPORTED. */
    private int acceptHere(IoUringDriver driver, int worker) throws IOException {
        MultishotAcceptor acceptor = acceptors.get(worker); // volatile: pairs with the set below
        if (acceptor == null) {
            acceptor = new MultishotAcceptor(this); // no park since the get: no other task of this worker raced
            acceptors.set(worker, acceptor);
        }
        return acceptor.accept(driver);
    }

    /**
     * From another worker: runs the accept as a task on the home worker and waits for it. That task
     * returns its failure as its value, so that the caller, never the runtime's uncaught-exception
     * handler, sees it, even when shutdownNow interrupts both. The caller's interrupt closes the
     * listener, as an interrupted accept does, which ends that task; a descriptor it had accepted
     * before the close is closed, not leaked.
     */
    private int acceptOnHome(int worker) throws IOException {
        JoinHandle<Object> onHome;
        try {
            onHome = runtime().spawnOn(worker, "veloq-accept-" + fd, () -> {
                try {
                    return (Object) acceptHere(IoUringDriver.current(), worker);
                } catch (IOException | RuntimeException | Error e) {
                    return e;
                }
            });
        } catch (RejectedExecutionException stopping) {
            throw closedWhileStopping(stopping);
        }
        Object outcome;
        try {
            outcome = onHome.get();
        } catch (InterruptedException interrupted) {
            ClosedByInterruptException closed = closeOnInterrupt(interrupted); // ends the accept on home
            closeAccepted(onHome);
            Thread.currentThread().interrupt();
            throw closed;
        } catch (CancellationException | ExecutionException notRun) {
            throw closedWhileStopping(notRun); // shutdownNow dropped it before it ran
        }
        return switch (outcome) {
            case Integer accepted -> accepted;
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException("accept on the home worker returned " + outcome);
        };
    }

    private static AsynchronousCloseException closedWhileStopping(Exception cause) {
        AsynchronousCloseException e = new AsynchronousCloseException(); // the runtime is shutting down
        e.initCause(cause);
        return e;
    }

    /** After the close: waits for the home task (the close ends it) and closes what it accepted. */
    private static void closeAccepted(JoinHandle<Object> onHome) {
        Object outcome;
        try {
            outcome = onHome.join(); // not interruptible; bounded: the listener is closed
        } catch (CancellationException notRun) {
            return;
        }
        if (outcome instanceof Integer accepted && accepted >= 0) {
            LibC.close(accepted);
        }
    }

    /**
     * The errnos after which an accept waits for the next connection instead of failing, as the
     * JDK's accept does: ECONNABORTED (the connection was reset while it waited in the backlog)
     * and EINTR.
     */
    static boolean acceptsAgainAfter(int errno) {
        return errno == Errno.ECONNABORTED || errno == Errno.EINTR;
    }

    /** An accept's errno as the JDK reports it (EMFILE: {@code IOException} "Too many open files"). */
    IOException acceptError(int errno) {
        return Sockets.error(-errno, "accept on " + local);
    }

    /** Whether accepts use multishot ACCEPT (for tests and diagnostics). */
    boolean usesMultishot() {
        return multishot;
    }

    @Override
    void afterCancelHere() {
        MultishotAcceptor acceptor = acceptors.get(RuntimeContext.current().workerIndex());
        if (acceptor != null) {
            acceptor.closeIfArmed();
        }
    }

    @Override
    void abandonArmed() {
        for (int w = 0; w < acceptors.length(); w++) {
            MultishotAcceptor acceptor = acceptors.get(w);
            if (acceptor != null) {
                acceptor.abandon();
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        return local;
    }
}
