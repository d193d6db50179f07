package io.veloq.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.net.UdpSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NotYetConnectedException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** UDP over loopback: addressed send/receive, connect/disconnect, truncation, IPv6. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class UdpContract extends IoContract {

    UdpContract(Backend backend) {
        super(backend);
    }

    static ByteBuffer text(String s, boolean direct) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        return b.put(bytes).flip();
    }

    static String text(ByteBuffer b) {
        b.flip();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    void pingPong(InetAddress loopback) throws Exception {
        inTask(() -> {
            try (UdpSocket a = UdpSocket.bind(new InetSocketAddress(loopback, 0));
                 UdpSocket b = UdpSocket.bind(new InetSocketAddress(loopback, 0))) {
                assertEquals(4, a.send(text("ping", false), b.localAddress()));
                ByteBuffer in = ByteBuffer.allocate(64);
                InetSocketAddress from = b.receive(in);
                assertEquals(a.localAddress(), from, "the sender's address comes with the datagram");
                assertEquals("ping", text(in));
                assertEquals(4, b.send(text("pong", true), from));
                ByteBuffer back = ByteBuffer.allocateDirect(64);
                assertEquals(b.localAddress(), a.receive(back));
                assertEquals("pong", text(back));
            }
        });
    }

    @Test
    void sendAndReceiveWithAddressesOverIpv4() throws Exception {
        pingPong(InetAddress.getLoopbackAddress());
    }

    @Test
    void sendAndReceiveWithAddressesOverIpv6() throws Exception {
        Assumptions.assumeTrue(Ipv6.loopbackUsable(), "this machine has no IPv6 loopback");
        pingPong(InetAddress.getByName("::1"));
    }

    @Test
    void connectedSocketsUseReadAndWrite() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        inTask(() -> {
            try (UdpSocket a = UdpSocket.bind(any); UdpSocket b = UdpSocket.bind(any)) {
                assertThrows(NotYetConnectedException.class, () -> a.write(text("x", false)));
                assertNull(a.remoteAddress());
                a.connect(b.localAddress());
                b.connect(a.localAddress());
                assertTrue(a.isConnected());
                assertEquals(b.localAddress(), a.remoteAddress());
                assertEquals(5, a.write(text("hello", false)));
                ByteBuffer in = ByteBuffer.allocate(16);
                assertEquals(5, b.read(in));
                assertEquals("hello", text(in));
                a.disconnect();
                assertNull(a.remoteAddress());
                assertEquals(3, a.send(text("bye", true), b.localAddress()));
                ByteBuffer last = ByteBuffer.allocate(16);
                assertEquals(a.localAddress(), b.receive(last));
                assertEquals("bye", text(last));
            }
        });
    }

    @Test
    void aLongDatagramIsTruncatedAndTheNextOneIsIntact() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        inTask(() -> {
            try (UdpSocket a = UdpSocket.bind(any); UdpSocket b = UdpSocket.bind(any)) {
                a.send(text("0123456789", false), b.localAddress());
                a.send(text("next", false), b.localAddress());
                ByteBuffer small = ByteBuffer.allocate(4);
                b.receive(small);
                assertEquals("0123", text(small));
                ByteBuffer again = ByteBuffer.allocate(16);
                b.receive(again);
                assertEquals("next", text(again));
                assertThrows(IllegalArgumentException.class, () -> b.receive(ByteBuffer.allocate(0)));
            }
        });
    }
}
