package io.veloq.io.uring;

import static io.veloq.uring.ffi.PosixConstants.MSG_NOSIGNAL;

import io.veloq.io.UdpIo;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ResultKind;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP socket of the io_uring backend: SENDMSG with the target in the message header, SEND when
 * connected, RECVMSG reporting the sender; connect and disconnect are synchronous (they do not
 * wait for the network). Threading and close: see {@link UringResource}; the connected peer is an
 * immutable value published through a volatile field.
 */
final class UringUdp extends UringResource implements UdpIo {

    private final InetSocketAddress local;
    private volatile InetSocketAddress remote;

    UringUdp(int fd, InetSocketAddress local) {
        super(fd, true);
        this.local = local;
    }

    @Override
    String describe() {
        InetSocketAddress r = remote;
        return "UDP " + local + (r != null ? " -> " + r : "");
    }

    @Override
    public int send(ByteBuffer src, InetSocketAddress target) throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        int res;
        if (src.isDirect()) {
            res = send(driver, NativeBuffers.address(src), src.remaining(), target);
            Reference.reachabilityFence(src);
        } else {
            try (Staging staging = Staging.lease(driver, Math.max(1, src.remaining()))) {
                int n = staging.copyFrom(src);
                res = send(driver, staging.address(), n, target);
            }
        }
        src.position(src.position() + res);
        return res;
    }

    private int send(IoUringDriver driver, long data, int length, InetSocketAddress target) throws IOException {
        int res;
        if (target == null) {
            res = run(driver, sqe -> sqe.prepSend(fd, data, length, MSG_NOSIGNAL), ResultKind.PLAIN, NO_DEADLINE,
                    driver.config().eagerSends());
        } else {
            try (Arena arena = Arena.ofConfined()) {
                DatagramMessage message = new DatagramMessage(arena, data, length).target(target);
                res = run(driver, sqe -> sqe.prepSendmsg(fd, message.address(), MSG_NOSIGNAL), ResultKind.PLAIN,
                        NO_DEADLINE, driver.config().eagerSends());
            }
        }
        if (res < 0) {
            throw Sockets.datagramError(res, "send to " + (target != null ? target : remote));
        }
        return res;
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        int length = dst.remaining();
        if (dst.isDirect()) {
            try (Arena arena = Arena.ofConfined()) {
                DatagramMessage message = new DatagramMessage(arena, NativeBuffers.address(dst), length).receiving();
                int res = receive(driver, message);
                Reference.reachabilityFence(dst);
                dst.position(dst.position() + res);
                return message.sender();
            }
        }
        try (Staging staging = Staging.lease(driver, length); Arena arena = Arena.ofConfined()) {
            DatagramMessage message = new DatagramMessage(arena, staging.address(), Math.min(length, staging.capacity())).receiving();
            int res = receive(driver, message);
            staging.copyTo(dst, res);
            return message.sender();
        }
    }

    private int receive(IoUringDriver driver, DatagramMessage message) throws IOException {
        int res = run(driver, sqe -> sqe.prepRecvmsg(fd, message.address(), 0), ResultKind.PLAIN, NO_DEADLINE);
        if (res < 0) {
            throw Sockets.datagramError(res, "receive on " + describe());
        }
        return res;
    }

    @Override
    public void connect(InetSocketAddress remote) throws IOException {
        withFd(fd -> {
            Sockets.connectDatagram(fd, remote);
            return null;
        });
        this.remote = remote;
    }

    /**
     * Dissolves the association (connect to AF_UNSPEC). Linux then drops an automatically chosen
     * port (the bind gave port 0, so the kernel did not lock it) and the next send would pick a new
     * one; like the JDK, this binds the original local address again.
     */
    @Override
    public void disconnect() throws IOException {
        withFd(fd -> {
            Sockets.connectDatagram(fd, null);
            if (Sockets.localAddress(fd).getPort() != local.getPort()) {
                Sockets.bind(fd, local);
            }
            return null;
        });
        this.remote = null;
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        if (!isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
        return local;
    }

    @Override
    public InetSocketAddress remoteAddress() throws IOException {
        if (!isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
        return remote;
    }
}
