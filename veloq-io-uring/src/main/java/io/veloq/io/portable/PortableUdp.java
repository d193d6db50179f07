package io.veloq.io.portable;

import io.veloq.io.UdpIo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** A {@link UdpIo} over a blocking {@link DatagramChannel}. Threading: as the channel. */
final class PortableUdp implements UdpIo {

    private final DatagramChannel channel;

    PortableUdp(DatagramChannel channel) {
        this.channel = channel;
    }

    @Override
    public int send(ByteBuffer src, InetSocketAddress target) throws IOException {
        return target == null ? channel.write(src) : channel.send(src, target);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        return (InetSocketAddress) channel.receive(dst);
    }

    @Override
    public void connect(InetSocketAddress remote) throws IOException {
        channel.connect(remote);
    }

    @Override
    public void disconnect() throws IOException {
        channel.disconnect();
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() throws IOException {
        return (InetSocketAddress) channel.getRemoteAddress();
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
