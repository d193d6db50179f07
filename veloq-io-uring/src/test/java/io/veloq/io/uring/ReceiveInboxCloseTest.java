package io.veloq.io.uring;

import static io.veloq.io.uring.StreamPattern.checkPattern;
import static io.veloq.io.uring.StreamPattern.peerWriter;
import static io.veloq.io.uring.StreamPattern.peerWrites;
import static io.veloq.io.uring.StreamPattern.readsPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a stream while its inbox is in use: waiting readers on either worker woken with
 * {@code AsynchronousCloseException}, closes with bytes waiting or the RECV stopped, closes racing
 * reads, many streams closed with their RECVs armed, interrupted readers (which close the stream
 * for every reader), and a runtime that stops under an armed RECV. Each test also checks that
 * the peer sees the descriptor closed. The runtime and the leak checks: {@link ReceiveInboxFixture}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiveInboxCloseTest extends ReceiveInboxFixture {

    // ---------------------------------------------------------------- close and interrupts

    @Test
    void closeWakesEveryWaitingReaderWithAsynchronousCloseException() throws Exception {
        Set<String> beforeConnect = openFds();
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        Started<Integer> onWorker1 = startOn(1, () -> p.stream().read(new byte[8], 0, 8));
        Started<Integer> onWorker0 = startOn(0, () -> p.stream().read(new byte[8], 0, 8));
        parkedIn(onWorker1.thread());
        parkedIn(onWorker0.thread());
        assertEquals(0, stateOf(inbox).armedOn());
        runtime.spawnOn(1, () -> {
            p.stream().close(); // from a third task, on the worker whose ring does not hold the RECV
            return null;
        }).join();
        assertEquals(AsynchronousCloseException.class, failureOf(onWorker1.handle()).getClass());
        assertEquals(AsynchronousCloseException.class, failureOf(onWorker0.handle()).getClass());
        Throwable later = assertThrows(TaskFailedException.class,
                () -> runtime.spawnOn(0, () -> p.stream().read(new byte[8], 0, 8)).join()).getCause();
        reports.joined(later);
        assertEquals(ClosedChannelException.class, later.getClass(), "a read that starts after the close");
        assertEquals(-1, p.peer().getInputStream().read(), "the peer sees the descriptor closed");
        p.peer().close();
        assertEquals(Set.of(), leakedSince(beforeConnect), "descriptors left after the close");
        assertFalse(stateOf(inbox).armed());
    }

    @Test
    void closeWhileBytesWaitAndNobodyReadsReleasesTheDescriptor() throws Exception {
        Set<String> beforeConnect = openFds();
        Pair armed = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(armed, 0);
        peerWrites(armed.peer(), 1, 5000, 5000, 80);
        awaitInbox(inbox, s -> s.buffered() == 5000 && s.armed(), "5000 B buffered, the RECV armed");
        armed.stream().close(); // from the test thread: any thread may close
        assertEquals(-1, armed.peer().getInputStream().read(), "the peer sees the descriptor closed");
        armed.peer().close();
        assertEquals(Set.of(), leakedSince(beforeConnect), "descriptors left after closing with the RECV armed");

        Pair stopped = connect(1);
        ReceiveInbox second = armedByAOneByteRead(stopped, 1);
        CompletableFuture<Void> writer = peerWriter(stopped.peer(), 1, 300_000, 16 * 1024, 81, null, false);
        awaitInbox(second, s -> !s.armed() && s.buffered() >= ReceiveInbox.MAX_BUFFERED, "the RECV stopped, full");
        runtime.spawnOn(0, () -> {
            stopped.stream().close(); // nothing inside the gate any more: released at once
            return null;
        }).join();
        peerSeesClose(stopped.peer(), true);
        writer.handle((done, failure) -> null).get(GUARD_NANOS, TimeUnit.NANOSECONDS); // finished or refused
        stopped.peer().close();
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
                peerWrites(p.peer(), 0, 100, 100, i);
            }
            int yields = random.nextInt(4);
            JoinHandle<byte[]> reader = runtime.spawnOn(random.nextInt(2), () -> {
                byte[] buffer = new byte[8];
                return Arrays.copyOf(buffer, p.stream().read(buffer, 0, 8));
            });
            runtime.spawnOn(random.nextInt(2), () -> {
                for (int y = 0; y < yields; y++) {
                    Thread.yield();
                }
                p.stream().close();
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
            peerSeesClose(p.peer(), true);
            p.peer().close();
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
            peerWrites(p.peer(), 0, 1, 1, i);
            runtime.spawnOn(i % 2, () -> readsPattern(p.stream(), 0, 1, 1, 1)).join(); // leaves a RECV armed
            peerWrites(p.peer(), 1, 10, 10, i); // and ten bytes waiting for nobody
            pairs.add(p);
        }
        for (Pair p : pairs) {
            p.stream().close();
        }
        for (Pair p : pairs) {
            peerSeesClose(p.peer(), true); // the ten bytes may not have left the socket before the cancel
            p.peer().close();
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
                return p.stream().read(new byte[8], 0, 8);
            } catch (Exception e) {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                cancelledSaw.complete(e);
                throw e;
            }
        });
        Started<Integer> other = startOn(0, () -> p.stream().read(new byte[8], 0, 8));
        parkedIn(cancelled.thread());
        parkedIn(other.thread());
        assertTrue(cancelled.handle().cancel(true));
        assertThrows(CancellationException.class, cancelled.handle()::join);
        assertEquals(ClosedByInterruptException.class, cancelledSaw.get(GUARD_NANOS, TimeUnit.NANOSECONDS).getClass());
        assertTrue(stillInterrupted.get(), "the interrupt status stays set, as with the JDK's channels");
        assertFalse(p.stream().isOpen(), "an interrupted read closes the stream");
        assertEquals(AsynchronousCloseException.class, failureOf(other.handle()).getClass());
        assertEquals(-1, p.peer().getInputStream().read(), "the peer sees the descriptor closed");
        p.peer().close();
        assertEquals(Set.of(), leakedSince(beforeConnect));
    }

    @Test
    void aReadWithTheInterruptStatusSetClosesTheStreamEvenWithBytesWaiting() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer(), 1, 100, 100, 90);
        awaitInbox(inbox, s -> s.buffered() == 100, "100 B buffered");
        boolean interruptKept = runtime.spawnOn(1, () -> {
            Thread.currentThread().interrupt();
            assertThrows(ClosedByInterruptException.class, () -> p.stream().read(new byte[200], 0, 200));
            return Thread.interrupted();
        }).join();
        assertTrue(interruptKept, "the interrupt status stays set, as with the JDK's channels");
        assertFalse(p.stream().isOpen());
        assertEquals(-1, p.peer().getInputStream().read(), "the peer sees the descriptor closed");
        p.peer().close();
    }

    @Test
    void aRuntimeThatStopsWithAReceiveArmedLeavesTheStreamToItsOwner() throws Exception {
        Pair p = connect(0);
        ReceiveInbox inbox = armedByAOneByteRead(p, 0);
        peerWrites(p.peer(), 1, 100, 100, 100);
        awaitInbox(inbox, s -> s.buffered() == 100, "100 B buffered");
        stopRuntime(); // the worker's driver closes under the armed RECV
        assertEquals(new InboxState(100, -1, false, false), stateOf(inbox),
                "the driver's close ended the RECV: no end of stream, the bytes kept");
        assertTrue(p.stream().isOpen());
        p.stream().close(); // outside any runtime: close(2)
        assertEquals(-1, p.peer().getInputStream().read(), "the peer sees the descriptor closed");
        p.peer().close();
    }
}
