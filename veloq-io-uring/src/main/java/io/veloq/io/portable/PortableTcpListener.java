package io.veloq.io.portable;

import io.veloq.io.TcpListenerIo;
import io.veloq.io.TcpStreamIo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/** A {@link TcpListenerIo} over a blocking {@link ServerSocketChannel}. Threading: as the channel. */
final class PortableTcpListener implements TcpListenerIo {

    private final ServerSocketChannel channel;

    PortableTcpListener(ServerSocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public TcpStreamIo accept() throws IOException {
        return new PortableTcpStream(channel.accept());
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
