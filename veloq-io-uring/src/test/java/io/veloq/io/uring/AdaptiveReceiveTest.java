package io.veloq.io.uring;

import static io.veloq.io.uring.StreamPattern.checkPattern;
import static io.veloq.io.uring.StreamPattern.peerWriter;
import static io.veloq.io.uring.StreamPattern.peerWrites;
import static io.veloq.io.uring.StreamPattern.readsPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.veloq.io.net.TcpStream;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ReceiveMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ReceiveMode#ADAPTIVE}, the default: a stream reads by a RECV each until a read fills
 * its buffer, then through the armed multishot RECV for good. What shows which path a read took
 * is where its task parks while no byte is there: in the driver's wait for its own RECV, or in
 * the stream's {@link ReceiveInbox}. Every byte is checked by stream position across the switch,
 * for heap and direct buffers and for readers on both workers. The runtime and the leak checks:
 * {@link ReceiveInboxFixture}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdaptiveReceiveTest extends ReceiveInboxFixture {

    private static final IoUringConfig ADAPTIVE = IoUringConfig.defaults();

    @Test
    void theDefaultIsAdaptive() {
        assertEquals(ReceiveMode.ADAPTIVE, IoUringConfig.defaults().receiveMode());
        assertThrows(NullPointerException.class, () -> IoUringConfig.defaults().withReceiveMode(null));
    }

    @Test
    void readsThatNeverFillTheirBufferStayOneRecvEach() throws Exception {
        restart(ADAPTIVE);
        Pair p = connect(0);
        long position = 0;
        for (int round = 0; round < 5; round++) {
            long from = position;
            Started<Integer> reader = startOn(round % 2, () -> readOnce(p.stream(), from, 4096));
            Object blocker = awaitBlocker(reader.thread());
            assertFalse(blocker instanceof ReceiveInbox, "round " + round + ": the read waits for a RECV of its own, "
                    + "not in the inbox; parked on " + blocker);
            peerWritesAtOnce(p, from, 100 + round);
            assertEquals(100 + round, reader.handle().join());
            position += 100 + round;
        }
        closeAndCheck(p, false);
    }

    @Test
    void aReadThatFillsItsBufferSwitchesTheStreamToTheArmedReceive() throws Exception {
        restart(ADAPTIVE);
        Pair p = connect(0);
        peerWrites(p.peer(), 0, 5000, 5000, 1);
        // 1024 of the 5000 waiting bytes: the buffer fills, by a RECV of its own.
        assertEquals(1024, runtime.spawnOn(0, () -> readOnce(p.stream(), 0, 1024)).join());
        // The rest from the other worker, through the inbox now, then a read that finds nothing.
        runtime.spawnOn(1, () -> readsPattern(p.stream(), 1024, 3976, 700, 2)).join();
        Started<Integer> waiting = startOn(1, () -> readOnce(p.stream(), 5000, 4096));
        ReceiveInbox inbox = parkedIn(waiting.thread());
        assertEquals(new InboxState(0, 1, false, false), stateOf(inbox), "armed by the reader on worker 1");
        peerWritesAtOnce(p, 5000, 300);
        assertEquals(300, waiting.handle().join());
        // For good: a later read into a large buffer waits in the inbox too.
        Started<Integer> later = startOn(0, () -> readOnce(p.stream(), 5300, 65536));
        assertEquals(inbox, parkedIn(later.thread()));
        peerWritesAtOnce(p, 5300, 10);
        assertEquals(10, later.handle().join());
        closeAndCheck(p, false);
    }

    @Test
    void armedModeArmsOnTheFirstReadWhateverItsSize() throws Exception {
        Pair p = connect(0); // the fixture's configuration: ReceiveMode.ARMED
        Started<Integer> reader = startOn(0, () -> readOnce(p.stream(), 0, 65536));
        ReceiveInbox inbox = parkedIn(reader.thread());
        assertEquals(new InboxState(0, 0, false, false), stateOf(inbox));
        peerWritesAtOnce(p, 0, 10);
        assertEquals(10, reader.handle().join());
        closeAndCheck(p, false);
    }

    @Test
    void everyByteOnceAndInOrderAcrossTheSwitch() throws Exception {
        restart(ADAPTIVE);
        long total = 2L << 20;
        for (boolean direct : new boolean[] {false, true}) {
            Pair p = connect(0);
            CompletableFuture<Void> writer = peerWriter(p.peer(), 0, total, 9000, 6, null, true);
            // Reads of 1 to 16 KiB from alternating workers: the early ones often find less than they ask
            // for, until one fills and the stream switches; the check is per byte, wherever it happens.
            long got = 0;
            for (int chunk = 0; got < total; chunk++) {
                long from = got;
                int length = (int) Math.min(total - got, 256 * 1024);
                runtime.spawnOn(chunk % 2, () -> direct
                        ? readsPatternDirect(p.stream(), from, length, 16 * 1024, 7 + from)
                        : readsPattern(p.stream(), from, length, 16 * 1024, 7 + from)).join();
                got += length;
            }
            writer.join();
            assertEquals(-1, runtime.spawnOn(1, () -> p.stream().read(new byte[16], 0, 16)).join(),
                    direct ? "direct buffers" : "heap buffers");
            closeAndCheck(p, false);
        }
    }

    @Test
    void aSendWhileInputWaitsInTheInboxEntersTheKernelAtOnce() throws Exception {
        restart(ADAPTIVE);
        Pair p = connect(0);
        peerWritesAtOnce(p, 0, 3000);
        // A full read switches the stream; the next read arms the RECV, which brings the other 2000
        // bytes in one arrival (they wait in the socket), and takes 1000 of them: 1000 stay buffered.
        assertEquals(1000, runtime.spawnOn(0, () -> readOnce(p.stream(), 0, 1000)).join());
        runtime.spawnOn(0, () -> readsPattern(p.stream(), 1000, 1000, 1000, 7)).join();
        long before = eagerSubmissions(0);
        runtime.spawnOn(0, () -> writes(p.stream(), 1, 2, 3)).join();
        assertEquals(before + 1, eagerSubmissions(0), "input waiting: the send entered the kernel at once");
        // Nothing buffered any more: the send waits for the worker's round like any other operation.
        runtime.spawnOn(0, () -> readsPattern(p.stream(), 2000, 1000, 1000, 8)).join();
        long drained = eagerSubmissions(0);
        runtime.spawnOn(0, () -> writes(p.stream(), 4, 5)).join();
        assertEquals(drained, eagerSubmissions(0), "no input waiting: the send was batched");
        assertEquals(java.util.Arrays.toString(new byte[] {1, 2, 3, 4, 5}),
                java.util.Arrays.toString(p.peer().getInputStream().readNBytes(5)));
        closeAndCheck(p, false);
    }

    // ---------------------------------------------------------------- helpers

    /** The peer writes stream bytes [from, from + length) in one write: one segment on loopback, one arrival. */
    private static void peerWritesAtOnce(Pair p, long from, int length) throws IOException {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = StreamPattern.patternAt(from + i);
        }
        p.peer().getOutputStream().write(bytes);
    }

    private long eagerSubmissions(int worker) {
        return runtime.spawnOn(worker, () -> IoUringDriver.current().stats().eagerSubmissions()).join();
    }

    private static Void writes(TcpStream stream, int... values) throws IOException {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        stream.writeAll(bytes);
        return null;
    }

    /** In a task: one read of up to {@code max} bytes, checked as stream bytes from {@code from}. */
    private static int readOnce(TcpStream stream, long from, int max) throws IOException {
        byte[] buffer = new byte[max];
        int n = stream.read(buffer, 0, max);
        if (n < 0) {
            throw new AssertionError("end of stream at byte " + from);
        }
        checkPattern(buffer, n, from);
        return n;
    }

    /** {@link StreamPattern#readsPattern} through a direct buffer (the RECV lands in the caller's memory). */
    private static Void readsPatternDirect(TcpStream stream, long from, long length, int maxRead, long seed)
            throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        ByteBuffer buffer = ByteBuffer.allocateDirect(maxRead);
        byte[] copy = new byte[maxRead];
        long got = 0;
        while (got < length) {
            buffer.clear().limit((int) Math.min(length - got, 1 + random.nextInt(maxRead)));
            int n = stream.read(buffer);
            if (n < 0) {
                throw new AssertionError("end of stream at byte " + (from + got));
            }
            buffer.flip().get(copy, 0, n);
            checkPattern(copy, n, from + got);
            got += n;
        }
        return null;
    }
}
