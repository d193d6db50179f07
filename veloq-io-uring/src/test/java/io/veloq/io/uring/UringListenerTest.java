package io.veloq.io.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.core.RuntimeBuilder;
import io.veloq.io.TcpStreamIo;
import io.veloq.io.net.ListenOptions;
import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import io.veloq.uring.IoUring;
import io.veloq.uring.IoUringDriverFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The io_uring listener's two accept paths — multishot ACCEPT kept armed per worker, and one
 * ACCEPT per call — and what close does to an armed multishot operation nobody waits on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringListenerTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static Runtime runtime() {
        Assumptions.assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityReason().orElse("?"));
        RuntimeBuilder builder = Runtime.builder().workers(2).pinning(false).driverFactory(new IoUringDriverFactory());
        return builder.build();
    }

    /** Accepts {@code count} connections made by JDK clients (from outside the runtime) on either path. */
    private static void acceptMany(boolean multishot, int count) throws Exception {
        String old = System.getProperty(UringTcpListener.MULTISHOT_PROPERTY);
        System.setProperty(UringTcpListener.MULTISHOT_PROPERTY, String.valueOf(multishot));
        try (Runtime runtime = runtime()) {
            UringTcpListener listener = runtime.spawnOn(0,
                    () -> (UringTcpListener) UringBackend.instance().bindTcp(ANY, ListenOptions.defaults())).join();
            assertEquals(multishot, listener.usesMultishot());
            JoinHandle<Integer> acceptor = runtime.spawnOn(0, () -> {
                int accepted = 0;
                for (int i = 0; i < count; i++) {
                    TcpStreamIo s = listener.accept();
                    ByteBuffer one = ByteBuffer.allocate(1);
                    assertEquals(1, s.read(one));
                    s.close();
                    accepted++;
                }
                return accepted;
            });
            InetSocketAddress address = runtime.spawnOn(1, listener::localAddress).join();
            List<SocketChannel> clients = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                SocketChannel c = SocketChannel.open(address);
                c.write(ByteBuffer.wrap(new byte[] {1}));
                clients.add(c);
            }
            assertEquals(count, acceptor.join());
            assertEquals(multishot, listener.usesMultishot(), "the path did not change on its own");
            for (SocketChannel c : clients) {
                c.close();
            }
            listener.close();
        } finally {
            if (old == null) {
                System.clearProperty(UringTcpListener.MULTISHOT_PROPERTY);
            } else {
                System.setProperty(UringTcpListener.MULTISHOT_PROPERTY, old);
            }
        }
    }

    @Test
    void multishotAcceptServesManyConnectionsFromOneSubmission() throws Exception {
        acceptMany(true, 50);
    }

    @Test
    void singleShotAcceptWhenMultishotIsTurnedOff() throws Exception {
        acceptMany(false, 50);
    }

    @Test
    void closeEndsArmedOperationsOnEveryWorkerAndFreesThePort() throws Exception {
        try (Runtime runtime = runtime()) {
            UringTcpListener listener = runtime.spawnOn(0,
                    () -> (UringTcpListener) UringBackend.instance().bindTcp(ANY, ListenOptions.defaults())).join();
            InetSocketAddress address = runtime.spawnOn(0, listener::localAddress).join();
            // Worker 1 arms a multishot ACCEPT, takes one connection and stops accepting: the
            // operation stays armed with nobody waiting on it.
            JoinHandle<Void> once = runtime.spawnOn(1, () -> {
                listener.accept().close();
                return null;
            });
            try (SocketChannel c = SocketChannel.open(address)) {
                once.join();
            }
            // Worker 0 waits in accept while another thread closes the listener.
            CompletableFuture<Void> waiting = new CompletableFuture<>();
            JoinHandle<TcpStreamIo> blocked = runtime.spawnOn(0, () -> {
                waiting.complete(null);
                return listener.accept();
            });
            waiting.join();
            Thread.sleep(50);
            listener.close(); // from the test thread
            Throwable failure = assertThrows(TaskFailedException.class, blocked::join).getCause();
            assertInstanceOf(ClosedChannelException.class, failure);
            assertFalse(listener.isOpen());
            // The kernel let go of the socket on both rings: the port can be bound again, without SO_REUSEPORT.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean rebound = false;
            while (!rebound && System.nanoTime() < deadline) {
                try (java.nio.channels.ServerSocketChannel again = java.nio.channels.ServerSocketChannel.open()) {
                    again.bind(address);
                    rebound = true;
                } catch (java.net.BindException stillHeld) {
                    Thread.sleep(10);
                }
            }
            assertTrue(rebound, "the listening socket is still held after close");
        }
    }
}
