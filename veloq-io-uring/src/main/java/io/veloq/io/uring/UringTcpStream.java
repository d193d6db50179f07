package io.veloq.io.uring;

import static io.veloq.uring.ffi.PosixConstants.IPPROTO_TCP;
import static io.veloq.uring.ffi.PosixConstants.MSG_NOSIGNAL;
import static io.veloq.uring.ffi.PosixConstants.SHUT_RD;
import static io.veloq.uring.ffi.PosixConstants.SHUT_WR;
import static io.veloq.uring.ffi.PosixConstants.SOL_SOCKET;
import static io.veloq.uring.ffi.PosixConstants.SO_KEEPALIVE;
import static io.veloq.uring.ffi.PosixConstants.SO_RCVBUF;
import static io.veloq.uring.ffi.PosixConstants.SO_SNDBUF;
import static io.veloq.uring.ffi.PosixConstants.TCP_NODELAY;

import io.veloq.io.TcpStreamIo;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ReceiveMode;
import io.veloq.uring.ResultKind;
import io.veloq.uring.ffi.Errno;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;

/**
 * A connected TCP socket of the io_uring backend: SEND and SHUTDOWN on the caller's worker's
 * ring; reads by a RECV each, or through a multishot RECV that stays armed ({@link ReceiveInbox})
 * where the driver has provided buffers, from the point {@link ReceiveMode} says; options and
 * names through synchronous calls ({@link Sockets}). Threading and close: see
 * {@link UringResource}; the cached addresses are immutable values published through volatile
 * fields.
 *
 * <p>Sends carry MSG_NOSIGNAL (a closed peer is an EPIPE, never a SIGPIPE). A send waits for the
 * worker's round, which submits it with every other entry queued, unless it is eager: always with
 * {@link io.veloq.uring.IoUringConfig#withEagerSends}, and otherwise when the inbox already holds
 * more input — the task is working through a backlog and will not park for a read next, so
 * parking for the send would only delay it; the send enters the kernel at once and, with room in
 * the socket, completes inside that enter.
 */
final class UringTcpStream extends UringResource implements TcpStreamIo {

    private final ReceiveInbox inbox = new ReceiveInbox(this);
    /** Whether reads take a RECV each or go through {@link #inbox}, and the switch between them. */
    private final ReceivePath path = new ReceivePath();
    private volatile InetSocketAddress local;
    private volatile InetSocketAddress remote;

    UringTcpStream(int fd, InetSocketAddress remote) {
        super(fd, true);
        this.remote = remote;
    }

