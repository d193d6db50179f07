package io.veloq.io.uring;

import static io.veloq.io.uring.StreamPattern.checkPattern;
import static io.veloq.io.uring.StreamPattern.peerWrites;
import static io.veloq.io.uring.StreamPattern.readsPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.net.TcpStream;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How reads end when the stream does: the peer's FIN after data, a reset after data, and
 * {@code shutdownInput}, each on the multishot RECV and on the RECV-per-read path, which must
 * tell the same story; and the receive-buffer setting that chooses between the two paths. The
 * runtime and the leak checks: {@link ReceiveInboxFixture}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveInboxEndTest extends ReceiveInboxFixture {

    // ---------------------------------------------------------------- ends: EOF, reset, shutdownInput

    @Test
    void endOfStreamAfterDataIsTheDataThenMinusOneForEveryReader() throws Exception {
        Pair armed = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(armed, 0);
        peerWrites(armed.peer(), 1, 3000, 1000, 50);
        armed.peer().shutdownOutput(); // the FIN reaches an armed RECV
        awaitInbox(inbox, s -> s.endOfStream(), "end of stream");
        runtime.spawnOn(0, () -> readsPattern(armed.stream(), 1, 3000, 3000, 51)).join();
        expectEndOfStream(armed.stream());
        assertEquals(new InboxState(0, -1, true, false), stateOf(inbox));
        closeAndCheck(armed, false);

        Pair early = connect(1);
        peerWrites(early.peer(), 0, 3000, 1000, 52);
        early.peer().shutdownOutput(); // data and FIN are in the socket before anyone reads
        runtime.spawnOn(1, () -> readsPattern(early.stream(), 0, 3000, 500, 53)).join();
        expectEndOfStream(early.stream());
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
        restart(ARMED.withReceiveBuffers(0, 4096));
        List<String> recvPerRead = resetSequence(false);
        assertEquals(List.of("300 B", "Connection reset", "-1", "-1"), multishot, "multishot RECV");
        assertEquals(recvPerRead, multishot, "both receive paths tell the same story");
    }

    /** 500 bytes, 200 of them read, then the peer resets: what the next reads return. */
    private List<String> resetSequence(boolean multishot) throws Exception {
        Pair p = connect(0);
        Started<Void> reader = startOn(0, () -> readsPattern(p.stream(), 0, 200, 200, 60));
        ReceiveInbox inbox = multishot ? parkedIn(reader.thread()) : null;
        peerWrites(p.peer(), 0, 500, 500, 61);
        reader.handle().join();
        p.peer().setSoLinger(true, 0);
        p.peer().close(); // RST, after the 500 bytes on the same loopback path
        if (multishot) {
            // Every arrival delivered and the RECV ended by the reset, so the next read sees all of it.
            awaitInbox(inbox, s -> !s.armed() && s.buffered() == 300, "the 300 B left buffered, the RECV ended");
        }
        List<String> seen = runtime.spawnOn(1, () -> {
            List<String> outcomes = new ArrayList<>();
            byte[] buffer = new byte[1000];
            int n = p.stream().read(buffer, 0, buffer.length);
            outcomes.add(n + " B");
            checkPattern(buffer, n, 200);
            try {
                outcomes.add(String.valueOf(p.stream().read(buffer, 0, buffer.length)));
            } catch (SocketException reset) {
                outcomes.add(reset.getMessage());
            }
            outcomes.add(String.valueOf(p.stream().read(buffer, 0, buffer.length)));
            outcomes.add(String.valueOf(p.stream().read(buffer, 0, buffer.length)));
            return outcomes;
        }).join();
        p.stream().close();
        return seen;
    }

    @Test
    void shutdownInputDiscardsWhatWaitsAndEndsEveryRead() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer(), 1, 10_000, 2000, 70);
        awaitInbox(inbox, s -> s.buffered() == 10_000, "10000 B buffered");
        runtime.spawnOn(1, () -> {
            p.stream().shutdownInput();
            return null;
        }).join();
        assertEquals(0, stateOf(inbox).buffered(), "shutdownInput discards what was buffered");
        assertTrue(stateOf(inbox).inputShut());
        expectEndOfStream(p.stream());
        peerWrites(p.peer(), 10_001, 1000, 1000, 71); // arrivals after the shutdown are not delivered either
        expectEndOfStream(p.stream());
        closeAndCheck(p, true);

        // A reader already waiting when another task shuts input down is woken with -1.
        Pair q = connect(1);
        Started<Integer> waiting = startOn(1, () -> q.stream().read(new byte[8], 0, 8));
        parkedIn(waiting.thread());
        runtime.spawnOn(0, () -> {
            q.stream().shutdownInput();
            return null;
        }).join();
        assertEquals(-1, waiting.handle().join());
        closeAndCheck(q, true);
    }

    @Test
    void shutdownInputEndsReadsAtOnceOnBothReceivePaths() throws Exception {
        List<String> multishot = shutdownInputSequence();
        restart(ARMED.withReceiveBuffers(0, 4096));
        List<String> recvPerRead = shutdownInputSequence();
        List<String> jdk = List.of("1 B", "-1", "-1", "-1"); // SocketChannel: -1 at once, whatever the socket holds
        assertEquals(jdk, multishot, "multishot RECV");
        assertEquals(jdk, recvPerRead, "a RECV per read");
    }

    /** The peer writes 10000 bytes; one is read, input is shut down, the peer writes more: what reads return. */
    private List<String> shutdownInputSequence() throws Exception {
        Pair p = connect(0);
        peerWrites(p.peer(), 0, 10_000, 10_000, 72);
        List<String> seen = runtime.spawnOn(0, () -> {
            List<String> outcomes = new ArrayList<>();
            byte[] buffer = new byte[1000];
            outcomes.add(p.stream().read(buffer, 0, 1) + " B");
            p.stream().shutdownInput();
            outcomes.add(String.valueOf(p.stream().read(buffer, 0, buffer.length)));
            outcomes.add(String.valueOf(p.stream().read(buffer, 0, buffer.length)));
            return outcomes;
        }).join();
        peerWrites(p.peer(), 10_000, 1000, 1000, 73);
        seen.add(String.valueOf(runtime.spawnOn(1, () -> p.stream().read(new byte[1000], 0, 1000)).join()));
        closeAndCheck(p, true);
        return seen;
    }

    // ---------------------------------------------------------------- configuration

    @Test
    void theReceiveBufferSettingChoosesThePath() throws Exception {
        for (int w = 0; w < 2; w++) {
            String description = runtime.spawnOn(w, () -> IoUringDriver.current().description()).join();
            assertTrue(description.contains("multishot RECV, provided buffers 256 x 4096 B"), description);
        }
        restart(ARMED.withReceiveBuffers(0, 4096));
        for (int w = 0; w < 2; w++) {
            assertFalse(runtime.spawnOn(w, () -> IoUringDriver.current().receivesMultishot()).join());
        }
        Pair p = connect(0);
        peerWrites(p.peer(), 0, 5000, 1000, 120);
        runtime.spawnOn(1, () -> readsPattern(p.stream(), 0, 5000, 999, 121)).join();
        closeAndCheck(p, false);
        assertThrows(IllegalArgumentException.class, () -> IoUringConfig.defaults().withReceiveBuffers(3, 4096));
        assertThrows(IllegalArgumentException.class, () -> IoUringConfig.defaults().withReceiveBuffers(2, 63));
    }
}
