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
import io.veloq.uring.TestSupport;
import io.veloq.uring.UncaughtReports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The io_uring listener's two accept paths — multishot ACCEPT kept armed per worker, and one
 * ACCEPT per call — and what close does to an armed multishot operation nobody waits on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringListenerTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** NIO opens a descriptor of its own the first time it is used; not a leak of ours. */
    @BeforeAll
    static void initialiseNio() throws Exception {
        SocketChannel.open().close();
    }

    /** What this test's runtimes report to their uncaught-exception handler. */
    private final UncaughtReports reports = new UncaughtReports();

    @AfterEach
    void onlyJoinedFailuresWereReported() {
        reports.assertOnlyJoinedFailures();
    }

    private Runtime runtime() {
        Assumptions.assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityReason().orElse("?"));
        RuntimeBuilder builder = Runtime.builder().workers(2).pinning(false).driverFactory(new IoUringDriverFactory())
                .uncaughtExceptionHandler(reports);
        return builder.build();
    }

    /** Accepts {@code count} connections made by JDK clients (from outside the runtime) on either path. */
    private void acceptMany(boolean multishot, int count) throws Exception {
        String old = System.getProperty(UringTcpListener.MULTISHOT_PROPERTY);
        System.setProperty(UringTcpListener.MULTISHOT_PROPERTY, String.valueOf(multishot));
        try (Runtime runtime = runtime()) {
            UringTcpListener listener = bind(runtime);
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
            UringTcpListener listener = bind(runtime);
            // Worker 1 arms a multishot ACCEPT, takes one connection and stops accepting: the
            // operation stays armed with nobody waiting on it.
            InetSocketAddress address = armOn(runtime, listener, 1);
            // Worker 0 waits in accept while another thread closes the listener.
            CompletableFuture<Thread> waiting = new CompletableFuture<>();
            JoinHandle<TcpStreamIo> blocked = runtime.spawnOn(0, () -> {
                waiting.complete(Thread.currentThread());
                return listener.accept();
            });
            awaitParked(waiting.join());
            listener.close(); // from the test thread
            Throwable failure = assertThrows(TaskFailedException.class, blocked::join).getCause();
            reports.joined(failure); // if it failed before the join, the runtime reported it too
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

    @Test
    void connectionsTheHomeWorkersArmedAcceptTookReachAcceptsOnOtherWorkers() throws Exception {
        try (Runtime runtime = runtime()) {
            UringTcpListener listener = bind(runtime);
            InetSocketAddress address = runtime.spawnOn(0, listener::localAddress).join();
            Set<String> before = TestSupport.openFds();
            for (int round = 0; round < 10; round++) {
                // The client connects first: the only armed ACCEPT (worker 0's, after round 0) takes the
                // connection before any task asks; the accept comes from alternating workers.
                try (SocketChannel client = SocketChannel.open(address)) {
                    client.write(ByteBuffer.wrap(new byte[] {(byte) round}));
                    int byteRead = runtime.spawnOn(round % 2, () -> {
                        TcpStreamIo s = listener.accept();
                        try {
                            ByteBuffer one = ByteBuffer.allocate(1);
                            assertEquals(1, s.read(one));
                            return (int) one.get(0);
                        } finally {
                            s.close();
                        }
                    }).get(10, TimeUnit.SECONDS);
                    assertEquals(round, byteRead, "round " + round);
                }
                assertTrue(listener.usesMultishot());
            }
            listener.close();
            awaitFds(() -> "descriptors left after the rounds: " + TestSupport.openFds() + ", before: " + before,
                    before.size() - 1);
        }
    }

    @Test
    void interruptingAnAcceptFromAnotherWorkerClosesTheListenerAndLeaksNothing() throws Exception {
        Set<String> before = TestSupport.openFds();
        try (Runtime runtime = runtime()) {
            UringTcpListener listener = bind(runtime);
            armOn(runtime, listener, 0); // worker 0 becomes home, its ACCEPT stays armed
            CompletableFuture<Void> accepting = new CompletableFuture<>();
            JoinHandle<TcpStreamIo> away = runtime.spawnOn(1, () -> {
                accepting.complete(null);
                return listener.accept();
            });
            accepting.join();
            assertTrue(away.cancel(true));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (listener.isOpen() && System.nanoTime() - deadline < 0) {
                Thread.sleep(1); // the interrupted task closes it on worker 1
            }
            assertFalse(listener.isOpen(), "an interrupted accept closes the listener, as the JDK's does");
        }
        awaitFds(() -> "descriptors left: " + TestSupport.openFds() + ", before: " + before, before.size());
    }

    /** A listener bound on worker 0 (the accepts decide its home worker, see UringTcpListener). */
    private static UringTcpListener bind(Runtime runtime) {
        return runtime.spawnOn(0,
                () -> (UringTcpListener) UringBackend.instance().bindTcp(ANY, ListenOptions.defaults())).join();
    }

    /**
     * A task of {@code worker} accepts one connection of a JDK client and closes it: the multishot
     * ACCEPT it armed stays armed with nobody waiting. Returns the listener's address.
     */
    private static InetSocketAddress armOn(Runtime runtime, UringTcpListener listener, int worker) throws Exception {
        InetSocketAddress address = runtime.spawnOn(0, listener::localAddress).join();
        JoinHandle<Void> once = runtime.spawnOn(worker, () -> {
            listener.accept().close();
            return null;
        });
        try (SocketChannel first = SocketChannel.open(address)) {
            once.join();
        }
        return address;
    }

    /** Waits (bounded) until {@code task} is parked: in an accept, or waiting for the home worker's. */
    private static void awaitParked(Thread task) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (LockSupport.getBlocker(task) == null) {
            assertTrue(System.nanoTime() - deadline < 0, () -> task + " never parked");
            Thread.sleep(1);
        }
    }

    // ---- connections the kernel accepted into an armed multishot ACCEPT that no task claimed ----

    private static final int UNCLAIMED = 5;

    /** A listener with a multishot ACCEPT armed on worker 1 and nobody accepting, and its clients. */
    private record Armed(UringTcpListener listener, List<SocketChannel> clients, Set<String> fdsBeforeClients) {}

    /**
     * Worker 1 arms a multishot ACCEPT (taking one connection), then no task accepts: the next
     * {@link #UNCLAIMED} connections are accepted by the kernel into the armed operation and queued
     * there, each one a descriptor of this process, waited for in /proc/self/fd.
     */
    private Armed armAndConnectUnclaimed(Runtime runtime) throws Exception {
        UringTcpListener listener = bind(runtime);
        assertTrue(listener.usesMultishot(), "this kernel has multishot ACCEPT (it has IORING_OP_SOCKET)");
        InetSocketAddress address = armOn(runtime, listener, 1);
        Set<String> before = TestSupport.openFds();
        List<SocketChannel> clients = new ArrayList<>();
        for (int i = 0; i < UNCLAIMED; i++) {
            clients.add(SocketChannel.open(address));
        }
        // each client is one descriptor, and each connection the kernel accepted for us is another
        awaitFds(() -> "the kernel did not accept the " + UNCLAIMED + " connections into the armed operation",
                before.size() + 2 * UNCLAIMED);
        return new Armed(listener, clients, before);
    }

    /** Waits (bounded) until exactly {@code count} descriptors are open. */
    private static void awaitFds(Supplier<String> failure, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Set<String> now = TestSupport.openFds();
        while (now.size() != count) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(failure.get() + ": " + now.size() + " descriptors open, expected "
                        + count + ": " + now);
            }
            Thread.sleep(5);
            now = TestSupport.openFds();
        }
    }

    private static void closeAll(List<SocketChannel> clients) throws Exception {
        for (SocketChannel c : clients) {
            c.close();
        }
    }

    @Test
    void closingTheListenerClosesConnectionsNobodyAccepted() throws Exception {
        Set<String> beforeRuntime = TestSupport.openFds();
        try (Runtime runtime = runtime()) {
            Armed armed = armAndConnectUnclaimed(runtime);
            armed.listener().close(); // from the test thread: a cancel task per worker
            awaitFds(() -> "closing the listener left accepted connections open",
                    armed.fdsBeforeClients().size() + UNCLAIMED - 1); // the clients; the listener itself is gone
            closeAll(armed.clients());
        }
        assertEquals(beforeRuntime, TestSupport.openFds());
    }

    /** The case the cancel tasks cannot cover: close() after shutdown(), while a task still runs. */
    @Test
    void closingTheListenerWhileTheRuntimeRefusesTasksClosesConnectionsNobodyAccepted() throws Exception {
        Set<String> beforeRuntime = TestSupport.openFds();
        try (Runtime runtime = runtime()) {
            Armed armed = armAndConnectUnclaimed(runtime);
            CompletableFuture<Void> release = new CompletableFuture<>();
            JoinHandle<Void> keeper = runtime.spawnOn(1, () -> {
                release.get(30, TimeUnit.SECONDS); // keeps worker 1 (and its driver) running after shutdown()
                return null;
            });
            runtime.shutdown();
            assertThrows(RejectedExecutionException.class, () -> runtime.spawnOn(1, () -> null),
                    "the runtime refuses tasks from outside, so close() cannot send cancel tasks");
            armed.listener().close();
            awaitFds(() -> "closing the listener while the runtime refuses tasks left accepted connections open",
                    armed.fdsBeforeClients().size() + UNCLAIMED - 1);
            assertFalse(runtime.isTerminated(), "the drivers are still open: the listener's close did it");
            release.complete(null);
            keeper.join();
            assertTrue(runtime.awaitTermination(20, TimeUnit.SECONDS));
            closeAll(armed.clients());
        }
        assertEquals(beforeRuntime, TestSupport.openFds());
    }

    /** A listener nobody closed before the runtime stopped: the driver's close closes its queued connections. */
    @Test
    void driverShutdownClosesConnectionsNobodyAccepted() throws Exception {
        Set<String> beforeRuntime = TestSupport.openFds();
        Armed armed;
        try (Runtime runtime = runtime()) {
            armed = armAndConnectUnclaimed(runtime);
        }
        // runtime, rings and accepted connections gone; the clients and the (unclosed) listener remain
        Set<String> left = TestSupport.openFds();
        left.removeAll(beforeRuntime);
        assertEquals(UNCLAIMED + 1, left.size(), () -> "expected the clients and the listener only: " + left);
        assertTrue(armed.listener().isOpen());
        armed.listener().close(); // no runtime any more: close(2) from this thread
        assertFalse(armed.listener().isOpen());
        closeAll(armed.clients());
        assertEquals(beforeRuntime, TestSupport.openFds());
    }
}
