package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.join.JoinHandle;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** JDK blocking APIs inside tasks: they park the task, never the worker. */
@Timeout(60)
class JdkIntegrationTest {

    private static Runtime rt;

    @BeforeAll
    static void start() {
        rt = Runtime.builder().workers(2).build();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    @Test
    void threadSleepParksTheTaskOnly() throws Exception {
        // One worker: a sleeping task must not stop another task on the same worker.
        try (Runtime one = Runtime.builder().workers(1).build()) {
            AtomicReference<Thread> sleeperThread = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(1);
            JoinHandle<String> sleeper = one.spawn(() -> {
                sleeperThread.set(Thread.currentThread());
                started.countDown();
                try {
                    Thread.sleep(60_000); // far longer than the test: only the interrupt below ends it
                    return "slept";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            TestSupport.awaitParkedIn(sleeperThread.get(), "Thread.sleep");
            assertEquals("ran", one.spawn(() -> "ran").join());
            assertFalse(sleeper.isDone(), "the sleeper ended before it was interrupted");
            sleeperThread.get().interrupt();
            assertEquals("interrupted", sleeper.join());
            // and a timed sleep ends by itself, no earlier than asked
            long slept = one.spawn(() -> {
                long t0 = System.nanoTime();
                Thread.sleep(50);
                return System.nanoTime() - t0;
            }).join();
            assertTrue(slept >= TimeUnit.MILLISECONDS.toNanos(50), "slept " + slept + " ns");
        }
    }

    @Test
    void reentrantLockAndConditionHandOffBetweenTasks() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        Condition changed = lock.newCondition();
        int[] turn = {0};
        int rounds = 500;
        List<JoinHandle<Void>> players = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int me = p;
            players.add(rt.spawn(() -> {
                for (int i = 0; i < rounds; i++) {
                    lock.lock();
                    try {
                        while (turn[0] % 2 != me) {
                            changed.await();
                        }
                        turn[0]++;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
                return null;
            }));
        }
        for (var p : players) {
            p.join();
        }
        assertEquals(2 * rounds, turn[0]);
    }

    @Test
    void synchronizedWaitAndNotifyWorkAcrossTasks() throws Exception {
        Object monitor = new Object();
        int[] counter = {0};
        List<JoinHandle<Void>> handles = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            handles.add(rt.spawn(() -> {
                for (int i = 0; i < 1000; i++) {
                    synchronized (monitor) {
                        counter[0]++;
                    }
                }
                return null;
            }));
        }
        JoinHandle<Integer> waiter = rt.spawn(() -> {
            synchronized (monitor) {
                while (counter[0] < 8000) {
                    monitor.wait(10);
                }
                return counter[0];
            }
        });
        for (var h : handles) {
            h.join();
        }
        synchronized (monitor) {
            monitor.notifyAll();
        }
        assertEquals(8000, waiter.join());
    }

    @Test
    void blockingQueueProducerAndConsumerTasks() throws Exception {
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(4); // small: both sides block often
        int n = 5000;
        JoinHandle<Long> consumer = rt.spawn(() -> {
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += queue.take();
            }
            return sum;
        });
        JoinHandle<Void> producer = rt.spawn(() -> {
            for (int i = 0; i < n; i++) {
                queue.put(i);
            }
            return null;
        });
        producer.join();
        assertEquals((long) n * (n - 1) / 2, consumer.join());
    }

    /**
     * The JDK-poller pitfall: a blocking socket read inside a task parks the task (the JDK's
     * pollers, which must not live on a worker, resume it) while another task on the same, only,
     * worker keeps running.
     */
    @Test
    void blockingSocketReadDoesNotStallTheWorker() throws Exception {
        try (Runtime one = Runtime.builder().workers(1).build();
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch reading = new CountDownLatch(1);
            AtomicReference<Thread> readerThread = new AtomicReference<>();
            JoinHandle<Integer> reader = one.spawn(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    InputStream in = socket.getInputStream();
                    readerThread.set(Thread.currentThread());
                    reading.countDown();
                    return in.read(); // blocks until the server writes
                }
            });
            try (Socket accepted = server.accept()) {
                assertTrue(reading.await(10, TimeUnit.SECONDS));
                // the reader must be parked in read() before the other task runs, or the check is void
                TestSupport.awaitParkedIn(readerThread.get(), "SocketInputStream.read");
                int ticks = one.spawn(() -> {
                    int n = 0;
                    for (int i = 0; i < 100; i++) {
                        Thread.sleep(1);
                        n++;
                    }
                    return n;
                }).join();
                assertEquals(100, ticks, "the worker kept running other tasks");
                assertFalse(reader.isDone(), "nothing was written yet");
                OutputStream out = accepted.getOutputStream();
                out.write(42);
                out.flush();
                assertEquals(42, reader.join());
            }
            // The JDK's sub-pollers are not on a Veloq worker: they were started on a platform thread.
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().contains("SubPoller") && t.getName().startsWith("veloq")));
        }
    }

    @Test
    void virtualThreadsStartedInsideATaskInheritTheWorker() throws Exception {
        int[] workers = rt.spawnOn(1, () -> {
            int[] seen = new int[2];
            seen[0] = RuntimeContext.current().workerIndex();
            Thread child = Thread.ofVirtual().start(() -> seen[1] = RuntimeContext.current().workerIndex());
            child.join();
            return seen;
        }).join();
        assertEquals(1, workers[0]);
        assertEquals(1, workers[1]);
    }
}
