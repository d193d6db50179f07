package io.veloq.io.net;

import io.veloq.io.IoBackends;
import io.veloq.io.TcpListenerIo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A listening TCP socket (IPv4 or IPv6, by the family of the bound address; SO_REUSEADDR always,
 * SO_REUSEPORT on request). {@link #accept()} parks the calling task until a connection arrives.
 *
 * <p>One listener per worker: bind the same address with {@link ListenOptions#withReusePort} in
 * one task per worker ({@code runtime.spawnOn(i, ...)}), and the kernel spreads connections over
 * the workers without any hand-off between them.
 *
 * <p>Threading contract: {@link #bind} and {@link #accept()} must be called from a Veloq task
 * ({@link IllegalStateException} elsewhere); several tasks, on any workers, may accept on one
 * listener at once. {@link #close()}, {@link #isOpen()} and {@link #localAddress()}: any thread.
 * Closing ends pending accepts with {@link java.nio.channels.AsynchronousCloseException}; a
 * second close does nothing; interrupting a task blocked in accept closes the listener ({@link
 * java.nio.channels.ClosedByInterruptException}).
 */
public final class TcpListener implements AutoCloseable {

    private final TcpListenerIo io;

    private TcpListener(TcpListenerIo io) {
        this.io = io;
    }

    /** Binds {@code local} with {@link ListenOptions#defaults()}; port 0 picks a free port. */
    public static TcpListener bind(InetSocketAddress local) throws IOException {
        return bind(local, ListenOptions.defaults());
    }

    /**
     * Binds {@code local}; port 0 picks a free port (see {@link #localAddress()}).
     *
     * @throws java.net.BindException naming the address if it is in use or not local
     */
    public static TcpListener bind(InetSocketAddress local, ListenOptions options) throws IOException {
        Addresses.resolved(local, "local");
        Objects.requireNonNull(options, "options");
        return new TcpListener(IoBackends.current().bindTcp(local, options));
    }

    /** Binds {@code host:port} (0..65535) with {@link ListenOptions#defaults()}. */
    public static TcpListener bind(String host, int port) throws IOException {
        return bind(Addresses.resolve(host, port, 0), ListenOptions.defaults());
    }

    /** Waits for the next connection. */
    public TcpStream accept() throws IOException {
        IoBackends.requireTask("accept");
        return new TcpStream(io.accept());
    }

    /** The bound address, with the port the kernel chose for port 0. */
    public InetSocketAddress localAddress() throws IOException {
        return io.localAddress();
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
        String where;
        try {
            where = isOpen() ? String.valueOf(localAddress()) : "closed";
        } catch (IOException e) {
            where = "closed";
        }
        return "TcpListener[" + where + "]";
    }
}
