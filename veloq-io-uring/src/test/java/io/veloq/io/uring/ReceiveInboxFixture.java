package io.veloq.io.uring;

import static io.veloq.io.uring.StreamPattern.peerWrites;
import static io.veloq.io.uring.StreamPattern.readsPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.io.net.TcpStream;
import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.IoUringDriverFactory;
import io.veloq.uring.ReceiveMode;
import io.veloq.uring.TestSupport;
import io.veloq.uring.UncaughtReports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the {@link ReceiveInbox} tests ({@code ReceiveInboxOrderTest}, {@code ReceiveInboxEndTest},
 * {@code ReceiveInboxCloseTest}) share. They hunt for violations of the inbox's invariants over
 * real loopback connections: a Veloq stream on a two-worker io_uring runtime, its peer a blocking
 * JDK socket on a platform thread (so the peer's progress does not depend on the workers under
 * test).
 *
 * <p>What the tests look at: the bytes ({@link StreamPattern}, keyed by stream position, so a
 * byte lost, repeated or out of place shows), exceptions by exact type, the peer's view of a
 * close (end of stream, or a reset when bytes were left unread in the socket), /proc/self/fd, and
 * the inbox itself: a reader parked in {@code ReceiveInbox.read} names it as its LockSupport
 * blocker, and its package-private accessors give the bytes buffered, the worker the RECV is
 * armed on, end of stream and input shutdown ({@link #stateOf}). After each test: the runtime
 * stops within 10 s, every registered buffer came back, no descriptor leaked, nothing unexpected
 * reached the uncaught-exception handler.
 *
 * <p>Fields and lifecycle methods belong to the JUnit thread; the helpers are called from it.
 */
abstract class ReceiveInboxFixture {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /**
     * The inbox tests' configuration: the RECV armed by a stream's first read, whatever its size
     * ({@link ReceiveMode#ARMED}); the default mode's switch is {@code AdaptiveReceiveTest}'s subject.
     */
    static final IoUringConfig ARMED = IoUringConfig.defaults().withReceiveMode(ReceiveMode.ARMED);
    /** Hang guard of the waits below: a failure that says what never happened, not a timing assertion. */
    static final long GUARD_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final int GUARD_MILLIS = 20_000;

    private Set<String> fdsBefore;
    private ServerSocket peers;
    /** The runtime's uncaught-exception handler: {@link #failureOf} marks the failures a test expects. */
    UncaughtReports reports;
    /** Two workers, unpinned; null once {@link #stopRuntime} ran. */
    Runtime runtime;

    /**
     * The JDK opens descriptors lazily the first time sockets are used (its pollers, started by the
     * first blocking socket call of a virtual thread or with a timeout): not leaks of ours.
     */
    @BeforeAll
    static void warmUpJdkSockets() throws Exception {
        Thread virtual = Thread.ofVirtual().start(() -> {
            try {
                exchangeOneByte();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        virtual.join();
        exchangeOneByte();
    }

    private static void exchangeOneByte() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, LOOPBACK);
             Socket client = new Socket(LOOPBACK, listener.getLocalPort());
             Socket accepted = listener.accept()) {
            accepted.setSoTimeout(GUARD_MILLIS);
            client.getOutputStream().write(1);
            assertEquals(1, accepted.getInputStream().read());
        }
    }

    @BeforeEach
    void startRuntime() throws Exception {
        TestSupport.assumeIoUring();
        fdsBefore = openFds();
        reports = new UncaughtReports();
        peers = new ServerSocket(0, 16, LOOPBACK);
        peers.setSoTimeout(GUARD_MILLIS);
        start(ARMED);
    }

    @AfterEach
    void stopRuntimeAndCheckDescriptors() throws Exception {
        try {
            if (peers != null) {
                peers.close();
            }
        } finally {
            if (runtime != null) {
                stopRuntime();
            }
        }
        if (fdsBefore != null) {
            Set<String> leaked = leakedSince(fdsBefore);
            assertTrue(leaked.isEmpty(), () -> "descriptors leaked: " + leaked);
            reports.assertOnlyJoinedFailures();
        }
    }

    // ---------------------------------------------------------------- runtime, streams, tasks

    record Pair(TcpStream stream, Socket peer) {}

    record Started<T>(JoinHandle<T> handle, Thread thread) {}

    /** One consistent look at an inbox ({@link #stateOf}); {@code armedOn} is -1 when no RECV is armed. */
    record InboxState(int buffered, int armedOn, boolean endOfStream, boolean inputShut) {
        boolean armed() {
            return armedOn >= 0;
        }
    }

    private void start(IoUringConfig config) {
        runtime = Runtime.builder().workers(2).pinning(false).uncaughtExceptionHandler(reports)
                .threadNamePrefix("vq-inbox-").driverFactory(new IoUringDriverFactory(config)).build();
        if (config.receiveBufferCount() > 0) {
            for (int w = 0; w < 2; w++) {
                String description = runtime.spawnOn(w, () -> IoUringDriver.current().description()).join();
                boolean multishot = runtime.spawnOn(w, () -> IoUringDriver.current().receivesMultishot()).join();
                Assumptions.assumeTrue(multishot, () -> "no multishot RECV on this kernel: " + description);
            }
        }
    }

    void restart(IoUringConfig config) throws InterruptedException {
        stopRuntime();
        start(config);
    }

    /** Checks that every registered buffer came back, then shuts the runtime down (at most 10 s). */
    void stopRuntime() throws InterruptedException {
        Runtime r = runtime;
        runtime = null;
        try {
            for (int w = 0; w < r.workerCount(); w++) {
                int worker = w;
                int leased = r.spawnOn(w, () -> IoUringDriver.current().bufferPool().leased()).join();
                assertEquals(0, leased, () -> leased + " registered buffer(s) of worker " + worker + " not given back");
            }
        } finally {
            r.shutdown();
            if (!r.awaitTermination(10, TimeUnit.SECONDS)) {
                String dump = r.dumpTasks();
                r.shutdownNow();
                r.awaitTermination(10, TimeUnit.SECONDS);
                throw new AssertionError("tasks still running 10 s after the test:\n" + dump);
            }
        }
    }

    /** A Veloq stream connected from a task of {@code worker}, and its peer: a blocking JDK socket. */
    Pair connect(int worker) throws IOException {
        InetSocketAddress server = new InetSocketAddress(LOOPBACK, peers.getLocalPort());
        TcpStream stream = runtime.spawnOn(worker, () -> TcpStream.connect(server)).join();
        Socket peer = peers.accept();
        peer.setSoTimeout(GUARD_MILLIS);
        return new Pair(stream, peer);
    }

    /** Closes both ends; the peer must see the close (a reset allowed when bytes were left unread). */
    static void closeAndCheck(Pair p, boolean resetAllowed) throws IOException {
        p.stream().close();
        peerSeesClose(p.peer(), resetAllowed);
        p.peer().close();
    }

    static void peerSeesClose(Socket peer, boolean resetAllowed) throws IOException {
        try {
            assertEquals(-1, peer.getInputStream().read(), "the peer read a byte nobody wrote");
        } catch (SocketException reset) {
            if (!resetAllowed) {
                throw reset;
            }
            // close(2) with bytes unread in the socket answers with RST: closed all the same
        }
    }

    /** Starts {@code body} on {@code worker} and returns once it runs, with its thread. */
    <T> Started<T> startOn(int worker, Callable<T> body) {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        JoinHandle<T> handle = runtime.spawnOn(worker, () -> {
            thread.complete(Thread.currentThread());
            return body.call();
        });
        return new Started<>(handle, thread.join());
    }

    /** A task of {@code worker} reads byte 0 (arming the RECV there); returns the inbox it waited in. */
    ReceiveInbox armedByAOneByteRead(Pair p, int worker) throws Exception {
        Started<Void> first = startOn(worker, () -> readsPattern(p.stream(), 0, 1, 1, 1));
        ReceiveInbox inbox = parkedIn(first.thread());
        assertEquals(new InboxState(0, worker, false, false), stateOf(inbox), "the first read armed the RECV on its worker");
        peerWrites(p.peer(), 0, 1, 1, 1);
        first.handle().join();
        return inbox;
    }

    /** The exception a failed task ended with; the runtime's report of it (if it failed before the join) is expected. */
    Throwable failureOf(JoinHandle<?> handle) {
        Throwable failure = assertThrows(TaskFailedException.class, handle::join).getCause();
        reports.joined(failure);
        return failure;
    }

    // ---------------------------------------------------------------- observing the inbox

    /** The inbox {@code task} is parked in (its LockSupport blocker), once it is. */
    static ReceiveInbox parkedIn(Thread task) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD_NANOS;
        while (!(LockSupport.getBlocker(task) instanceof ReceiveInbox)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(task + " never parked in a ReceiveInbox; blocked on " + LockSupport.getBlocker(task));
            }
            Thread.sleep(1);
        }
        return (ReceiveInbox) LockSupport.getBlocker(task);
    }

    /** What {@code task} parks on (its LockSupport blocker: an inbox, or the driver's wait for a RECV), once it parks. */
    static Object awaitBlocker(Thread task) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD_NANOS;
        Object blocker;
        while ((blocker = LockSupport.getBlocker(task)) == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(task + " never parked");
            }
            Thread.sleep(1);
        }
        return blocker;
    }

    static InboxState stateOf(ReceiveInbox inbox) {
        synchronized (inbox) { // one consistent look: the accessors take the same monitor
            return new InboxState(inbox.buffered(), inbox.armedWorker(), inbox.endOfStream(), inbox.isInputShut());
        }
    }

    static InboxState awaitInbox(ReceiveInbox inbox, Predicate<InboxState> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + GUARD_NANOS;
        InboxState state;
        while (!condition.test(state = stateOf(inbox))) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the inbox never reached: " + what + "; it is " + state);
            }
            Thread.sleep(1);
        }
        return state;
    }

    /** Until the RECV is stopped and the peer made no progress across ten looks 20 ms apart (or wrote everything). */
    static InboxState awaitStall(ReceiveInbox inbox, AtomicLong accepted, long total) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD_NANOS;
        long last = -1;
        int still = 0;
        while (true) {
            InboxState state = stateOf(inbox);
            long now = accepted.get();
            still = !state.armed() && now == last ? still + 1 : 0;
            last = now;
            if (still >= 10 || now == total) {
                return state;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the peer never stalled: it wrote " + now + " B; inbox " + state);
            }
            Thread.sleep(20);
        }
    }

    // ---------------------------------------------------------------- descriptors

    /** Open descriptors, without class-path jars the JVM opens lazily. */
    static Set<String> openFds() {
        Set<String> fds = TestSupport.openFds();
        fds.removeIf(line -> line.contains(".jar"));
        return fds;
    }

    static Set<String> leakedSince(Set<String> before) {
        Set<String> now = openFds();
        now.removeAll(before);
        return now;
    }
}
