package io.veloq.io.uring;

import static io.veloq.uring.ffi.PosixConstants.SHUT_RDWR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.io.TcpStreamIo;
import io.veloq.io.net.ListenOptions;
import io.veloq.join.JoinHandle;
import io.veloq.uring.IoUring;
import io.veloq.uring.IoUringDriverFactory;
import io.veloq.uring.TestSupport;
import io.veloq.uring.UncaughtReports;
import io.veloq.uring.ffi.Errno;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a multishot ACCEPT that ends with an error is handled: only EINVAL before the first
 * connection (the kernel refusing the multishot flag) turns the listener to single-shot ACCEPTs;
 * any other errno — here EMFILE, injected by lowering RLIMIT_NOFILE — is thrown from that one
 * accept as the JDK would throw it, and the next accept arms a new multishot ACCEPT.
 *
 * <p>io_uring only: the listener under test is the io_uring backend's, and the tests skip (saying
 * why) where io_uring or multishot ACCEPT is missing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultishotAcceptErrorTest {

    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /**
     * NIO opens a descriptor of its own the first time it is used, and the JDK its virtual-thread
     * pollers (epoll descriptors) the first time a runtime runs: not leaks of ours.
     */
    @BeforeAll
    static void initialiseNioAndPollers() throws Exception {
        SocketChannel.open().close();
        if (IoUring.isAvailable()) {
            try (Runtime runtime = Runtime.builder().workers(1).pinning(false)
                    .driverFactory(new IoUringDriverFactory()).build()) {
                runtime.spawnOn(0, () -> null).join();
            }
        }
    }

    private final UncaughtReports reports = new UncaughtReports();

    @AfterEach
    void onlyJoinedFailuresWereReported() {
        reports.assertOnlyJoinedFailures();
    }

    private Runtime runtime() {
        TestSupport.assumeIoUring();
        return Runtime.builder().workers(1).pinning(false).driverFactory(new IoUringDriverFactory())
                .uncaughtExceptionHandler(reports).threadNamePrefix("vq-accept-error-").build();
    }

    /** A listener on worker 0 of {@code runtime}, skipping the test where the kernel lacks multishot ACCEPT. */
    private static UringTcpListener multishotListener(Runtime runtime) {
        UringTcpListener listener = runtime.spawnOn(0,
                () -> (UringTcpListener) UringBackend.instance().bindTcp(ANY, ListenOptions.defaults())).join();
        Assumptions.assumeTrue(listener.usesMultishot(), "this kernel has no multishot ACCEPT (before 5.19)");
        return listener;
    }

    /** One accept on worker 0: what it threw, or null once it accepted (and closed) a connection. */
    private static JoinHandle<Throwable> acceptOnce(Runtime runtime, UringTcpListener listener) {
        return runtime.spawnOn(0, () -> {
            try {
                listener.accept().close();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
    }

    /**
     * Loads, before descriptors run out, what the accept under test runs: the multishot path (a
     * connection accepted on a listener of its own) and the errno mapping. The class loader opens
     * a class file for a class it meets for the first time, and under EMFILE it could not. Returns
     * once the warm-up's descriptors are released (closes finish on the ring, after close()
     * returns): one released during the exhaustion would be a free number under the limit.
     */
    private static void warmUp(Runtime runtime) throws Exception {
        Set<String> before = TestSupport.openFds();
        UringTcpListener listener = multishotListener(runtime);
        InetSocketAddress address = runtime.spawnOn(0, listener::localAddress).join();
        JoinHandle<Throwable> accepted = acceptOnce(runtime, listener);
        try (SocketChannel client = SocketChannel.open(address)) {
            assertEquals(null, accepted.join());
        }
        listener.close();
        assertTrue(listener.acceptError(Errno.EMFILE).getMessage().contains("Too many open files"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!TestSupport.openFds().equals(before)) {
            assertTrue(System.nanoTime() - deadline < 0, () -> "the warm-up left descriptors open: "
                    + TestSupport.openFds() + ", before: " + before);
            Thread.sleep(5);
        }
    }

    @Test
    void descriptorExhaustionFailsOneAcceptAndTheNextOneArmsMultishotAgain() throws Exception {
        Set<String> beforeRuntime = TestSupport.openFds();
        try (Runtime runtime = runtime()) {
            warmUp(runtime);
            UringTcpListener listener = multishotListener(runtime);
            InetSocketAddress address = runtime.spawnOn(0, listener::localAddress).join();
            // Connected before the exhaustion (the client's socket is a descriptor too): the
            // connection waits in the backlog while the kernel cannot give it a descriptor.
            try (SocketChannel client = SocketChannel.open(address)) {
                Throwable failure;
                try (DescriptorExhaustion exhausted = DescriptorExhaustion.begin()) {
                    failure = acceptOnce(runtime, listener).join(); // a fresh multishot ACCEPT, ended by -EMFILE
                }
                assertAcceptError(failure, "Too many open files", "accept succeeded while no descriptor could be allocated");
                assertTrue(listener.usesMultishot(), "EMFILE turned the listener to single-shot ACCEPTs");

                JoinHandle<Integer> served = runtime.spawnOn(0, () -> {
                    TcpStreamIo stream = listener.accept();
                    try {
                        ByteBuffer one = ByteBuffer.allocate(1);
                        assertEquals(1, stream.read(one));
                        stream.write(one.flip());
                        return (int) one.get(0);
                    } finally {
                        stream.close();
                    }
                });
                client.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer echo = ByteBuffer.allocate(1);
                assertEquals(1, client.read(echo), "the connection that waited was not served");
                assertEquals(42, echo.get(0));
                assertEquals(42, served.join());
                assertTrue(listener.usesMultishot(), "the accept after the failure was not a multishot one");
            }
            listener.close();
        }
        assertEquals(beforeRuntime, TestSupport.openFds(), "descriptors leaked");
    }

    /**
     * This kernel has multishot ACCEPT, so the EINVAL comes from a socket that no longer listens
     * (shutdown(2)), not from a refused flag; the acceptor cannot tell them apart, which is why it
     * hands over to single-shot ACCEPTs rather than failing — and the single-shot one reports it.
     */
    @Test
    void einvalBeforeTheFirstConnectionTurnsTheListenerToSingleShot() throws Exception {
        Set<String> beforeRuntime = TestSupport.openFds();
        try (Runtime runtime = runtime()) {
            UringTcpListener listener = multishotListener(runtime);
            Sockets.shutdown(listener.fd, SHUT_RDWR, "test"); // the socket leaves LISTEN: accept(2) answers EINVAL
            Throwable failure = acceptOnce(runtime, listener).join();
            assertAcceptError(failure, "(EINVAL): accept on", "accept succeeded on a socket that does not listen");
            assertFalse(listener.usesMultishot(), "EINVAL before any connection is the kernel's refusal of multishot");
            listener.close();
        }
        assertEquals(beforeRuntime, TestSupport.openFds(), "descriptors leaked");
    }

    /** After the operation delivered a connection, multishot evidently works: an EINVAL then is an error. */
    @Test
    void einvalAfterAConnectionIsThrownAndKeepsMultishot() throws Exception {
        Set<String> beforeRuntime = TestSupport.openFds();
        try (Runtime runtime = runtime()) {
            UringTcpListener listener = multishotListener(runtime);
            InetSocketAddress address = runtime.spawnOn(0, listener::localAddress).join();
            JoinHandle<Throwable> first = acceptOnce(runtime, listener);
            try (SocketChannel client = SocketChannel.open(address)) {
                assertEquals(null, first.join());
            }
            Sockets.shutdown(listener.fd, SHUT_RDWR, "test"); // ends the armed operation with EINVAL
            Throwable failure = acceptOnce(runtime, listener).join();
            assertAcceptError(failure, "(EINVAL): accept on", "accept succeeded on a socket that does not listen");
            assertTrue(listener.usesMultishot(), "an error after a delivered connection is not a refusal");
            listener.close();
        }
        assertEquals(beforeRuntime, TestSupport.openFds(), "descriptors leaked");
    }

    /** {@code failure} is the JDK's accept error: exactly an IOException whose message contains {@code message}. */
    private static void assertAcceptError(Throwable failure, String message, String ifNone) {
        assertTrue(failure != null, ifNone);
        assertEquals(IOException.class, failure.getClass(), () -> "not the JDK's type: " + failure);
        assertTrue(failure.getMessage().contains(message), failure::getMessage);
    }

}
