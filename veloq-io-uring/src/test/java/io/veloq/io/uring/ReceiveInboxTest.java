package io.veloq.io.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.io.net.TcpStream;
import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.IoUringDriverFactory;
import io.veloq.uring.TestSupport;
import io.veloq.uring.UncaughtReports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hunts for violations of {@link ReceiveInbox}'s invariants over real loopback connections: a
 * Veloq stream on a two-worker io_uring runtime, its peer a blocking JDK socket on a platform
 * thread (so the peer's progress does not depend on the workers under test).
 *
 * <p>What the tests look at: the bytes (a pattern keyed by stream position, so a byte lost,
 * repeated or out of place shows), exceptions by exact type, the peer's view of a close (end of
 * stream, or a reset when bytes were left unread in the socket), /proc/self/fd, and the inbox
 * itself: a reader parked in {@code ReceiveInbox.read} names it as its LockSupport blocker, and
 * its {@code toString} gives the bytes buffered and the worker the RECV is armed on (read from the
 * text until the inbox has package-private accessors for them). After each test: the runtime
 * stops within 10 s, every registered buffer came back, no descriptor leaked, nothing unexpected
 * reached the uncaught-exception handler.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveInboxTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Hang guard of the waits below: a failure that says what never happened, not a timing assertion. */
    private static final long GUARD_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final int GUARD_MILLIS = 20_000;
    /** The default provided-buffer ring of a worker: what one drain can add past MAX_BUFFERED. */
    private static final long DEFAULT_RING_BYTES = 256L * 4096;

    private Set<String> fdsBefore;
    private UncaughtReports reports;
    private Runtime runtime;
    private ServerSocket peers;

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
        start(IoUringConfig.defaults());
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

    // ---------------------------------------------------------------- buffering and order

    @Test
    void bytesThatArriveWhileNobodyReadsWaitAndComeOutInOrder() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer, 1, 40_000, 5000, 2);
        InboxState waiting = awaitInbox(inbox, s -> s.buffered == 40_000, "all 40000 B buffered");
        assertEquals(0, waiting.armedOn, "nobody reads, the RECV stays armed on the worker that armed it");
        runtime.spawnOn(1, () -> readsPattern(p.stream, 1, 40_000, 3000, 3)).join();
        assertEquals(new InboxState(0, 0, false, false), stateOf(inbox), "drained, the same RECV still armed");
        closeAndCheck(p, false);
    }

    @Test
    void theBufferWrapsGrowsAndStopsTheReceiveWithoutReordering() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer, 1, 40_000, 4096, 4);
        awaitInbox(inbox, s -> s.buffered == 40_000, "40000 B buffered");
        runtime.spawnOn(0, () -> readsPattern(p.stream, 1, 30_000, 2000, 5)).join();
        assertEquals(10_000, stateOf(inbox).buffered);
        // 40000 more: the tail passes the end of the 64 KiB array and wraps to its start.
        peerWrites(p.peer, 40_001, 40_000, 4096, 6);
        awaitInbox(inbox, s -> s.buffered == 50_000, "50000 B buffered, wrapped");
        // 30000 more: the array grows with wrapped contents; past MAX_BUFFERED the RECV is stopped.
        peerWrites(p.peer, 80_001, 30_000, 4096, 7);
        InboxState stopped = awaitInbox(inbox, s -> !s.armed() && s.buffered >= ReceiveInbox.MAX_BUFFERED,
                "the RECV stopped with at least MAX_BUFFERED bytes waiting");
        assertTrue(stopped.buffered <= 80_000, stopped::toString);
        // The rest of the 30000 stayed in the socket: the read that empties the inbox arms again.
        runtime.spawnOn(1, () -> readsPattern(p.stream, 30_001, 80_000, 7000, 8)).join();
        peerWrites(p.peer, 110_001, 1000, 300, 9);
        runtime.spawnOn(1, () -> readsPattern(p.stream, 110_001, 1000, 1000, 10)).join();
        assertEquals(new InboxState(0, 1, false, false), stateOf(inbox), "armed again, by the reader on worker 1");
        closeAndCheck(p, false);
    }

    @Test
    void aReaderThatStopsLeavesTheRestInTheSocketNotInMemory() throws Exception {
        long total = 8L << 20;
        Pair p = connect(0);
        // Fixed socket buffers (no autotuning), so what the kernel may hold is known and small.
        int receiveBuffer = runtime.spawnOn(0, () -> {
            p.stream.setReceiveBufferSize(64 * 1024);
            return p.stream.receiveBufferSize();
        }).join();
        p.peer.setSendBufferSize(64 * 1024);
        int sendBuffer = p.peer.getSendBufferSize();
        CompletableFuture<Void> drain = new CompletableFuture<>();
        Started<Integer> reader = startOn(0, () -> {
            readsPattern(p.stream, 0, 1, 1, 11);
            drain.join(); // stops reading until the test has seen the peer stall
            readsPattern(p.stream, 1, total - 1, 64 * 1024, 12);
            return p.stream.read(new byte[1], 0, 1);
        });
        ReceiveInbox inbox = parkedIn(reader.thread);
        AtomicLong accepted = new AtomicLong();
        CompletableFuture<Void> writer = peerWriter(p.peer, 0, total, 16 * 1024, 13, accepted, true);
        InboxState stalled = awaitStall(inbox, accepted, total);
        long held = accepted.get();
        long bound = ReceiveInbox.MAX_BUFFERED + DEFAULT_RING_BYTES + 2L * (receiveBuffer + sendBuffer);
        assertTrue(held < total && !writer.isDone(), () -> "the peer wrote all " + total + " B to a reader that stopped; "
                + "inbox " + stalled);
        assertTrue(held <= bound, () -> "the peer wrote " + held + " B to a reader that stopped; at most " + bound
                + " B fit in the inbox, the ring and the socket buffers (" + receiveBuffer + " + " + sendBuffer
                + "); inbox " + stalled);
        assertTrue(stalled.buffered <= ReceiveInbox.MAX_BUFFERED + DEFAULT_RING_BYTES, stalled::toString);
        drain.complete(null);
        assertEquals(-1, reader.handle.join(), "every byte in order, then the peer's FIN");
        writer.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        assertEquals(total, accepted.get());
        closeAndCheck(p, false);
    }

    // ---------------------------------------------------------------- readers on several workers

    @Test
    void aReaderOnAnotherWorkerGetsTheFollowingBytesFromTheArmedReceive() throws Exception {
        Pair p = connect(0);
        Started<Void> first = startOn(0, () -> readsPattern(p.stream, 0, 10_000, 1500, 20));
        ReceiveInbox inbox = parkedIn(first.thread);
        peerWrites(p.peer, 0, 10_000, 3000, 21);
        first.handle.join();
        Started<Void> second = startOn(1, () -> readsPattern(p.stream, 10_000, 20_000, 2500, 22));
        assertSame(inbox, parkedIn(second.thread));
        assertEquals(0, stateOf(inbox).armedOn, "worker 1's reader waits on the RECV worker 0's task armed");
        peerWrites(p.peer, 10_000, 20_000, 700, 23);
        second.handle.join();
        // Bytes worker 0 delivered while nobody read, taken on worker 1, then more on worker 0.
        peerWrites(p.peer, 30_000, 5000, 5000, 24);
        awaitInbox(inbox, s -> s.buffered == 5000, "5000 B buffered");
        runtime.spawnOn(1, () -> readsPattern(p.stream, 30_000, 5000, 5000, 25)).join();
        peerWrites(p.peer, 35_000, 5000, 900, 26);
        runtime.spawnOn(0, () -> readsPattern(p.stream, 35_000, 5000, 800, 27)).join();
        assertEquals(new InboxState(0, 0, false, false), stateOf(inbox));
        closeAndCheck(p, false);
    }

    @Test
    void twoReadersOnDifferentWorkersGetEveryByteExactlyOnce() throws Exception {
        twoReadersShareAStream(2L << 20);
    }

    @Test
    void twoReadersShareAStreamWhoseReceiveRunsOutOfBuffers() throws Exception {
        restart(IoUringConfig.defaults().withReceiveBuffers(2, 64));
        twoReadersShareAStream(256L << 10);
    }

    /** Readers on workers 0 and 1 read one stream to its end; together they must hold it exactly once, each in order. */
    private void twoReadersShareAStream(long total) throws Exception {
        Pair p = connect(0);
        Started<List<byte[]>> a = chunkReader(0, p.stream, 30);
        Started<List<byte[]>> b = chunkReader(1, p.stream, 31);
        CompletableFuture<Void> writer = peerWriter(p.peer, 0, total, 20_000, 32, null, true);
        List<byte[]> fromA = a.handle.join();
        List<byte[]> fromB = b.handle.join();
        writer.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        long received = fromA.stream().mapToLong(c -> c.length).sum() + fromB.stream().mapToLong(c -> c.length).sum();
        assertEquals(total, received, () -> "bytes handed out: " + received + " (reader 0: " + fromA.size()
                + " reads, reader 1: " + fromB.size() + " reads)");
        assertTrue(interleaves(fromA, fromB, total), "the two readers' reads are not the stream split in arrival order");
        closeAndCheck(p, false);
    }

    @Test
    void readsAlternatingBetweenWorkersWhileTheReceiveKeepsEndingStayInOrder() throws Exception {
        restart(IoUringConfig.defaults().withReceiveBuffers(2, 64));
        long total = 256L << 10;
        Pair p = connect(0);
        CompletableFuture<Void> writer = peerWriter(p.peer, 0, total, 3000, 40, null, true);
        long position = 0;
        for (int worker = 0; position < total; worker ^= 1) {
            long from = position;
            position += runtime.spawnOn(worker, () -> readsSomePattern(p.stream, from, 2000)).join();
        }
        assertEquals(total, position);
        assertEquals(-1, runtime.spawnOn(1, () -> p.stream.read(new byte[1], 0, 1)).join());
        writer.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        closeAndCheck(p, false);
    }

    // ---------------------------------------------------------------- ends: EOF, reset, shutdownInput

    @Test
    void endOfStreamAfterDataIsTheDataThenMinusOneForEveryReader() throws Exception {
        Pair armed = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(armed, 0);
        peerWrites(armed.peer, 1, 3000, 1000, 50);
        armed.peer.shutdownOutput(); // the FIN reaches an armed RECV
        awaitInbox(inbox, s -> s.endOfStream, "end of stream");
        runtime.spawnOn(0, () -> readsPattern(armed.stream, 1, 3000, 3000, 51)).join();
        expectEndOfStream(armed.stream);
        assertEquals(new InboxState(0, -1, true, false), stateOf(inbox));
        closeAndCheck(armed, false);

        Pair early = connect(1);
        peerWrites(early.peer, 0, 3000, 1000, 52);
        early.peer.shutdownOutput(); // data and FIN are in the socket before anyone reads
        runtime.spawnOn(1, () -> readsPattern(early.stream, 0, 3000, 500, 53)).join();
        expectEndOfStream(early.stream);
        closeAndCheck(early, false);
    }

    /** -1, then -1 again, on both workers. */
    private void expectEndOfStream(TcpStream stream) {
        for (int w : new int[] {0, 1, 0, 1}) {
            assertEquals(-1, runtime.spawnOn(w, () -> stream.read(new byte[16], 0, 16)).join(), "on worker " + w);
        }
    }

    @Test
    void aResetIsReportedOnceAfterTheDataThenEndOfStreamOnBothReceivePaths() throws Exception {
        List<String> multishot = resetSequence(true);
        restart(IoUringConfig.defaults().withReceiveBuffers(0, 4096));
        List<String> recvPerRead = resetSequence(false);
        assertEquals(List.of("300 B", "Connection reset", "-1", "-1"), multishot, "multishot RECV");
        assertEquals(recvPerRead, multishot, "both receive paths tell the same story");
    }

    /** 500 bytes, 200 of them read, then the peer resets: what the next reads return. */
    private List<String> resetSequence(boolean multishot) throws Exception {
        Pair p = connect(0);
        Started<Void> reader = startOn(0, () -> readsPattern(p.stream, 0, 200, 200, 60));
        ReceiveInbox inbox = multishot ? parkedIn(reader.thread) : null;
        peerWrites(p.peer, 0, 500, 500, 61);
        reader.handle.join();
        p.peer.setSoLinger(true, 0);
        p.peer.close(); // RST, after the 500 bytes on the same loopback path
        if (multishot) {
            // Every arrival delivered and the RECV ended by the reset, so the next read sees all of it.
            awaitInbox(inbox, s -> !s.armed() && s.buffered == 300, "the 300 B left buffered, the RECV ended");
        }
        List<String> seen = runtime.spawnOn(1, () -> {
            List<String> outcomes = new ArrayList<>();
            byte[] buffer = new byte[1000];
            int n = p.stream.read(buffer, 0, buffer.length);
            outcomes.add(n + " B");
            checkPattern(buffer, n, 200);
            try {
                outcomes.add(String.valueOf(p.stream.read(buffer, 0, buffer.length)));
            } catch (SocketException reset) {
                outcomes.add(reset.getMessage());
            }
            outcomes.add(String.valueOf(p.stream.read(buffer, 0, buffer.length)));
            outcomes.add(String.valueOf(p.stream.read(buffer, 0, buffer.length)));
            return outcomes;
        }).join();
        p.stream.close();
        return seen;
    }

    @Test
    void shutdownInputDiscardsWhatWaitsAndEndsEveryRead() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer, 1, 10_000, 2000, 70);
        awaitInbox(inbox, s -> s.buffered == 10_000, "10000 B buffered");
        runtime.spawnOn(1, () -> {
            p.stream.shutdownInput();
            return null;
        }).join();
        assertEquals(0, stateOf(inbox).buffered, "shutdownInput discards what was buffered");
        assertTrue(stateOf(inbox).inputShut);
        expectEndOfStream(p.stream);
        peerWrites(p.peer, 10_001, 1000, 1000, 71); // arrivals after the shutdown are not delivered either
        expectEndOfStream(p.stream);
        closeAndCheck(p, true);

        // A reader already waiting when another task shuts input down is woken with -1.
        Pair q = connect(1);
        Started<Integer> waiting = startOn(1, () -> q.stream.read(new byte[8], 0, 8));
        parkedIn(waiting.thread);
        runtime.spawnOn(0, () -> {
            q.stream.shutdownInput();
            return null;
        }).join();
        assertEquals(-1, waiting.handle.join());
        closeAndCheck(q, true);
    }

    @Test
    void shutdownInputEndsReadsAtOnceOnBothReceivePaths() throws Exception {
        List<String> multishot = shutdownInputSequence();
        restart(IoUringConfig.defaults().withReceiveBuffers(0, 4096));
        List<String> recvPerRead = shutdownInputSequence();
        List<String> jdk = List.of("1 B", "-1", "-1", "-1"); // SocketChannel: -1 at once, whatever the socket holds
        assertEquals(jdk, multishot, "multishot RECV");
        assertEquals(jdk, recvPerRead, "a RECV per read");
    }

    /** The peer writes 10000 bytes; one is read, input is shut down, the peer writes more: what reads return. */
    private List<String> shutdownInputSequence() throws Exception {
        Pair p = connect(0);
        peerWrites(p.peer, 0, 10_000, 10_000, 72);
        List<String> seen = runtime.spawnOn(0, () -> {
            List<String> outcomes = new ArrayList<>();
            byte[] buffer = new byte[1000];
            outcomes.add(p.stream.read(buffer, 0, 1) + " B");
            p.stream.shutdownInput();
            outcomes.add(String.valueOf(p.stream.read(buffer, 0, buffer.length)));
            outcomes.add(String.valueOf(p.stream.read(buffer, 0, buffer.length)));
            return outcomes;
        }).join();
        peerWrites(p.peer, 10_000, 1000, 1000, 73);
        seen.add(String.valueOf(runtime.spawnOn(1, () -> p.stream.read(new byte[1000], 0, 1000)).join()));
        closeAndCheck(p, true);
        return seen;
    }

    // ---------------------------------------------------------------- close and interrupts

    @Test
    void closeWakesEveryWaitingReaderWithAsynchronousCloseException() throws Exception {
        Set<String> beforeConnect = openFds();
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        Started<Integer> onWorker1 = startOn(1, () -> p.stream.read(new byte[8], 0, 8));
        Started<Integer> onWorker0 = startOn(0, () -> p.stream.read(new byte[8], 0, 8));
        parkedIn(onWorker1.thread);
        parkedIn(onWorker0.thread);
        assertEquals(0, stateOf(inbox).armedOn);
        runtime.spawnOn(1, () -> {
            p.stream.close(); // from a third task, on the worker whose ring does not hold the RECV
            return null;
        }).join();
        assertEquals(AsynchronousCloseException.class, failureOf(onWorker1.handle).getClass());
        assertEquals(AsynchronousCloseException.class, failureOf(onWorker0.handle).getClass());
        Throwable later = assertThrows(TaskFailedException.class,
                () -> runtime.spawnOn(0, () -> p.stream.read(new byte[8], 0, 8)).join()).getCause();
        reports.joined(later);
        assertEquals(ClosedChannelException.class, later.getClass(), "a read that starts after the close");
        assertEquals(-1, p.peer.getInputStream().read(), "the peer sees the descriptor closed");
        p.peer.close();
        assertEquals(Set.of(), leakedSince(beforeConnect), "descriptors left after the close");
        assertFalse(stateOf(inbox).armed());
    }

    @Test
    void closeWhileBytesWaitAndNobodyReadsReleasesTheDescriptor() throws Exception {
        Set<String> beforeConnect = openFds();
        Pair armed = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(armed, 0);
        peerWrites(armed.peer, 1, 5000, 5000, 80);
        awaitInbox(inbox, s -> s.buffered == 5000 && s.armed(), "5000 B buffered, the RECV armed");
        armed.stream.close(); // from the test thread: any thread may close
        assertEquals(-1, armed.peer.getInputStream().read(), "the peer sees the descriptor closed");
        armed.peer.close();
        assertEquals(Set.of(), leakedSince(beforeConnect), "descriptors left after closing with the RECV armed");

        Pair stopped = connect(1);
        ReceiveInbox second = armedByAOneByteRead(stopped, 1);
        CompletableFuture<Void> writer = peerWriter(stopped.peer, 1, 300_000, 16 * 1024, 81, null, false);
        awaitInbox(second, s -> !s.armed() && s.buffered >= ReceiveInbox.MAX_BUFFERED, "the RECV stopped, full");
        runtime.spawnOn(0, () -> {
            stopped.stream.close(); // nothing inside the gate any more: released at once
            return null;
        }).join();
        peerSeesClose(stopped.peer, true);
        writer.handle((done, failure) -> null).get(GUARD_NANOS, TimeUnit.NANOSECONDS); // finished or refused
        stopped.peer.close();
        assertEquals(Set.of(), leakedSince(beforeConnect), "descriptors left after closing with the RECV stopped");
    }

    @Test
    void closesRacingReadsNeverHangOrLeak() throws Exception {
        Set<String> beforeConnect = openFds();
        SplittableRandom random = new SplittableRandom(130);
        int served = 0;
        int closed = 0;
        for (int i = 0; i < 100; i++) {
            Pair p = connect(i % 2);
            boolean withData = random.nextBoolean();
            if (withData) {
                peerWrites(p.peer, 0, 100, 100, i);
            }
            int yields = random.nextInt(4);
            JoinHandle<byte[]> reader = runtime.spawnOn(random.nextInt(2), () -> {
                byte[] buffer = new byte[8];
                return Arrays.copyOf(buffer, p.stream.read(buffer, 0, 8));
            });
            runtime.spawnOn(random.nextInt(2), () -> {
                for (int y = 0; y < yields; y++) {
                    Thread.yield();
                }
                p.stream.close();
                return null;
            }).join();
            try {
                byte[] got = reader.join();
                assertTrue(withData && got.length > 0, () -> "read " + got.length + " B from a stream whose peer sent "
                        + (withData ? 100 : 0));
                checkPattern(got, got.length, 0);
                served++;
            } catch (TaskFailedException e) {
                reports.joined(e.getCause());
                assertInstanceOf(ClosedChannelException.class, e.getCause());
                closed++;
            }
            peerSeesClose(p.peer, true);
            p.peer.close();
        }
        assertEquals(100, served + closed);
        assertEquals(Set.of(), leakedSince(beforeConnect));
    }

    @Test
    void closingManyStreamsWithReceivesArmedReleasesEveryDescriptor() throws Exception {
        Set<String> beforeConnect = openFds();
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Pair p = connect(i % 2);
            peerWrites(p.peer, 0, 1, 1, i);
            runtime.spawnOn(i % 2, () -> readsPattern(p.stream, 0, 1, 1, 1)).join(); // leaves a RECV armed
            peerWrites(p.peer, 1, 10, 10, i); // and ten bytes waiting for nobody
            pairs.add(p);
        }
        for (Pair p : pairs) {
            p.stream.close();
        }
        for (Pair p : pairs) {
            peerSeesClose(p.peer, true); // the ten bytes may not have left the socket before the cancel
            p.peer.close();
        }
        assertEquals(Set.of(), leakedSince(beforeConnect));
    }

    @Test
    void cancellingAWaitingReaderClosesTheStreamForTheOtherReaderToo() throws Exception {
        Set<String> beforeConnect = openFds();
        Pair p = connect(0);
        armedByAOneByteRead(p, 0);
        CompletableFuture<Exception> cancelledSaw = new CompletableFuture<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Started<Integer> cancelled = startOn(1, () -> {
            try {
                return p.stream.read(new byte[8], 0, 8);
            } catch (Exception e) {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                cancelledSaw.complete(e);
                throw e;
            }
        });
        Started<Integer> other = startOn(0, () -> p.stream.read(new byte[8], 0, 8));
        parkedIn(cancelled.thread);
        parkedIn(other.thread);
        assertTrue(cancelled.handle.cancel(true));
        assertThrows(CancellationException.class, cancelled.handle::join);
        assertEquals(ClosedByInterruptException.class, cancelledSaw.get(GUARD_NANOS, TimeUnit.NANOSECONDS).getClass());
        assertTrue(stillInterrupted.get(), "the interrupt status stays set, as with the JDK's channels");
        assertFalse(p.stream.isOpen(), "an interrupted read closes the stream");
        assertEquals(AsynchronousCloseException.class, failureOf(other.handle).getClass());
        assertEquals(-1, p.peer.getInputStream().read(), "the peer sees the descriptor closed");
        p.peer.close();
        assertEquals(Set.of(), leakedSince(beforeConnect));
    }

    @Test
    void aReadWithTheInterruptStatusSetClosesTheStreamEvenWithBytesWaiting() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer, 1, 100, 100, 90);
        awaitInbox(inbox, s -> s.buffered == 100, "100 B buffered");
        boolean interruptKept = runtime.spawnOn(1, () -> {
            Thread.currentThread().interrupt();
            assertThrows(ClosedByInterruptException.class, () -> p.stream.read(new byte[200], 0, 200));
            return Thread.interrupted();
        }).join();
        assertTrue(interruptKept, "the interrupt status stays set, as with the JDK's channels");
        assertFalse(p.stream.isOpen());
        assertEquals(-1, p.peer.getInputStream().read(), "the peer sees the descriptor closed");
        p.peer.close();
    }

    @Test
    void aRuntimeThatStopsWithAReceiveArmedLeavesTheStreamToItsOwner() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer, 1, 100, 100, 100);
        awaitInbox(inbox, s -> s.buffered == 100, "100 B buffered");
        stopRuntime(); // the worker's driver closes under the armed RECV
        assertEquals(new InboxState(100, -1, false, false), stateOf(inbox),
                "the driver's close ended the RECV: no end of stream, the bytes kept");
        assertTrue(p.stream.isOpen());
        p.stream.close(); // outside any runtime: close(2)
        assertEquals(-1, p.peer.getInputStream().read(), "the peer sees the descriptor closed");
        p.peer.close();
    }

    // ---------------------------------------------------------------- provided buffers

    @Test
    void twoTinyProvidedBuffersStillDeliverEveryByteInOrder() throws Exception {
        restart(IoUringConfig.defaults().withReceiveBuffers(2, 64));
        assertTrue(runtime.spawnOn(1, () -> IoUringDriver.current().description()).join().contains("provided buffers 2 x 64 B"));
        long total = 1L << 20;
        Pair p = connect(1);
        Pair q = connect(1);
        // One stream alone, then two sharing worker 1's two buffers.
        CompletableFuture<Void> writer = peerWriter(p.peer, 0, total, 50_000, 110, null, false);
        runtime.spawnOn(1, () -> readsPattern(p.stream, 0, total, 8192, 111)).join();
        writer.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        long half = total / 2;
        CompletableFuture<Void> toP = peerWriter(p.peer, total, half, 30_000, 112, null, true);
        CompletableFuture<Void> toQ = peerWriter(q.peer, 0, half, 30_000, 113, null, true);
        JoinHandle<Void> readP = runtime.spawnOn(1, () -> readsPattern(p.stream, total, half, 4096, 114));
        JoinHandle<Void> readQ = runtime.spawnOn(1, () -> readsPattern(q.stream, 0, half, 4096, 115));
        readP.join();
        readQ.join();
        toP.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        toQ.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        assertEquals(-1, runtime.spawnOn(0, () -> p.stream.read(new byte[1], 0, 1)).join());
        assertEquals(-1, runtime.spawnOn(1, () -> q.stream.read(new byte[1], 0, 1)).join());
        closeAndCheck(p, false);
        closeAndCheck(q, false);
    }

    @Test
    void theReceiveBufferSettingChoosesThePath() throws Exception {
        for (int w = 0; w < 2; w++) {
            String description = runtime.spawnOn(w, () -> IoUringDriver.current().description()).join();
            assertTrue(description.contains("multishot RECV, provided buffers 256 x 4096 B"), description);
        }
        restart(IoUringConfig.defaults().withReceiveBuffers(0, 4096));
        for (int w = 0; w < 2; w++) {
            assertFalse(runtime.spawnOn(w, () -> IoUringDriver.current().receivesMultishot()).join());
        }
        Pair p = connect(0);
        peerWrites(p.peer, 0, 5000, 1000, 120);
        runtime.spawnOn(1, () -> readsPattern(p.stream, 0, 5000, 999, 121)).join();
        closeAndCheck(p, false);
        assertThrows(IllegalArgumentException.class, () -> IoUringConfig.defaults().withReceiveBuffers(3, 4096));
        assertThrows(IllegalArgumentException.class, () -> IoUringConfig.defaults().withReceiveBuffers(2, 63));
    }

    // ---------------------------------------------------------------- fixture

    private record Pair(TcpStream stream, Socket peer) {}

    private record Started<T>(JoinHandle<T> handle, Thread thread) {}

    /** What {@code ReceiveInbox.toString} shows; {@code armedOn} is -1 when no RECV is armed. */
    private record InboxState(int buffered, int armedOn, boolean endOfStream, boolean inputShut) {
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

    private void restart(IoUringConfig config) throws InterruptedException {
        stopRuntime();
        start(config);
    }

    /** Checks that every registered buffer came back, then shuts the runtime down (at most 10 s). */
    private void stopRuntime() throws InterruptedException {
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
    private Pair connect(int worker) throws IOException {
        InetSocketAddress server = new InetSocketAddress(LOOPBACK, peers.getLocalPort());
        TcpStream stream = runtime.spawnOn(worker, () -> TcpStream.connect(server)).join();
        Socket peer = peers.accept();
        peer.setSoTimeout(GUARD_MILLIS);
        return new Pair(stream, peer);
    }

    /** Closes both ends; the peer must see the close (a reset allowed when bytes were left unread). */
    private static void closeAndCheck(Pair p, boolean resetAllowed) throws IOException {
        p.stream.close();
        peerSeesClose(p.peer, resetAllowed);
        p.peer.close();
    }

    private static void peerSeesClose(Socket peer, boolean resetAllowed) throws IOException {
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
    private <T> Started<T> startOn(int worker, Callable<T> body) {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        JoinHandle<T> handle = runtime.spawnOn(worker, () -> {
            thread.complete(Thread.currentThread());
            return body.call();
        });
        return new Started<>(handle, thread.join());
    }

    /** A task of {@code worker} reads byte 0 (arming the RECV there); returns the inbox it waited in. */
    private ReceiveInbox armedByAOneByteRead(Pair p, int worker) throws Exception {
        Started<Void> first = startOn(worker, () -> readsPattern(p.stream, 0, 1, 1, 1));
        ReceiveInbox inbox = parkedIn(first.thread);
        assertEquals(new InboxState(0, worker, false, false), stateOf(inbox), "the first read armed the RECV on its worker");
        peerWrites(p.peer, 0, 1, 1, 1);
        first.handle.join();
        return inbox;
    }

    private Started<List<byte[]>> chunkReader(int worker, TcpStream stream, long seed) {
        return startOn(worker, () -> {
            List<byte[]> chunks = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(seed);
            byte[] buffer = new byte[3000];
            int n;
            while ((n = stream.read(buffer, 0, 1 + random.nextInt(buffer.length))) >= 0) {
                chunks.add(Arrays.copyOf(buffer, n));
            }
            return chunks;
        });
    }

    /** The exception a failed task ended with; the runtime's report of it (if it failed before the join) is expected. */
    private Throwable failureOf(JoinHandle<?> handle) {
        Throwable failure = assertThrows(TaskFailedException.class, handle::join).getCause();
        reports.joined(failure);
        return failure;
    }

    // ---------------------------------------------------------------- observing the inbox

    /** The inbox {@code task} is parked in (its LockSupport blocker), once it is. */
    private static ReceiveInbox parkedIn(Thread task) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD_NANOS;
        while (!(LockSupport.getBlocker(task) instanceof ReceiveInbox)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(task + " never parked in a ReceiveInbox; blocked on " + LockSupport.getBlocker(task));
            }
            Thread.sleep(1);
        }
        return (ReceiveInbox) LockSupport.getBlocker(task);
    }

    private static InboxState stateOf(ReceiveInbox inbox) {
        synchronized (inbox) { // one consistent look: the accessors take the same monitor
            return new InboxState(inbox.buffered(), inbox.armedWorker(), inbox.endOfStream(), inbox.isInputShut());
        }
    }

    private static InboxState awaitInbox(ReceiveInbox inbox, Predicate<InboxState> condition, String what)
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
    private static InboxState awaitStall(ReceiveInbox inbox, AtomicLong accepted, long total) throws InterruptedException {
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

    // ---------------------------------------------------------------- the byte pattern

    /** Byte {@code position} of every test stream: one splitmix64 value per 8 bytes. */
    static byte patternAt(long position) {
        long z = (position >>> 3) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (byte) (z >>> ((position & 7) << 3));
    }

    static void checkPattern(byte[] bytes, int count, long position) {
        for (int i = 0; i < count; i++) {
            if (bytes[i] != patternAt(position + i)) {
                throw new AssertionError("stream byte " + (position + i) + " is " + bytes[i] + ", expected "
                        + patternAt(position + i));
            }
        }
    }

    /** The peer writes stream bytes [from, from + length) in pieces of 1 to {@code maxPiece}; progress after each. */
    static void peerWrites(Socket peer, long from, long length, int maxPiece, long seed, AtomicLong progress)
            throws IOException {
        OutputStream out = peer.getOutputStream();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] piece = new byte[maxPiece];
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(length - done, 1 + random.nextInt(maxPiece));
            for (int i = 0; i < n; i++) {
                piece[i] = patternAt(from + done + i);
            }
            out.write(piece, 0, n);
            done += n;
            if (progress != null) {
                progress.set(done);
            }
        }
    }

    static void peerWrites(Socket peer, long from, long length, int maxPiece, long seed) throws IOException {
        peerWrites(peer, from, length, maxPiece, seed, null);
    }

    /** {@link #peerWrites} on a platform thread, then a FIN if {@code fin}. */
    static CompletableFuture<Void> peerWriter(Socket peer, long from, long length, int maxPiece, long seed,
                                              AtomicLong progress, boolean fin) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name("peer-writer").daemon().start(() -> {
            try {
                peerWrites(peer, from, length, maxPiece, seed, progress);
                if (fin) {
                    peer.shutdownOutput();
                }
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** In a task: reads exactly {@code length} bytes in reads of 1 to {@code maxRead}, checking each. */
    static Void readsPattern(TcpStream stream, long from, long length, int maxRead, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[maxRead];
        long got = 0;
        while (got < length) {
            int n = stream.read(buffer, 0, (int) Math.min(length - got, 1 + random.nextInt(maxRead)));
            if (n < 0) {
                throw new AssertionError("end of stream at byte " + (from + got) + ", " + (length - got) + " more expected");
            }
            checkPattern(buffer, n, from + got);
            got += n;
        }
        return null;
    }

    /** In a task: one read of up to {@code maxRead} bytes, checked; returns the count (never -1 here). */
    static int readsSomePattern(TcpStream stream, long from, int maxRead) throws IOException {
        byte[] buffer = new byte[maxRead];
        int n = stream.read(buffer, 0, maxRead);
        if (n < 0) {
            throw new AssertionError("end of stream at byte " + from);
        }
        checkPattern(buffer, n, from);
        return n;
    }

    /**
     * Whether stream bytes [0, total) are an interleaving of {@code a} and {@code b}, each in its
     * reader's order: every byte handed out exactly once, in arrival order. Depth-first over the
     * pairs (reads of a taken, reads of b taken), each visited once; the position is the sum of
     * their lengths, and the pattern leaves almost no choice to explore.
     */
    static boolean interleaves(List<byte[]> a, List<byte[]> b, long total) {
        long[] endA = prefixLengths(a);
        long[] endB = prefixLengths(b);
        Set<Long> seen = new HashSet<>();
        ArrayDeque<int[]> pending = new ArrayDeque<>();
        pending.push(new int[] {0, 0});
        while (!pending.isEmpty()) {
            int[] at = pending.pop();
            int i = at[0];
            int j = at[1];
            long position = endA[i] + endB[j];
            if (i == a.size() && j == b.size()) {
                if (position == total) {
                    return true;
                }
                continue;
            }
            if (!seen.add(((long) i << 32) | j)) {
                continue;
            }
            if (i < a.size() && matches(a.get(i), position, total)) {
                pending.push(new int[] {i + 1, j});
            }
            if (j < b.size() && matches(b.get(j), position, total)) {
                pending.push(new int[] {i, j + 1});
            }
        }
        return false;
    }

    private static long[] prefixLengths(List<byte[]> chunks) {
        long[] ends = new long[chunks.size() + 1];
        for (int k = 0; k < chunks.size(); k++) {
            ends[k + 1] = ends[k] + chunks.get(k).length;
        }
        return ends;
    }

    private static boolean matches(byte[] chunk, long position, long total) {
        if (position + chunk.length > total) {
            return false;
        }
        for (int k = 0; k < chunk.length; k++) {
            if (chunk[k] != patternAt(position + k)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- descriptors

    /** Open descriptors, without class-path jars the JVM opens lazily. */
    private static Set<String> openFds() {
        Set<String> fds = TestSupport.openFds();
        fds.removeIf(line -> line.contains(".jar"));
        return fds;
    }

    private static Set<String> leakedSince(Set<String> before) {
        Set<String> now = openFds();
        now.removeAll(before);
        return now;
    }
}
