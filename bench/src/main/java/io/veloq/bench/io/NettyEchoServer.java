package io.veloq.bench.io;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.Version;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code netty_epoll} and {@code netty_io_uring}: the canonical Netty echo server on Netty 4.2's
 * native transports. One {@link MultiThreadIoEventLoopGroup} of {@code workers} loops serves both
 * the listening channel and the connections (no separate boss group, so the server has exactly
 * {@code workers} threads); the handler writes every inbound buffer back and flushes once per
 * read batch ({@code channelReadComplete}), Netty's own echo example; pooled allocator (the default),
 * reads sized by Netty's adaptive allocator with its default bounds, capped at the scenario's read size.
 *
 * <p>Threading: {@link #start} and {@link #close} from one platform thread; the handler runs on the
 * event loops and is shared by all connections ({@code @Sharable}); its only state is the first failure.
 */
final class NettyEchoServer implements EchoServer {

    /** Netty 4.2's native transports, each with its availability check. */
    enum Transport {
        EPOLL("epoll"),
        IO_URING("io_uring");

        private final String label;

        Transport(String label) {
            this.label = label;
        }

        /** @throws UnsatisfiedLinkError (or another error) with Netty's own reason when unavailable */
        void ensureAvailable() {
            switch (this) {
                case EPOLL -> Epoll.ensureAvailability();
                case IO_URING -> IoUring.ensureAvailability();
            }
        }

        IoHandlerFactory handlers() {
            return this == EPOLL ? EpollIoHandler.newFactory() : IoUringIoHandler.newFactory();
        }

        Class<? extends ServerChannel> serverChannel() {
            return this == EPOLL ? EpollServerSocketChannel.class : IoUringServerSocketChannel.class;
        }
    }

    private final Transport transport;
    private EventLoopGroup group;
    private int loops;
    private Channel server;

    NettyEchoServer(Transport transport) {
        this.transport = transport;
    }

    @Override
    public InetSocketAddress start(int workers, int bufferBytes) throws Exception {
        transport.ensureAvailable();
        loops = workers;
        group = new MultiThreadIoEventLoopGroup(workers, transport.handlers());
        server = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Netty's default sizing (64 B to 64 KiB, from 2 KiB), capped at the scenario's read size.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        Math.min(64, bufferBytes), Math.min(2048, bufferBytes), bufferBytes))
                .childHandler(new EchoHandler())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sync()
                .channel();
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public String describe() {
        Version version = Version.identify().get("netty-transport");
        return "netty " + (version == null ? "?" : version.artifactVersion()) + " " + transport.label + ", "
                + loops + " event loops, one group for accept and connections";
    }

    @Override
    public void close() throws Exception {
        try {
            if (server != null) {
                server.close().await(VeloqIoRuntimes.WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            if (group != null && !group.shutdownGracefully(0, 2, TimeUnit.SECONDS)
                    .await(VeloqIoRuntimes.WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("netty " + transport.label + " event loops did not stop");
            }
        }
    }

    /** Writes back what it reads; flushes once per read batch. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        /** The first exception any connection of this server saw (the handler is shared by them). */
        private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Usually the client resetting at the end of its run; the first one is logged in case it is not.
            if (firstFailure.compareAndSet(null, cause)) {
                System.err.println("netty echo: closing " + ctx.channel() + " after:");
                cause.printStackTrace();
            }
            ctx.close();
        }
    }
}
