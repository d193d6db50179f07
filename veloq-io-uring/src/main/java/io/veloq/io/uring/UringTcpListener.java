package io.veloq.io.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_SOCKET;
import static io.veloq.uring.ffi.PosixConstants.SOCK_CLOEXEC;

import io.veloq.core.RuntimeContext;
import io.veloq.io.TcpListenerIo;
import io.veloq.io.TcpStreamIo;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ResultKind;
import io.veloq.uring.ffi.Errno;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A listening TCP socket of the io_uring backend. Accepts use one multishot ACCEPT per worker
 * ({@link MultishotAcceptor}), kept armed between calls, where the kernel has it (5.19, the same
 * release as IORING_OP_SOCKET, which the opcode probe reports) and {@value #MULTISHOT_PROPERTY} is
 * not {@code false}; otherwise one single-shot ACCEPT per call. Accepted descriptors are FD
 * results: if their waiter is gone, the driver closes them. Both paths report errors alike
 * ({@link #acceptError}); only the kernel's refusal of multishot ACCEPT changes the path.
 *
 * <p>Threading and close: see {@link UringResource}. {@code acceptors[w]} is created and used only
 * by tasks of worker w; the array publishes it to the cancel helper and to {@link #abandonArmed()}.
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
            MultishotAcceptor acceptor = acceptors.get(worker); // volatile: pairs with the set below
            if (acceptor == null) {
                acceptor = new MultishotAcceptor(this); // no park since the get: no other task of this worker raced
                acceptors.set(worker, acceptor);
            }
            int fd = acceptor.accept(driver);
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