    @Override
    String describe() {
        InetSocketAddress r = remote;
        return r != null ? r.toString() : "a TCP socket";
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        boolean multishot = driver.receivesMultishot();
        if (multishot && path.enter(driver.config().receiveMode() == ReceiveMode.ARMED)) {
            return inbox.read(dst, driver);
        }
        boolean filled = false;
        try {
            if (inbox.isInputShut()) {
                return -1; // SHUT_RD neither empties the socket nor refuses later bytes: the JDK's answer is ours
            }
            int requested;
            int res;
            if (dst.isDirect()) {
                long address = NativeBuffers.address(dst);
                requested = dst.remaining();
                res = run(driver, sqe -> sqe.prepRecv(fd, address, requested, 0), ResultKind.PLAIN, NO_DEADLINE);
                Reference.reachabilityFence(dst);
                if (res > 0) {
                    dst.position(dst.position() + res);
                }
            } else {
                try (Staging staging = Staging.leaseUpTo(driver, dst.remaining())) {
                    requested = Math.min(dst.remaining(), staging.capacity());
                    res = run(driver, sqe -> sqe.prepRecv(fd, staging.address(), requested, 0), ResultKind.PLAIN,
                            NO_DEADLINE);
                    if (res > 0) {
                        staging.copyTo(dst, res);
                    }
                }
            }
            if (res < 0) {
                throw Sockets.error(res, describe());
            }
            if (res == 0 && isClosedNow()) {
                throw new AsynchronousCloseException(); // woken by a close's shutdown, not by the peer
            }
            filled = res > 0 && res == requested; // more was likely waiting: ReceiveMode.ADAPTIVE switches
            return res == 0 ? -1 : res;
        } finally {
            if (multishot) {
                path.endRecv(filled);
            }
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        boolean eager = driver.config().eagerSends() || (path.armed() && inbox.buffered() > 0);
        int res;
        if (src.isDirect()) {
            long address = NativeBuffers.address(src);
            int length = src.remaining();
            res = run(driver, sqe -> sqe.prepSend(fd, address, length, MSG_NOSIGNAL), ResultKind.PLAIN, NO_DEADLINE,
                    eager);
            Reference.reachabilityFence(src);
        } else {
            try (Staging staging = Staging.leaseUpTo(driver, src.remaining())) {
                int n = staging.copyFrom(src);
                res = run(driver, sqe -> sqe.prepSend(fd, staging.address(), n, MSG_NOSIGNAL), ResultKind.PLAIN,
                        NO_DEADLINE, eager);
            }
        }
        if (res < 0) {
            throw Sockets.error(res, describe());
        }
        src.position(src.position() + res);
        return res;
    }

    @Override
    public void shutdownOutput() throws IOException {
        shutdown(SHUT_WR);
    }

    @Override
    public void shutdownInput() throws IOException {
        inbox.shutInput();
        shutdown(SHUT_RD);
    }

    /** SHUTDOWN on the ring from a task of an io_uring worker; shutdown(2) from any other thread. */
    private void shutdown(int how) throws IOException {
        IoUringDriver driver = Drivers.ofCurrentTask();
        if (driver == null) {
            withFd(fd -> {
                Sockets.shutdown(fd, how, describe());
                return null;
            });
            return;
        }
        int res = run(driver, sqe -> sqe.prepShutdown(fd, how), ResultKind.PLAIN, NO_DEADLINE);
        if (res < 0 && res != -Errno.ENOTCONN) {
            throw Sockets.error(res, "shutdown " + describe());
        }
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        InetSocketAddress a = local;
        if (a == null) {
            a = withFd(Sockets::localAddress);
            local = a;
        }
        return a;
    }

    @Override
    public InetSocketAddress remoteAddress() throws IOException {
        InetSocketAddress a = remote;
        if (a == null) {
            a = withFd(Sockets::remoteAddress);
            remote = a;
        }
        return a;
    }

    @Override
    public <T> void setOption(SocketOption<T> option, T value) throws IOException {
        int v = value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value;
        int[] levelAndName = optionOf(option);
        withFd(fd -> {
            Sockets.setInt(fd, levelAndName[0], levelAndName[1], v, option.name() + " on " + describe());
            return null;
        });
    }

    @Override
    public <T> T getOption(SocketOption<T> option) throws IOException {
        int[] levelAndName = optionOf(option);
        int v = withFd(fd -> Sockets.getInt(fd, levelAndName[0], levelAndName[1], option.name() + " on " + describe()));
        Object value = option.type() == Boolean.class ? (Object) (v != 0) : (Object) v;
        return option.type().cast(value);
    }

    private static int[] optionOf(SocketOption<?> option) {
        if (option == StandardSocketOptions.TCP_NODELAY) {
            return new int[] {IPPROTO_TCP, TCP_NODELAY};
        }
        if (option == StandardSocketOptions.SO_KEEPALIVE) {
            return new int[] {SOL_SOCKET, SO_KEEPALIVE};
        }
        if (option == StandardSocketOptions.SO_SNDBUF) {
            return new int[] {SOL_SOCKET, SO_SNDBUF};
        }
        if (option == StandardSocketOptions.SO_RCVBUF) {
            return new int[] {SOL_SOCKET, SO_RCVBUF};
        }
        throw new UnsupportedOperationException("'" + option.name() + "' not supported");
    }
}
