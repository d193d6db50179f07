package io.veloq.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.join.JoinHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The idle path of {@code WorkerLoop} (package documentation of {@code io.veloq.core.sched}, "The
 * worker round" and "Sleep and wake") under the hand-off pattern of the mesh_pingpong benchmark:
 * two home-bound tasks on different workers answering each other with park/unpark, with random
 * pauses so that each hand-off finds its target worker running, spinning idle, re-checking before
 * sleep or parked in its driver. What must hold, whatever {@code idleSpinRounds} is: every hand-off
 * runs (invariant 4), and due timers run both while a worker spins for ever and right after it
 * sleeps. A violation shows up as a hang, caught by the timeouts. (A variant of the idle loop that
 * polled only the inbound queues between full rounds failed here when it did not make the first
 * round after a sleep a full one: a worker woken for a due timer never ran it.)
 */
@Timeout(60)
class IdleSpinTest {

    /** Spin counts from none (sleep at once) to a spin that outlasts the test. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7, 8, 9, 64, 1 << 20})
    void pingPongThroughTheMeshWithPausesAndTimersOnBothSides(int spinRounds) throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).idleSpinRounds(spinRounds).build()) {
            PingPong game = new PingPong();
            JoinHandle<Integer> echo = rt.spawnOn(1, game::echo);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300L * TestSupport.stressSeconds());
            int rounds = rt.spawnOn(0, () -> game.ping(deadline)).get(60, TimeUnit.SECONDS);
            assertTrue(rounds > 0);
            assertEquals(rounds, echo.get(60, TimeUnit.SECONDS), "every ping was answered exactly once");
        }
    }

    /** Never sleeping: timers and mesh deliveries are served by the full rounds of a long spin. */
    @Test
    void timersRunWhileBothWorkersSpinWithoutSleeping() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).idleSpinRounds(1 << 30).build()) {
            AtomicInteger woke = new AtomicInteger();
            JoinHandle<?> a = rt.spawnOn(0, () -> sleepTimes(200, woke));
            JoinHandle<?> b = rt.spawnOn(1, () -> sleepTimes(200, woke));
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
            assertEquals(400, woke.get());
            // a cross-worker hand-off while both spin
            assertEquals(1, rt.spawnOn(0, () -> rt.spawnOn(1, () -> RuntimeContext.current().workerIndex()).join())
                    .get(10, TimeUnit.SECONDS));
        }
    }

    private static void sleepTimes(int n, AtomicInteger woke) {
        for (int i = 0; i < n; i++) {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(1_000, 200_000)); // a timer of this worker
            woke.incrementAndGet();
        }
    }

    /**
     * Two home-bound tasks on different workers answering each other with park/unpark (the shape
     * of the mesh_pingpong benchmark), each pausing at random — a spin on the spot, a timed park
     * (a timer), or nothing — so each hand-off finds its target in a different phase of its loop.
     * Threading: {@link #ping} is written by the pinger, read by the echo; {@link #pong} the other
     * way round; the threads are published before the first ping.
     */
    private static final class PingPong {
        private static final int STOP = -1;
        private volatile int ping;
        private volatile int pong;
        private volatile Thread pinger;
        private volatile Thread echoThread;

        int echo() {
            echoThread = Thread.currentThread();
            int seen = 0;
            int answered = 0;
            while (true) {
                int received;
                while ((received = ping) == seen) {
                    LockSupport.park(this);
                }
                if (received == STOP) {
                    return answered;
                }
                seen = received;
                pause();
                pong = received;
                answered++;
                LockSupport.unpark(pinger);
            }
        }

        int ping(long deadline) {
            pinger = Thread.currentThread();
            while (echoThread == null) {
                Thread.yield();
            }
            Thread receiver = echoThread;
            int sent = 0;
            while (System.nanoTime() < deadline) {
                int message = ++sent;
                ping = message;
                LockSupport.unpark(receiver);
                while (pong != message) {
                    LockSupport.park(this);
                }
                pause();
            }
            ping = STOP;
            LockSupport.unpark(receiver);
            return sent;
        }

        private static void pause() {
            int r = ThreadLocalRandom.current().nextInt(8);
            if (r == 0) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(1_000, 100_000));
            } else if (r == 1) {
                long until = System.nanoTime() + ThreadLocalRandom.current().nextInt(2_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
