package io.veloq.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * SPI: one connected TCP stream. The shared-object contract of {@link FileIo} applies (any task,
 * concurrent use, close from anywhere, interrupt closes).
 */
public interface TcpStreamIo {

    /** Reads what is available (at least one byte, blocking until then); -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes some bytes (at least one, blocking until then); the count. */
    int write(ByteBuffer src) throws IOException;

    void shutdownOutput() throws IOException;

    void shutdownInput() throws IOException;

    InetSocketAddress localAddress() throws IOException;

    InetSocketAddress remoteAddress() throws IOException;

    /** One of TCP_NODELAY, SO_KEEPALIVE, SO_SNDBUF, SO_RCVBUF (java.net.StandardSocketOptions). Any thread. */
    <T> void setOption(SocketOption<T> option, T value) throws IOException;

    <T> T getOption(SocketOption<T> option) throws IOException;

    boolean isOpen();

    void close() throws IOException;
}
