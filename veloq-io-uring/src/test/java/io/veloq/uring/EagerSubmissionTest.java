package io.veloq.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veloq.core.Runtime;
import io.veloq.io.net.TcpListener;
import io.veloq.io.net.TcpStream;
import io.veloq.join.JoinHandle;
import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.buffer.ExhaustionPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eager submission ({@link IoUringDriver#submitNowAndAwaitRaw}, step 3a of the protocol), as TCP
 * sends use it: a send that fits the socket buffer completes inside the enter and its task goes on
 * without parking; a send that must wait parks and completes when the peer drains; completions of
 * other tasks reaped by the eager enter reach their tasks. Everything on one worker, so the reader,
 * the writer and the driver's poll interleave on one carrier.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EagerSubmissionTest {

    private static final IoUringDriverFactory FACTORY = new IoUringDriverFactory(IoUringConfig.defaults()
            .withBufferPool(new BufferPoolConfig(4096, 8, ExhaustionPolicy.FALLBACK)).withEagerSends(true));

    private final UncaughtReports reports = new UncaughtReports();

    @BeforeEach
    void requireIoUring() {
        TestSupport.assumeIoUring();
    }

    @AfterEach
    void nothingWasReported() {
        reports.assertOnlyJoinedFailures();
    }

    private Runtime runtime() {
        return Runtime.builder().workers(1).pinning(false).driverFactory(FACTORY).uncaughtExceptionHandler(reports)
                .build();
    }

    @Test
    void smallSendsCompleteInlineAndEchoInOrder() throws Exception {
        int messages = 200;
        try (Runtime runtime = runtime()) {
            long inline = runtime.spawnOn(0, () -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    JoinHandle<TcpStream> accepted = runtime.spawnLocal(listener::accept);
                    try (TcpStream client = TcpStream.connect(listener.localAddress());
                         TcpStream server = accepted.join()) {
                        JoinHandle<Void> echo = runtime.spawnLocal(() -> {
                            ByteBuffer b = ByteBuffer.allocateDirect(64);
                            for (int i = 0; i < messages; i++) {
                                b.clear();
                                server.readFully(b);
                                b.flip();
                                server.writeAll(b);
                            }
                            return null;
                        });
                        IoUringDriver driver = IoUringDriver.current();
                        long before = driver.stats().eagerCompletedInline();
                        ByteBuffer out = ByteBuffer.allocateDirect(64);
                        ByteBuffer in = ByteBuffer.allocateDirect(64);
                        for (int i = 0; i < messages; i++) {
                            out.clear();
                            while (out.hasRemaining()) {
                                out.put((byte) (i + out.position()));
                            }
                            out.flip();
                            client.writeAll(out);
                            in.clear();
                            client.readFully(in);
                            in.flip();
                            for (int k = 0; k < 64; k++) {
                                assertEquals((byte) (i + k), in.get(k), "message " + i + " byte " + k);
                            }
                        }
                        echo.join();
                        return driver.stats().eagerCompletedInline() - before;
                    }
                }
            }).get(30, TimeUnit.SECONDS);
            // 200 sends by the client and 200 echoes, each of 64 B into an almost empty socket buffer
            assertEquals(2L * messages, inline, "every small send completed inside its enter");
        }
    }

    @Test
    void sendsThatMustWaitParkAndCompleteWhenThePeerDrains() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(11).nextBytes(data);
        try (Runtime runtime = runtime()) {
            byte[] received = runtime.spawnOn(0, () -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    JoinHandle<TcpStream> accepted = runtime.spawnLocal(listener::accept);
                    try (TcpStream client = TcpStream.connect(listener.localAddress());
                         TcpStream server = accepted.join()) {
                        client.setSendBufferSize(16 * 1024);
                        server.setReceiveBufferSize(16 * 1024);
                        // Spawned first, so it runs first: 4 MiB cannot fit, its send parks for room.
                        JoinHandle<Void> writer = runtime.spawnLocal(() -> {
                            client.writeAll(ByteBuffer.allocateDirect(data.length).put(data).flip());
                            client.shutdownOutput();
                            return null;
                        });
                        byte[] got = new byte[data.length];
                        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
                        int at = 0;
                        while (true) {
                            in.clear();
                            int n = server.read(in);
                            if (n < 0) {
                                break;
                            }
                            in.flip().get(got, at, n);
                            at += n;
                        }
                        writer.join();
                        assertEquals(data.length, at, "bytes received");
                        return got;
                    }
                }
            }).get(30, TimeUnit.SECONDS);
            assertArrayEquals(data, received, "every byte, in order");
        }
    }

    @Test
    void eagerEnterDeliversOtherTasksCompletions() throws Exception {
        int tasks = 50;
        try (Runtime runtime = runtime()) {
            int total = runtime.spawnOn(0, () -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    JoinHandle<TcpStream> accepted = runtime.spawnLocal(listener::accept);
                    try (TcpStream client = TcpStream.connect(listener.localAddress());
                         TcpStream server = accepted.join()) {
                        // Batched NOPs queued by many tasks; the eager sends below enter with them queued.
                        @SuppressWarnings("unchecked")
                        JoinHandle<Integer>[] nops = new JoinHandle[tasks];
                        for (int t = 0; t < tasks; t++) {
                            nops[t] = runtime.spawnLocal(() -> {
                                int sum = 0;
                                for (int i = 0; i < 20; i++) {
                                    sum += IoUringDriver.current().submitAndAwait(sqe -> sqe.prepNop()) + 1;
                                }
                                return sum;
                            });
                        }
                        JoinHandle<Void> sender = runtime.spawnLocal(() -> {
                            ByteBuffer one = ByteBuffer.allocateDirect(1);
                            for (int i = 0; i < tasks * 20; i++) {
                                one.clear().put((byte) i).flip();
                                client.writeAll(one);
                                Thread.yield(); // let the NOP tasks queue their next entries
                            }
                            client.shutdownOutput();
                            return null;
                        });
                        ByteBuffer in = ByteBuffer.allocateDirect(4096);
                        int bytes = 0;
                        while (true) {
                            in.clear();
                            int n = server.read(in);
                            if (n < 0) {
                                break;
                            }
                            bytes += n;
                        }
                        sender.join();
                        int sum = 0;
                        for (JoinHandle<Integer> nop : nops) {
                            sum += nop.join();
                        }
                        assertEquals(tasks * 20, bytes, "bytes received");
                        return sum;
                    }
                }
            }).get(30, TimeUnit.SECONDS);
            assertEquals(tasks * 20, total, "every NOP completed once");
        }
    }
}
