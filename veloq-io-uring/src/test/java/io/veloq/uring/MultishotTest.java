package io.veloq.uring;

import static io.veloq.uring.ffi.PosixConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.buffer.ExhaustionPolicy;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Native;
import io.veloq.uring.ffi.SockAddrs;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Multishot operations: one submission, many completions, a clean end, no descriptor left behind. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MultishotTest {

    private static final IoUringConfig CONFIG = IoUringConfig.defaults()
            .withBufferPool(new BufferPoolConfig(4096, 0, ExhaustionPolicy.FALLBACK));

    @BeforeEach
    void requireIoUring() {
        TestSupport.assumeIoUring();
    }

    @Test
    void aMultishotPollReportsEveryEventUntilClosed() throws Exception {
        try (TestWorker worker = new TestWorker(CONFIG); IoUringDriverTest.Pipe pipe = new IoUringDriverTest.Pipe()) {
            BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
            TestWorker.Task<Integer> task = worker.spawn(() -> {
                MultishotOperation op = IoUringDriver.current()
                        .submitMultishot(sqe -> sqe.prepPollAdd(pipe.readFd, POLLIN, true), ResultKind.PLAIN);
                for (int i = 0; i < 3; i++) {
                    events.add(op.next());
                }
                assertTrue(op.isActive());
                op.close();
                assertFalse(op.isActive());
                return op.next();
            });
            for (int i = 0; i < 3; i++) {
                pipe.write("e");
                int mask = events.poll(20, TimeUnit.SECONDS);
                assertTrue((mask & POLLIN) != 0, "event " + i + ": mask " + mask);
            }
            assertEquals(-1, TestWorker.await(task.result()), "a closed operation has no more results");
            assertEquals(0, (int) worker.call(() -> IoUringDriver.current().stats().pending()));
        }
    }

    @Test
    void anInterruptedNextLeavesTheOperationArmed() throws Exception {
        try (TestWorker worker = new TestWorker(CONFIG); IoUringDriverTest.Pipe pipe = new IoUringDriverTest.Pipe()) {
            CompletableFuture<Void> waiting = new CompletableFuture<>();
            TestWorker.Task<Integer> task = worker.spawn(() -> {
                try (MultishotOperation op = IoUringDriver.current()
                        .submitMultishot(sqe -> sqe.prepPollAdd(pipe.readFd, POLLIN, true), ResultKind.PLAIN)) {
                    waiting.complete(null);
                    assertThrows(InterruptedIOException.class, op::next);
                    assertTrue(Thread.interrupted(), "the interrupt status is kept");
                    assertTrue(op.isActive());
                    pipe.write("x");
                    return op.next();
                }
            });
            waiting.get(20, TimeUnit.SECONDS);
            IoUringDriverTest.awaitPending(worker, 1);
            task.thread().interrupt();
            assertTrue((TestWorker.await(task.result()) & POLLIN) != 0);
        }
    }

    @Test
    void aMultishotAcceptTakesManyConnectionsAndClosesTheOnesNotTaken() throws Exception {
        try (TestWorker worker = new TestWorker(CONFIG)) {
            worker.call(() -> IoUringDriver.current().submitAndAwait(sqe -> sqe.prepNop())); // warm-up
            SocketChannel.open().close(); // the JDK keeps one socket of its own once NIO is initialised
            Set<String> before = TestSupport.openFds();
            int listener = listen();
            int port = localPort(listener);
            List<SocketChannel> clients = new ArrayList<>();
            BlockingQueue<Integer> accepted = new LinkedBlockingQueue<>();
            CompletableFuture<Void> closeNow = new CompletableFuture<>();
            CompletableFuture<Integer> queuedAtClose = new CompletableFuture<>();
            CompletableFuture<MultishotOperation> operation = new CompletableFuture<>();
            TestWorker.Task<Void> acceptor = worker.spawn(() -> {
                MultishotOperation op = IoUringDriver.current().submitMultishot(
                        sqe -> sqe.prepAccept(listener, 0, 0, SOCK_CLOEXEC, true), ResultKind.FD);
                operation.complete(op);
                for (int i = 0; i < 3; i++) {
                    accepted.add(op.next());
                }
                closeNow.get(20, TimeUnit.SECONDS);
                queuedAtClose.complete(op.ready());
                op.close(); // the two connections accepted but not taken are closed here
                return null;
            });
            List<Integer> taken = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                taken.add(accepted.poll(20, TimeUnit.SECONDS));
                assertTrue(taken.get(i) >= 0, "accepted fd " + taken.get(i));
            }
            for (int i = 0; i < 2; i++) {
                clients.add(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            MultishotOperation op = operation.get(20, TimeUnit.SECONDS);
            while (worker.call(op::ready) < 2) { // wait until the kernel accepted both
                assertTrue(System.nanoTime() < deadline, "the two extra connections were not accepted");
                Thread.sleep(2);
            }
            closeNow.complete(null);
            TestWorker.await(acceptor.result());
            assertEquals(2, queuedAtClose.get());
            for (int fd : taken) {
                assertEquals(0, LibC.close(fd));
            }
            LibC.close(listener);
            for (SocketChannel client : clients) {
                client.close();
            }
            assertEquals(before, TestSupport.openFds(), "taken fds closed by the test, queued ones by close()");
        }
    }

    /**
     * The leak the driver's close must plug: a multishot ACCEPT ended by the kernel (its listener
     * shut down) after it queued connections, and never closed by a task. Closing the driver
     * closes them.
     */
    @Test
    void theDriverClosesConnectionsQueuedInAnEndedOperationNobodyClosed() throws Exception {
        SocketChannel.open().close(); // the JDK keeps one socket of its own once NIO is initialised
        Set<String> before = TestSupport.openFds();
        int listener = listen();
        List<SocketChannel> clients = new ArrayList<>();
        try (TestWorker worker = new TestWorker(CONFIG)) {
            MultishotOperation op = worker.call(() -> IoUringDriver.current().submitMultishot(
                    sqe -> sqe.prepAccept(listener, 0, 0, SOCK_CLOEXEC, true), ResultKind.FD));
            for (int i = 0; i < 3; i++) {
                clients.add(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort(listener))));
            }
            awaitReady(worker, op, 3);
            try (Arena arena = Arena.ofConfined()) {
                assertEquals(0, LibC.shutdown(Native.allocateCallState(arena), listener, SHUT_RDWR));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (worker.call(op::isActive)) { // the kernel ends it; nobody closes it
                assertTrue(System.nanoTime() < deadline, "shutdown(2) did not end the multishot ACCEPT");
                Thread.sleep(2);
            }
            assertEquals(3, (int) worker.call(op::ready), "the connections are still queued, owned by the operation");
        }
        LibC.close(listener);
        for (SocketChannel client : clients) {
            client.close();
        }
        assertEquals(before, TestSupport.openFds(), "the driver's close closed the queued connections");
    }

    /** abandon() from another thread closes what is queued, and the worker closes what arrives later. */
    @Test
    void abandonFromAnotherThreadClosesQueuedAndLaterConnections() throws Exception {
        try (TestWorker worker = new TestWorker(CONFIG)) {
            worker.call(() -> IoUringDriver.current().submitAndAwait(sqe -> sqe.prepNop())); // warm-up
            SocketChannel.open().close();
            int listener = listen();
            int port = localPort(listener);
            MultishotOperation op = worker.call(() -> IoUringDriver.current().submitMultishot(
                    sqe -> sqe.prepAccept(listener, 0, 0, SOCK_CLOEXEC, true), ResultKind.FD));
            List<SocketChannel> clients = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                clients.add(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
            awaitReady(worker, op, 2);
            Set<String> withClients = TestSupport.openFds();
            op.abandon(); // the test thread: not a task of the worker
            assertEquals(withClients.size() - 2, TestSupport.openFds().size(), "the two queued connections are closed");
            Set<String> afterAbandon = TestSupport.openFds();
            assertTrue(worker.call(op::isActive), "abandon leaves the operation armed");
            for (int i = 0; i < 2; i++) {
                clients.add(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
            // Each new connection is accepted by the kernel and closed by the worker as it arrives:
            // the peer sees the close (EOF), and only the two client sockets are new.
            for (SocketChannel late : clients.subList(2, 4)) {
                late.socket().setSoTimeout(20_000);
                assertEquals(-1, late.socket().getInputStream().read(), "the late connection was closed");
            }
            Set<String> grown = TestSupport.openFds();
            grown.removeAll(afterAbandon);
            assertEquals(2, grown.size(), () -> "only the late clients' own sockets are new: " + grown);
            assertEquals(0, (int) worker.call(op::ready));
            worker.call(() -> {
                op.close();
                return null;
            });
            LibC.close(listener);
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }

    private static void awaitReady(TestWorker worker, MultishotOperation op, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (worker.call(op::ready) < count) {
            assertTrue(System.nanoTime() < deadline, "the kernel did not accept " + count + " connections");
            Thread.sleep(2);
        }
    }

    private static int listen() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cs = Native.allocateCallState(arena);
            int fd = LibC.socket(cs, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            assertTrue(fd >= 0);
            MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
            assertEquals(0, LibC.setsockopt(cs, fd, SOL_SOCKET, SO_REUSEADDR, one, 4));
            MemorySegment address = arena.allocate(SockAddrs.STORAGE_SIZE, 8);
            int length = SockAddrs.write(address, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(0, LibC.bind(cs, fd, address, length));
            assertEquals(0, LibC.listen(cs, fd, 16));
            return fd;
        }
    }

    private static int localPort(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(SockAddrs.STORAGE_SIZE, 8);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, (int) SockAddrs.STORAGE_SIZE);
            assertEquals(0, LibC.getsockname(Native.allocateCallState(arena), fd, address, length));
            InetSocketAddress local = SockAddrs.read(address);
            assertEquals(InetAddress.getLoopbackAddress(), local.getAddress());
            return local.getPort();
        }
    }
}
