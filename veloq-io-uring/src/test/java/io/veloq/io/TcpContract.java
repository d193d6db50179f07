package io.veloq.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.net.ListenOptions;
import io.veloq.io.net.TcpListener;
import io.veloq.io.net.TcpStream;
import io.veloq.join.JoinHandle;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TCP over loopback: echo, half-close, options, addresses, IPv4 and IPv6, refusal, reset, reuse. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class TcpContract extends IoContract {

    static final InetSocketAddress LOOPBACK4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    TcpContract(Backend backend) {
        super(backend);
    }

    /** Accepts one connection and echoes until end of stream, then half-closes and closes. */
    JoinHandle<Long> echoOnce(TcpListener listener) {
        return runtime.spawn(() -> {
            long echoed = 0;
            try (TcpStream s = listener.accept()) {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                while (s.read(buffer) >= 0) {
                    buffer.flip();
                    echoed += buffer.remaining();
                    s.writeAll(buffer);
                    buffer.clear();
                }
                s.shutdownOutput();
            }
            return echoed;
        });
    }

    void echoRoundTrip(InetSocketAddress bindTo) throws Exception {
        byte[] message = FileContract.random(100_000, 3);
        inTask(() -> {
            try (TcpListener listener = TcpListener.bind(bindTo)) {
                InetSocketAddress server = listener.localAddress();
                assertEquals(bindTo.getAddress(), server.getAddress());
                assertTrue(server.getPort() > 0);
                JoinHandle<Long> echo = echoOnce(listener);
                try (TcpStream client = TcpStream.connect(server)) {
                    assertEquals(server, client.remoteAddress());
                    assertEquals(bindTo.getAddress(), client.localAddress().getAddress());
                    JoinHandle<Void> writer = runtime.spawn(() -> {
                        client.writeAll(message);
                        client.shutdownOutput();
                        return null;
                    });
                    byte[] back = new byte[message.length];
                    client.readFully(back, 0, back.length);
                    assertArrayEquals(message, back);
                    assertEquals(-1, client.read(ByteBuffer.allocate(1)), "end of stream after the peer's FIN");
                    writer.join();
                }
                assertEquals(message.length, echo.join());
            }
        });
    }

    @Test
    void echoOverIpv4() throws Exception {
        echoRoundTrip(LOOPBACK4);
    }

    @Test
    void echoOverIpv6() throws Exception {
        InetAddress ipv6 = InetAddress.getByName("::1");
        org.junit.jupiter.api.Assumptions.assumeTrue(Ipv6.loopbackUsable(), "this machine has no IPv6 loopback");
        echoRoundTrip(new InetSocketAddress(ipv6, 0));
    }

    @Test
    void halfCloseLetsTheOtherDirectionContinue() throws Exception {
        inTask(() -> {
            try (TcpListener listener = TcpListener.bind(LOOPBACK4)) {
                JoinHandle<String> server = runtime.spawn(() -> {
                    try (TcpStream s = listener.accept()) {
                        ByteBuffer in = ByteBuffer.allocate(64);
                        while (s.read(in) >= 0) {
                            // read the whole request, up to the client's FIN
                        }
                        s.writeAll(("got " + in.position()).getBytes());
                        return "served";
                    }
                });
                try (TcpStream client = TcpStream.connect(listener.localAddress())) {
                    client.writeAll("hello".getBytes());
                    client.shutdownOutput();
                    byte[] reply = new byte[5];
                    client.readFully(reply, 0, 5);
                    assertEquals("got 5", new String(reply));
                    assertEquals(-1, client.read(new byte[1], 0, 1));
                    assertThrows(EOFException.class, () -> client.readFully(new byte[1], 0, 1));
                }
                assertEquals("served", server.join());
            }
        });
    }

    @Test
    void socketOptionsRoundTrip() throws Exception {
        inTask(() -> {
            try (TcpListener listener = TcpListener.bind(LOOPBACK4)) {
                JoinHandle<Long> echo = echoOnce(listener);
                try (TcpStream client = TcpStream.connect(listener.localAddress(), java.time.Duration.ofSeconds(5))) {
                    client.setNoDelay(true);
                    assertTrue(client.noDelay());
                    client.setNoDelay(false);
                    assertFalse(client.noDelay());
                    client.setKeepAlive(true);
                    assertTrue(client.keepAlive());
                    client.setSendBufferSize(64 * 1024);
                    assertTrue(client.sendBufferSize() >= 64 * 1024, "Linux doubles SO_SNDBUF");
                    client.setReceiveBufferSize(32 * 1024);
                    assertTrue(client.receiveBufferSize() >= 32 * 1024);
                    client.shutdownOutput();
                }
                assertEquals(0, echo.join());
            }
        });
    }

    @Test
    void refusedConnectionNamesTheAddress() throws Exception {
        inTask(() -> {
            InetSocketAddress closed;
            try (TcpListener listener = TcpListener.bind(LOOPBACK4)) {
                closed = listener.localAddress();
            }
            ConnectException refused = assertThrows(ConnectException.class, () -> TcpStream.connect(closed));
            assertTrue(refused.getMessage().contains(String.valueOf(closed.getPort())), refused.getMessage());
        });
    }

    @Test
    void connectTimesOutNamingTheAddress() throws Exception {
        inTask(() -> {
            // A listener that never accepts, with a one-entry backlog: once it is full the kernel
            // drops further SYNs, so a connect waits until its own timeout.
            try (TcpListener full = TcpListener.bind(LOOPBACK4, ListenOptions.defaults().withBacklog(1))) {
                InetSocketAddress address = full.localAddress();
                java.util.List<TcpStream> queued = new java.util.ArrayList<>();
                java.net.SocketTimeoutException timedOut = null;
                try {
                    for (int i = 0; i < 8 && timedOut == null; i++) {
                        try {
                            queued.add(TcpStream.connect(address, java.time.Duration.ofMillis(200)));
                        } catch (java.net.SocketTimeoutException e) {
                            timedOut = e;
                        }
                    }
                } finally {
                    for (TcpStream s : queued) {
                        s.close();
                    }
                }
                org.junit.jupiter.api.Assertions.assertNotNull(timedOut, "no connect timed out against a full backlog");
                assertTrue(timedOut.getMessage().contains(String.valueOf(address.getPort())), timedOut.getMessage());
            }
        });
    }

    @Test
    void connectWithAnEffectivelyUnboundedTimeoutConnects() throws Exception {
        inTask(() -> {
            // Durations past what a nanoTime deadline can hold saturate; the deadline must not wrap
            // into the past (or into a negative timespec the kernel refuses).
            try (TcpListener listener = TcpListener.bind(LOOPBACK4)) {
                InetSocketAddress address = listener.localAddress();
                for (java.time.Duration huge : new java.time.Duration[] {
                        java.time.Duration.ofDays(365L * 1000), java.time.temporal.ChronoUnit.FOREVER.getDuration(),
                        java.time.Duration.ofNanos(Long.MAX_VALUE - System.nanoTime() + 1)}) {
                    JoinHandle<Long> echo = echoOnce(listener);
                    try (TcpStream client = TcpStream.connect(address, huge)) {
                        client.writeAll(new byte[] {1, 2, 3});
                        client.shutdownOutput();
                        byte[] back = new byte[3];
                        client.readFully(back, 0, 3);
                        assertArrayEquals(new byte[] {1, 2, 3}, back, "with timeout " + huge);
                    }
                    assertEquals(3L, echo.join());
                }
            }
        });
    }

    @Test
    void peerResetIsConnectionReset() throws Exception {
        inTask(() -> {
            // The peer is a JDK socket closed with SO_LINGER 0: the kernel always answers with RST.
            try (java.nio.channels.ServerSocketChannel peerListener = java.nio.channels.ServerSocketChannel.open()) {
                peerListener.bind(LOOPBACK4);
                try (TcpStream client = TcpStream.connect((InetSocketAddress) peerListener.getLocalAddress())) {
                    try (java.nio.channels.SocketChannel peer = peerListener.accept()) {
                        peer.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
                    }
                    SocketException reset = assertThrows(SocketException.class, () -> client.read(new byte[8], 0, 8));
                    assertEquals("Connection reset", reset.getMessage());
                    assertThrows(IOException.class, () -> {
                        for (int i = 0; i < 100; i++) {
                            client.writeAll(new byte[1024]); // the reset socket refuses writes
                        }
                    });
                }
            }
        });
    }

    @Test
    void reusePortAllowsOneListenerPerWorker() throws Exception {
        inTask(() -> {
            ListenOptions shared = ListenOptions.defaults().withReusePort(true);
            try (TcpListener first = TcpListener.bind(LOOPBACK4, shared)) {
                InetSocketAddress address = first.localAddress();
                try (TcpListener second = TcpListener.bind(address, shared)) {
                    assertEquals(address, second.localAddress());
                }
                BindException inUse = assertThrows(BindException.class, () -> TcpListener.bind(address));
                assertTrue(inUse.getMessage().contains(String.valueOf(address.getPort())), inUse.getMessage());
            }
        });
    }

    @Test
    void tasksOnEveryWorkerAcceptFromTheirOwnListener() throws Exception {
        inTask(() -> {
            ListenOptions shared = ListenOptions.defaults().withReusePort(true);
            InetSocketAddress address;
            try (TcpListener probe = TcpListener.bind(LOOPBACK4, shared)) {
                address = probe.localAddress();
                java.util.List<JoinHandle<Long>> servers = new java.util.ArrayList<>();
                java.util.List<TcpListener> listeners = new java.util.ArrayList<>();
                for (int w = 0; w < runtime.workerCount(); w++) {
                    listeners.add(runtime.spawnOn(w, () -> TcpListener.bind(address, shared)).join());
                }
                probe.close(); // from here on only the per-worker listeners take connections
                for (int w = 0; w < runtime.workerCount(); w++) {
                    TcpListener mine = listeners.get(w);
                    servers.add(runtime.spawnOn(w, () -> {
                        long served = 0;
                        try {
                            while (true) {
                                try (TcpStream s = mine.accept()) {
                                    s.writeAll(new byte[] {1});
                                    served++;
                                }
                            }
                        } catch (java.nio.channels.ClosedChannelException closed) {
                            return served;
                        }
                    }));
                }
                for (int i = 0; i < 40; i++) {
                    try (TcpStream c = TcpStream.connect(address)) {
                        byte[] one = new byte[1];
                        c.readFully(one, 0, 1);
                    }
                }
                long total = 0;
                for (int w = 0; w < listeners.size(); w++) {
                    listeners.get(w).close();
                    total += servers.get(w).join();
                }
                assertEquals(40, total);
            }
        });
    }
}
