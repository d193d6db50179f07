package io.veloq.io.uring;

import static io.veloq.io.uring.StreamPattern.interleaves;
import static io.veloq.io.uring.StreamPattern.peerWriter;
import static io.veloq.io.uring.StreamPattern.peerWrites;
import static io.veloq.io.uring.StreamPattern.readsPattern;
import static io.veloq.io.uring.StreamPattern.readsSomePattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.net.TcpStream;
import io.veloq.join.JoinHandle;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every byte once and in order, whatever the inbox does with it: bytes that arrive while nobody
 * reads wait in the inbox, its array wraps and grows, past {@code ReceiveInbox.MAX_BUFFERED} the
 * RECV stops and the rest stays in the socket; readers on the other worker, two readers sharing
 * a stream, and a worker with only two tiny provided buffers (the RECV keeps ending with
 * ENOBUFS). The runtime and the leak checks: {@link ReceiveInboxFixture}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveInboxOrderTest extends ReceiveInboxFixture {

    /** The default provided-buffer ring of a worker: what one drain can add past MAX_BUFFERED. */
    private static final long DEFAULT_RING_BYTES = 256L * 4096;

    // ---------------------------------------------------------------- buffering and order

    @Test
    void bytesThatArriveWhileNobodyReadsWaitAndComeOutInOrder() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer(), 1, 40_000, 5000, 2);
        InboxState waiting = awaitInbox(inbox, s -> s.buffered() == 40_000, "all 40000 B buffered");
        assertEquals(0, waiting.armedOn(), "nobody reads, the RECV stays armed on the worker that armed it");
        runtime.spawnOn(1, () -> readsPattern(p.stream(), 1, 40_000, 3000, 3)).join();
        assertEquals(new InboxState(0, 0, false, false), stateOf(inbox), "drained, the same RECV still armed");
        closeAndCheck(p, false);
    }

    @Test
    void theBufferWrapsGrowsAndStopsTheReceiveWithoutReordering() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer(), 1, 40_000, 4096, 4);
        awaitInbox(inbox, s -> s.buffered() == 40_000, "40000 B buffered");
        runtime.spawnOn(0, () -> readsPattern(p.stream(), 1, 30_000, 2000, 5)).join();
        assertEquals(10_000, stateOf(inbox).buffered());
        // 40000 more: the tail passes the end of the 64 KiB array and wraps to its start.
        peerWrites(p.peer(), 40_001, 40_000, 4096, 6);
        awaitInbox(inbox, s -> s.buffered() == 50_000, "50000 B buffered, wrapped");
        // 30000 more: the array grows with wrapped contents; past MAX_BUFFERED the RECV is stopped.
        peerWrites(p.peer(), 80_001, 30_000, 4096, 7);
        InboxState stopped = awaitInbox(inbox, s -> !s.armed() && s.buffered() >= ReceiveInbox.MAX_BUFFERED,
                "the RECV stopped with at least MAX_BUFFERED bytes waiting");
        assertTrue(stopped.buffered() <= 80_000, stopped::toString);
        // The rest of the 30000 stayed in the socket: the read that empties the inbox arms again.
        runtime.spawnOn(1, () -> readsPattern(p.stream(), 30_001, 80_000, 7000, 8)).join();
        peerWrites(p.peer(), 110_001, 1000, 300, 9);
        runtime.spawnOn(1, () -> readsPattern(p.stream(), 110_001, 1000, 1000, 10)).join();
        assertEquals(new InboxState(0, 1, false, false), stateOf(inbox), "armed again, by the reader on worker 1");
        closeAndCheck(p, false);
    }

    @Test
    void aReaderThatStopsLeavesTheRestInTheSocketNotInMemory() throws Exception {
        long total = 8L << 20;
        Pair p = connect(0);
        // Fixed socket buffers (no autotuning), so what the kernel may hold is known and small.
        int receiveBuffer = runtime.spawnOn(0, () -> {
            p.stream().setReceiveBufferSize(64 * 1024);
            return p.stream().receiveBufferSize();
        }).join();
        p.peer().setSendBufferSize(64 * 1024);
        int sendBuffer = p.peer().getSendBufferSize();
        CompletableFuture<Void> drain = new CompletableFuture<>();
        Started<Integer> reader = startOn(0, () -> {
            readsPattern(p.stream(), 0, 1, 1, 11);
            drain.join(); // stops reading until the test has seen the peer stall
            readsPattern(p.stream(), 1, total - 1, 64 * 1024, 12);
            return p.stream().read(new byte[1], 0, 1);
        });
        ReceiveInbox inbox = parkedIn(reader.thread());
        AtomicLong accepted = new AtomicLong();
        CompletableFuture<Void> writer = peerWriter(p.peer(), 0, total, 16 * 1024, 13, accepted, true);
        InboxState stalled = awaitStall(inbox, accepted, total);
        long held = accepted.get();
        long bound = ReceiveInbox.MAX_BUFFERED + DEFAULT_RING_BYTES + 2L * (receiveBuffer + sendBuffer);
        assertTrue(held < total && !writer.isDone(), () -> "the peer wrote all " + total + " B to a reader that stopped; "
                + "inbox " + stalled);
        assertTrue(held <= bound, () -> "the peer wrote " + held + " B to a reader that stopped; at most " + bound
                + " B fit in the inbox, the ring and the socket buffers (" + receiveBuffer + " + " + sendBuffer
                + "); inbox " + stalled);
        assertTrue(stalled.buffered() <= ReceiveInbox.MAX_BUFFERED + DEFAULT_RING_BYTES, stalled::toString);
        drain.complete(null);
        assertEquals(-1, reader.handle().join(), "every byte in order, then the peer's FIN");
        writer.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        assertEquals(total, accepted.get());
        closeAndCheck(p, false);
    }

    // ---------------------------------------------------------------- readers on several workers

    @Test
    void aReaderOnAnotherWorkerGetsTheFollowingBytesFromTheArmedReceive() throws Exception {
        Pair p = connect(0);
        Started<Void> first = startOn(0, () -> readsPattern(p.stream(), 0, 10_000, 1500, 20));
        ReceiveInbox inbox = parkedIn(first.thread());
        peerWrites(p.peer(), 0, 10_000, 3000, 21);
        first.handle().join();
        Started<Void> second = startOn(1, () -> readsPattern(p.stream(), 10_000, 20_000, 2500, 22));
        assertSame(inbox, parkedIn(second.thread()));
        assertEquals(0, stateOf(inbox).armedOn(), "worker 1's reader waits on the RECV worker 0's task armed");
        peerWrites(p.peer(), 10_000, 20_000, 700, 23);
        second.handle().join();
        // Bytes worker 0 delivered while nobody read, taken on worker 1, then more on worker 0.
        peerWrites(p.peer(), 30_000, 5000, 5000, 24);
        awaitInbox(inbox, s -> s.buffered() == 5000, "5000 B buffered");
        runtime.spawnOn(1, () -> readsPattern(p.stream(), 30_000, 5000, 5000, 25)).join();
        peerWrites(p.peer(), 35_000, 5000, 900, 26);
        runtime.spawnOn(0, () -> readsPattern(p.stream(), 35_000, 5000, 800, 27)).join();
        assertEquals(new InboxState(0, 0, false, false), stateOf(inbox));
        closeAndCheck(p, false);
    }

    @Test
    void twoReadersOnDifferentWorkersGetEveryByteExactlyOnce() throws Exception {
        twoReadersShareAStream(2L << 20);
    }

    @Test
    void twoReadersShareAStreamAcrossTheAdaptiveSwitch() throws Exception {
        restart(IoUringConfig.defaults()); // ReceiveMode.ADAPTIVE: RECVs per read from both workers, then the inbox
        twoReadersShareAStream(2L << 20);
    }

    @Test
    void twoReadersShareAStreamWhoseReceiveRunsOutOfBuffers() throws Exception {
        restart(ARMED.withReceiveBuffers(2, 64));
        twoReadersShareAStream(256L << 10);
    }

    /** Readers on workers 0 and 1 read one stream to its end; together they must hold it exactly once, each in order. */
    private void twoReadersShareAStream(long total) throws Exception {
        Pair p = connect(0);
        Started<List<byte[]>> a = chunkReader(0, p.stream(), 30);
        Started<List<byte[]>> b = chunkReader(1, p.stream(), 31);
        CompletableFuture<Void> writer = peerWriter(p.peer(), 0, total, 20_000, 32, null, true);
        List<byte[]> fromA = a.handle().join();
        List<byte[]> fromB = b.handle().join();
        writer.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        long received = fromA.stream().mapToLong(c -> c.length).sum() + fromB.stream().mapToLong(c -> c.length).sum();
        assertEquals(total, received, () -> "bytes handed out: " + received + " (reader 0: " + fromA.size()
                + " reads, reader 1: " + fromB.size() + " reads)");
        assertTrue(interleaves(fromA, fromB, total), "the two readers' reads are not the stream split in arrival order");
        closeAndCheck(p, false);
    }

    @Test
    void readsAlternatingBetweenWorkersWhileTheReceiveKeepsEndingStayInOrder() throws Exception {
        restart(ARMED.withReceiveBuffers(2, 64));
        long total = 256L << 10;
        Pair p = connect(0);
        CompletableFuture<Void> writer = peerWriter(p.peer(), 0, total, 3000, 40, null, true);
        long position = 0;
        for (int worker = 0; position < total; worker ^= 1) {
            long from = position;
            position += runtime.spawnOn(worker, () -> readsSomePattern(p.stream(), from, 2000)).join();
        }
        assertEquals(total, position);
        assertEquals(-1, runtime.spawnOn(1, () -> p.stream().read(new byte[1], 0, 1)).join());
        writer.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        closeAndCheck(p, false);
    }

    // ---------------------------------------------------------------- provided buffers

    @Test
    void twoTinyProvidedBuffersStillDeliverEveryByteInOrder() throws Exception {
        restart(ARMED.withReceiveBuffers(2, 64));
        assertTrue(runtime.spawnOn(1, () -> IoUringDriver.current().description()).join().contains("provided buffers 2 x 64 B"));
        long total = 1L << 20;
        Pair p = connect(1);
        Pair q = connect(1);
        // One stream alone, then two sharing worker 1's two buffers.
        CompletableFuture<Void> writer = peerWriter(p.peer(), 0, total, 50_000, 110, null, false);
        runtime.spawnOn(1, () -> readsPattern(p.stream(), 0, total, 8192, 111)).join();
        writer.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        long half = total / 2;
        CompletableFuture<Void> toP = peerWriter(p.peer(), total, half, 30_000, 112, null, true);
        CompletableFuture<Void> toQ = peerWriter(q.peer(), 0, half, 30_000, 113, null, true);
        JoinHandle<Void> readP = runtime.spawnOn(1, () -> readsPattern(p.stream(), total, half, 4096, 114));
        JoinHandle<Void> readQ = runtime.spawnOn(1, () -> readsPattern(q.stream(), 0, half, 4096, 115));
        readP.join();
        readQ.join();
        toP.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        toQ.get(GUARD_NANOS, TimeUnit.NANOSECONDS);
        assertEquals(-1, runtime.spawnOn(0, () -> p.stream().read(new byte[1], 0, 1)).join());
        assertEquals(-1, runtime.spawnOn(1, () -> q.stream().read(new byte[1], 0, 1)).join());
        closeAndCheck(p, false);
        closeAndCheck(q, false);
    }

    // ---------------------------------------------------------------- helpers

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
}
