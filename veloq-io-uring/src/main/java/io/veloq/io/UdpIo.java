package io.veloq.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * SPI: one UDP socket. The shared-object contract of {@link FileIo} applies.
 */
public interface UdpIo {

    /** Sends one datagram to {@code target}, or to the connected peer when {@code target} is null. */
    int send(ByteBuffer src, InetSocketAddress target) throws IOException;

    /**
     * Receives one datagram into {@code dst} (excess bytes of a longer datagram are discarded, as in
     * the JDK) and returns its sender.
     */
    InetSocketAddress receive(ByteBuffer dst) throws IOException;

    /** Restricts the socket to one peer (connect(2)); ICMP errors then surface as exceptions. */
    void connect(InetSocketAddress remote) throws IOException;

    void disconnect() throws IOException;

    InetSocketAddress localAddress() throws IOException;

    /** The connected peer, or null. */
    InetSocketAddress remoteAddress() throws IOException;

    boolean isOpen();

    void close() throws IOException;
}
