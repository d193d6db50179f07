package io.veloq.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.net.TcpListener;
import io.veloq.io.net.TcpStream;
import io.veloq.io.net.UdpSocket;
import io.veloq.io.time.Time;
import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Operations in flight meet close, interrupts and runtime shutdown: every waiter ends, with the
 * JDK's exception, and nothing leaks (checked after each test by {@link IoContract}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class CancellationContract extends IoContract {

    static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    CancellationContract(Backend backend) {
        super(backend);
    }

    /** A connected pair: [0] client, [1] the accepted server side. */
    static TcpStream[] pair(TcpListener listener) throws Exception {
        TcpStream client = TcpStream.connect(listener.localAddress());
        return new TcpStream[] {client, listener.accept()};
    }

    @Test
    void closeEndsAPendingAcceptOnEitherWorker() throws Exception {
        inTask(() -> {
            for (int w = 0; w < runtime.workerCount(); w++) {
                TcpListener listener = TcpListener.bind(ANY);
                CompletableFuture<Void> accepting = new CompletableFuture<>();
                JoinHandle<TcpStream> acceptor = runtime.spawnOn(w, () -> {
                    accepting.complete(null);
                    return listener.accept();
                });
                accepting.join();
                Time.sleep(Duration.ofMillis(50)); // let it reach the kernel
                listener.close();
                assertInstanceOf(ClosedChannelException.class, failureOf(acceptor));
                assertFalse(listener.isOpen());
                listener.close();
            }
        });
    }

    @Test
    void closeEndsPendingReadsAndReceives() throws Exception {
        inTask(() -> {
            try (TcpListener listener = TcpListener.bind(ANY); UdpSocket udp = UdpSocket.bind(ANY)) {
                TcpStream[] streams = pair(listener);
                try (TcpStream server = streams[1]) {
                    TcpStream client = streams[0];
                    JoinHandle<Integer> reader = runtime.spawnOn(1, () -> client.read(ByteBuffer.allocate(8)));
                    JoinHandle<InetSocketAddress> receiver = runtime.spawnOn(0, () -> udp.receive(ByteBuffer.allocate(8)));
                    Time.sleep(Duration.ofMillis(50));
                    client.close();
                    udp.close();
                    assertInstanceOf(ClosedChannelException.class, failureOf(reader));
                    assertInstanceOf(ClosedChannelException.class, failureOf(receiver));
                    assertEquals(-1, server.read(ByteBuffer.allocate(1)), "the peer sees the close as end of stream");
                }
            }
        });
    }

    @Test
    void interruptCancelsTheBlockedOperationAndClosesTheSocket() throws Exception {
        inTask(() -> {
            try (TcpListener listener = TcpListener.bind(ANY)) {
                TcpStream[] streams = pair(listener);
                try (TcpStream server = streams[1]) {
                    TcpStream client = streams[0];
                    CompletableFuture<Thread> readerThread = new CompletableFuture<>();
                    JoinHandle<Integer> reader = runtime.spawn(() -> {
                        readerThread.complete(Thread.currentThread());
                        return client.read(ByteBuffer.allocateDirect(8));
                    });
                    Time.sleep(Duration.ofMillis(50));
                    readerThread.join().interrupt();
                    assertInstanceOf(ClosedByInterruptException.class, failureOf(reader));
                    assertFalse(client.isOpen(), "an interrupt closes the channel, as in the JDK");
                    assertThrows(ClosedChannelException.class, () -> client.write(ByteBuffer.allocate(1)));
                    client.close();
                }
                CompletableFuture<Thread> acceptorThread = new CompletableFuture<>();
                JoinHandle<TcpStream> acceptor = runtime.spawn(() -> {
                    acceptorThread.complete(Thread.currentThread());
                    return listener.accept();
                });
                Time.sleep(Duration.ofMillis(50));
                acceptorThread.join().interrupt();
                assertInstanceOf(ClosedByInterruptException.class, failureOf(acceptor));
                assertFalse(listener.isOpen());
            }
        });
    }

    @Test
    void shutdownNowEndsEveryWaiter() throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        List<JoinHandle<?>> waiters = call(() -> {
            TcpListener listener = TcpListener.bind(ANY);
            UdpSocket udp = UdpSocket.bind(ANY);
            TcpStream[] streams = pair(listener);
            resources.addAll(List.of(listener, udp, streams[0], streams[1]));
            List<JoinHandle<?>> handles = new ArrayList<>();
            handles.add(runtime.spawnOn(0, () -> listener.accept()));
            handles.add(runtime.spawnOn(1, () -> streams[0].read(ByteBuffer.allocate(8))));
            handles.add(runtime.spawnOn(0, () -> udp.receive(ByteBuffer.allocate(8))));
            handles.add(runtime.spawnOn(1, () -> {
                Time.sleep(Duration.ofSeconds(30));
                return null;
            }));
            Time.sleep(Duration.ofMillis(50));
            return handles;
        });
        runtime.shutdownNow();
        assertTrue(runtime.awaitTermination(20, TimeUnit.SECONDS), () -> runtime.dumpTasks());
        for (JoinHandle<?> waiter : waiters) {
            assertTrue(waiter.isDone());
            if (!waiter.isCancelled()) { // a waiter already running is interrupted and fails; a queued one is cancelled
                Throwable failure = failureOf(waiter);
                assertTrue(failure instanceof AsynchronousCloseException || failure instanceof InterruptedException,
                        () -> "a waiter ended by shutdownNow failed with " + failure);
            }
        }
        for (AutoCloseable r : resources) {
            r.close(); // from the test thread: any thread may close; the interrupted ones are closed already
        }
    }

    @Test
    void interruptsRacingCompletionsNeverHangOrLeak() throws Exception {
        inTask(() -> {
            SplittableRandom random = new SplittableRandom(5);
            int completed = 0;
            int interrupted = 0;
            try (TcpListener listener = TcpListener.bind(ANY)) {
                for (int i = 0; i < 150; i++) {
                    TcpStream[] streams = pair(listener);
                    try (TcpStream client = streams[0]; TcpStream server = streams[1]) {
                        CompletableFuture<Thread> thread = new CompletableFuture<>();
                        JoinHandle<Integer> reader = runtime.spawnOn(i % 2, () -> {
                            thread.complete(Thread.currentThread());
                            return client.read(ByteBuffer.allocate(4));
                        });
                        Thread readerThread = thread.join();
                        if (random.nextBoolean()) {
                            server.writeAll(new byte[] {1});
                            readerThread.interrupt();
                        } else {
                            readerThread.interrupt();
                            server.writeAll(new byte[] {1});
                        }
                        try {
                            assertEquals(1, reader.join());
                            completed++;
                        } catch (TaskFailedException e) {
                            assertInstanceOf(ClosedByInterruptException.class, e.getCause());
                            reports.joined(e.getCause()); // failed before the join: also reported, expectedly
                            interrupted++;
                        }
                    }
                }
            }
            assertEquals(150, completed + interrupted);
        });
    }

    @Test
    void timeoutsRacingCompletionsNeverHangOrLeak() throws Exception {
        inTask(() -> {
            int inTime = 0;
            int late = 0;
            try (TcpListener listener = TcpListener.bind(ANY)) {
                for (int i = 0; i < 100; i++) {
                    TcpStream[] streams = pair(listener);
                    try (TcpStream client = streams[0]; TcpStream server = streams[1]) {
                        int delayMicros = (i * 37) % 3000;
                        JoinHandle<Void> writer = runtime.spawnOn((i + 1) % 2, () -> {
                            Time.sleep(Duration.ofNanos(delayMicros * 1000L));
                            server.writeAll(new byte[] {2});
                            return null;
                        });
                        try {
                            int n = Time.timeout(Duration.ofMillis(1), () -> client.read(ByteBuffer.allocate(4)));
                            assertEquals(1, n);
                            inTime++;
                        } catch (TimeoutException e) {
                            assertInstanceOf(ClosedByInterruptException.class, e.getCause());
                            assertFalse(client.isOpen());
                            late++;
                        }
                        assertFalse(Thread.currentThread().isInterrupted());
                        writer.join();
                    }
                }
            }
            assertEquals(100, inTime + late);
        });
    }
}
