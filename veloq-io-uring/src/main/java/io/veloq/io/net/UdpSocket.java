package io.veloq.io.net;

import io.veloq.io.IoBackends;
import io.veloq.io.UdpIo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NotYetConnectedException;
import java.util.Objects;

/**
 * A UDP socket in direct style (IPv4 or IPv6, by the family of the bound address): send to and
 * receive from any address, or {@link #connect} to one peer and use {@link #write} / {@link #read}.
 * On the io_uring backend sends and receives are SENDMSG / RECVMSG of the caller's worker (the
 * peer address travels in the message header); on the portable backend, a blocking {@link
 * java.nio.channels.DatagramChannel}.
 *
 * <p>One call moves one datagram. A datagram longer than the destination's remaining space is
 * truncated (the rest is discarded, as in the JDK), so size receive buffers for the largest
 * expected datagram.
 *
 * <p>Threading contract: {@link #bind}, sends, receives, {@link #connect} and {@link #disconnect}
 * must be called from a Veloq task ({@link IllegalStateException} elsewhere); any task may use the
 * socket, several at once. {@link #close()}, {@link #isOpen()} and the address getters: any thread.
 * Closing ends pending receives with {@link java.nio.channels.AsynchronousCloseException}; a
 * second close does nothing; an interrupt closes the socket ({@link
 * java.nio.channels.ClosedByInterruptException}).
 */
public final class UdpSocket implements AutoCloseable {

    private final UdpIo io;

    private UdpSocket(UdpIo io) {
        this.io = io;
    }

    /** Binds {@code local} (port 0 picks a free port). */
    public static UdpSocket bind(InetSocketAddress local) throws IOException {
        Addresses.resolved(local, "local");
        return new UdpSocket(IoBackends.current().bindUdp(local));
    }

    /** Binds {@code host:port} (0..65535). */
    public static UdpSocket bind(String host, int port) throws IOException {
        return bind(Addresses.resolve(host, port, 0));
    }

    /** Sends the remaining bytes of {@code src} as one datagram to {@code target}; the count. */
    public int send(ByteBuffer src, InetSocketAddress target) throws IOException {
        Objects.requireNonNull(src, "src");
        Addresses.remote(target, "target");
        IoBackends.requireTask("send");
        return io.send(src, target);
    }

    /**
     * Receives one datagram into {@code dst} and returns its sender.
     *
     * @throws IllegalArgumentException if {@code dst} has no room (the datagram would be lost)
     */
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        checkDestination(dst);
        IoBackends.requireTask("receive");
        return io.receive(dst);
    }

    /** Restricts the socket to {@code remote}: only its datagrams are received, ICMP errors are reported. */
    public void connect(InetSocketAddress remote) throws IOException {
        Addresses.remote(remote, "remote");
        IoBackends.requireTask("connect");
        io.connect(remote);
    }

    public void disconnect() throws IOException {
        IoBackends.requireTask("disconnect");
        io.disconnect();
    }

    /** Sends one datagram to the connected peer; {@link NotYetConnectedException} if not connected. */
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        IoBackends.requireTask("write");
        requireConnected();
        return io.send(src, null);
    }

    /** Receives one datagram from the connected peer; the count. */
    public int read(ByteBuffer dst) throws IOException {
        checkDestination(dst);
        IoBackends.requireTask("read");
        requireConnected();
        int before = dst.position();
        io.receive(dst);
        return dst.position() - before;
    }

    public InetSocketAddress localAddress() throws IOException {
        return io.localAddress();
    }

    /** The connected peer, or null. */
    public InetSocketAddress remoteAddress() throws IOException {
        return io.remoteAddress();
    }

    public boolean isConnected() throws IOException {
        return io.isOpen() && io.remoteAddress() != null;
    }

    public boolean isOpen() {
        return io.isOpen();
    }

    /** Any thread; a second call does nothing. */
    @Override
    public void close() throws IOException {
        io.close();
    }

    @Override
    public String toString() {
        return "UdpSocket[" + (isOpen() ? "open" : "closed") + "]";
    }

    private void requireConnected() throws IOException {
        if (io.isOpen() && io.remoteAddress() == null) {
            throw new NotYetConnectedException();
        }
    }

    private static void checkDestination(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot receive into a read-only buffer");
        }
        if (!dst.hasRemaining()) {
            throw new IllegalArgumentException("the destination buffer has no room: the datagram would be lost");
        }
    }
}
