package io.veloq.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.buffer.ExhaustionPolicy;
import io.veloq.uring.ring.RingOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * park/wake: a wake-up before park makes it return at once; wake-ups from other threads (eventfd)
 * and from other workers (MSG_RING) are never lost. A lost wake-up shows as a park that never
 * returns, which the timeout turns into a failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WakeTest {

    private static final IoUringConfig CONFIG = IoUringConfig.defaults()
            .withBufferPool(new BufferPoolConfig(4096, 0, ExhaustionPolicy.FALLBACK));
    private static final int ROUNDS = Integer.getInteger("veloq.stress.wakes", 20_000);

    @BeforeEach
    void requireIoUring() {
        TestSupport.assumeIoUring();
    }

    @Test
    void aWakeBeforeParkMakesItReturnAtOnce() throws Exception {
        try (IoUringDriver driver = IoUringDriver.open(0, CONFIG)) {
            for (int i = 0; i < 100; i++) {
                driver.wake();
                driver.wake(); // idempotent
                driver.park(Long.MAX_VALUE);
            }
            assertTrue(driver.stats().eventfdWakeups() > 0);
        }
    }

    @Test
    void parkReturnsAtItsDeadlineWithAndWithoutExtArg() throws Exception {
        for (IoUringConfig config : new IoUringConfig[] {CONFIG,
                CONFIG.withRing(RingOptions.of(8).withExtArg(false))}) {
            try (IoUringDriver driver = IoUringDriver.open(0, config)) {
                for (int i = 0; i < 5; i++) {
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
                    while (System.nanoTime() - deadline < 0) {
                        driver.park(deadline); // spurious returns are allowed; the loop ends at the deadline
                    }
                }
                driver.park(System.nanoTime() - 1); // a past deadline returns at once
            }
        }
    }

    @Test
    void wakeUpsFromAnotherThreadAreNeverLost() throws Exception {
        try (IoUringDriver driver = IoUringDriver.open(0, CONFIG)) {
            AtomicLong published = new AtomicLong();
            AtomicLong acknowledged = new AtomicLong();
            Thread producer = Thread.ofPlatform().start(() -> {
                for (long i = 1; i <= ROUNDS; i++) {
                    published.set(i);
                    driver.wake();
                    while (acknowledged.get() < i) {
                        Thread.onSpinWait();
                    }
                }
            });
            long seen = 0;
            while (seen < ROUNDS) {
                long now = published.get();
                if (now > seen) {
                    seen = now;
                    acknowledged.set(seen);
                } else {
                    driver.park(Long.MAX_VALUE);
                }
            }
            producer.join();
        }
    }

    @Test
    void workersWakeEachOtherWithMessagesAndLoseNone() throws Exception {
        int rounds = ROUNDS / 4;
        AtomicInteger turn = new AtomicInteger();
        CompletableFuture<IoUringDriver> first = new CompletableFuture<>();
        CompletableFuture<IoUringDriver> second = new CompletableFuture<>();
        CountDownLatch bothOpen = new CountDownLatch(2);
        CompletableFuture<IoUringDriver.Stats> firstStats = new CompletableFuture<>();
        CompletableFuture<IoUringDriver.Stats> secondStats = new CompletableFuture<>();
        Thread a = Thread.ofPlatform().start(() -> pingPong(0, rounds, turn, first, second, bothOpen, firstStats));
        Thread b = Thread.ofPlatform().start(() -> pingPong(1, rounds, turn, second, first, bothOpen, secondStats));
        a.join();
        b.join();
        assertEquals(2 * rounds, turn.get());
        long messages = firstStats.get().messageWakeups() + secondStats.get().messageWakeups();
        assertTrue(messages > 0, "wake-ups between workers use MSG_RING: " + firstStats.get() + " " + secondStats.get());
    }

    /** Worker {@code me} waits for its turn (turn % 2 == me), takes it, and wakes the other worker. */
    private static void pingPong(int me, int rounds, AtomicInteger turn, CompletableFuture<IoUringDriver> mine,
                                 CompletableFuture<IoUringDriver> other, CountDownLatch bothOpen,
                                 CompletableFuture<IoUringDriver.Stats> stats) {
        try (IoUringDriver driver = IoUringDriver.open(me, CONFIG)) {
            mine.complete(driver);
            bothOpen.countDown();
            bothOpen.await();
            IoUringDriver peer = other.get();
            for (int taken = 0; taken < rounds; ) {
                int t = turn.get();
                if (t % 2 == me) {
                    turn.set(t + 1);
                    taken++;
                    peer.wake();
                } else {
                    driver.park(Long.MAX_VALUE);
                }
            }
            stats.complete(driver.stats());
            while (turn.get() < 2 * rounds) {
                driver.park(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1)); // the peer's last turn
            }
        } catch (Throwable t) {
            mine.completeExceptionally(t);
            stats.completeExceptionally(t);
            throw new AssertionError(t);
        }
    }

    @Test
    void aWakeAfterCloseIsHarmless() throws Exception {
        IoUringDriver driver = IoUringDriver.open(0, CONFIG);
        driver.close();
        driver.wake();
        driver.close(); // idempotent
        driver.park(Long.MAX_VALUE); // a closed driver never blocks
        assertEquals(0, driver.poll());
    }
}
