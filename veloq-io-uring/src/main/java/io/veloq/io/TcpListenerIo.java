package io.veloq.io;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * SPI: one listening TCP socket. The shared-object contract of {@link FileIo} applies; in
 * particular {@link #close()} ends the {@link #accept()} calls of other tasks with
 * {@link java.nio.channels.AsynchronousCloseException}.
 */
public interface TcpListenerIo {

    /** Waits for the next connection. */
    TcpStreamIo accept() throws IOException;

    InetSocketAddress localAddress() throws IOException;

    boolean isOpen();

    void close() throws IOException;
}
