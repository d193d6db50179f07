package io.veloq.bench.io;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One side of the TCP echo scenarios: a server on 127.0.0.1 that writes back every byte it reads,
 * with TCP_NODELAY on each accepted connection and {@code workers} event loops / workers / carrier
 * threads, so every server gets the same number of cores' worth of threads.
 *
 * <p>Lifecycle: {@link #start} once, from a platform thread; {@link #close} once, from any thread,
 * which stops accepting, closes the connections (bounded) and releases every thread it started.
 */
interface EchoServer extends AutoCloseable {

    /** The variants, Veloq first, in the order the scenarios run them. */
    List<String> VARIANTS = List.of("veloq", "netty_epoll", "netty_io_uring", "jdk_vt_sockets");

    /**
     * Starts listening on 127.0.0.1 (port chosen by the kernel) and serving.
     *
     * @param workers     event loops / workers / carrier threads
     * @param bufferBytes bytes read at most per read call on each connection: the size of the read
     *                    buffer of Veloq's and the JDK's servers, the cap of Netty's adaptive one
     * @return the address clients connect to
     */
    InetSocketAddress start(int workers, int bufferBytes) throws Exception;

    /** One line for the log: the transport and its settings. */
    String describe();

    @Override
    void close() throws Exception;

    /** A new, not yet started server of the given variant. */
    static EchoServer of(String variant) {
        return switch (variant) {
            case "veloq" -> new VeloqEchoServer(VeloqEchoServer.Accept.fromProperty());
            case "netty_epoll" -> new NettyEchoServer(NettyEchoServer.Transport.EPOLL);
            case "netty_io_uring" -> new NettyEchoServer(NettyEchoServer.Transport.IO_URING);
            case "jdk_vt_sockets" -> new JdkVtEchoServer();
            default -> throw new IllegalArgumentException("unknown echo server variant '" + variant + "'; known: "
                    + VARIANTS);
        };
    }
}
