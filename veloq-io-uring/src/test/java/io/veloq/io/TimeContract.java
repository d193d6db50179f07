package io.veloq.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.time.Interval;
import io.veloq.io.time.Time;
import io.veloq.join.JoinHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timers on both drivers' idle waits. Accuracy is asserted loosely: never early, and a generous
 * upper bound that only catches a lost wake-up.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class TimeContract extends IoContract {

    /** Far above any scheduling noise; only a timer that never fired would exceed it. */
    static final long HANG_NANOS = TimeUnit.SECONDS.toNanos(5);

    TimeContract(Backend backend) {
        super(backend);
    }

    @Test
    void sleepNeverReturnsEarly() throws Exception {
        inTask(() -> {
            for (long millis : new long[] {1, 5, 20, 50}) {
                long start = System.nanoTime();
                Time.sleep(Duration.ofMillis(millis));
                long slept = System.nanoTime() - start;
                assertTrue(slept >= TimeUnit.MILLISECONDS.toNanos(millis), "slept " + slept + " ns for " + millis + " ms");
                assertTrue(slept < HANG_NANOS, "slept " + slept + " ns for " + millis + " ms");
            }
            Time.sleep(Duration.ZERO);
            Time.sleep(Duration.ofMillis(-5)); // negative: returns at once, like Thread.sleep(Duration)
        });
    }

    @Test
    void sleepUntilBothClocks() throws Exception {
        inTask(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(15);
            Time.sleepUntil(deadline);
            assertTrue(System.nanoTime() - deadline >= 0);
            Instant wall = Instant.now().plusMillis(15);
            long start = System.nanoTime();
            Time.sleepUntil(wall);
            assertTrue(System.nanoTime() - start < HANG_NANOS);
            Time.sleepUntil(System.nanoTime() - 1_000_000); // in the past: at once
        });
    }

    @Test
    void aThousandConcurrentSleepersAllWakeOnTime() throws Exception {
        inTask(() -> {
            List<JoinHandle<Long>> sleepers = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(4);
            for (int i = 0; i < 1000; i++) {
                long millis = 1 + random.nextInt(50);
                sleepers.add(runtime.spawn(() -> {
                    long start = System.nanoTime();
                    Time.sleep(Duration.ofMillis(millis));
                    return System.nanoTime() - start - TimeUnit.MILLISECONDS.toNanos(millis);
                }));
            }
            for (JoinHandle<Long> s : sleepers) {
                long late = s.join();
                assertTrue(late >= 0, "woke " + (-late) + " ns early");
                assertTrue(late < HANG_NANOS);
            }
        });
    }

    @Test
    void timeoutCancelsSlowWorkAndClearsItsInterrupt() throws Exception {
        inTask(() -> {
            TimeoutException timeout = assertThrows(TimeoutException.class,
                    () -> Time.timeout(Duration.ofMillis(20), () -> {
                        Time.sleep(Duration.ofSeconds(20));
                        return "too late";
                    }));
            assertInstanceOf(InterruptedException.class, timeout.getCause());
            assertFalse(Thread.currentThread().isInterrupted(), "the timeout's own interrupt is cleared");
            assertEquals("quick", Time.timeout(Duration.ofSeconds(10), () -> "quick"));
            assertFalse(Thread.currentThread().isInterrupted());
            IllegalStateException own = assertThrows(IllegalStateException.class,
                    () -> Time.timeout(Duration.ofSeconds(10), () -> {
                        throw new IllegalStateException("the work's own failure");
                    }));
            assertEquals("the work's own failure", own.getMessage());
        });
    }

    @Test
    void nestedTimeoutsEachReportTheirOwnExpiry() throws Exception {
        inTask(() -> {
            AtomicBoolean innerTimedOut = new AtomicBoolean();
            String outer = Time.timeout(Duration.ofSeconds(10), () -> {
                try {
                    Time.timeout(Duration.ofMillis(10), () -> {
                        Time.sleep(Duration.ofSeconds(20));
                        return null;
                    });
                } catch (TimeoutException expected) {
                    innerTimedOut.set(true);
                }
                return "outer finished";
            });
            assertTrue(innerTimedOut.get());
            assertEquals("outer finished", outer);
        });
    }

    @Test
    void intervalTicksOnAFixedGrid() throws Exception {
        inTask(() -> {
            long period = TimeUnit.MILLISECONDS.toNanos(10);
            // BURST returns every tick, so tick k is exactly first + k * period whatever the latency.
            Interval burst = Time.interval(Duration.ofMillis(10), Duration.ofMillis(10), Interval.MissedTicks.BURST);
            long first = burst.tick();
            assertTrue(System.nanoTime() - first >= 0);
            for (int k = 1; k <= 5; k++) {
                long due = burst.tick();
                assertEquals(first + k * period, due, "tick " + k + " is on the grid");
                assertTrue(System.nanoTime() - due >= 0, "never before its deadline");
            }
            assertEquals(6, burst.ticks());
            // The default (SKIP) may drop ticks after a late wake-up, but never leaves the grid.
            Interval skip = Time.interval(Duration.ofMillis(10));
            long start = skip.tick();
            long previous = start;
            for (int k = 1; k <= 5; k++) {
                long due = skip.tick();
                assertEquals(0, (due - start) % period, "tick " + k + " is on the grid");
                assertTrue(due - previous >= period);
                assertTrue(System.nanoTime() - due >= 0, "never before its deadline");
                previous = due;
            }
        });
    }

    @Test
    void missedTicksAreSkippedBurstOrDelayed() throws Exception {
        inTask(() -> {
            long period = TimeUnit.MILLISECONDS.toNanos(5);
            Interval skip = Time.interval(Duration.ZERO, Duration.ofMillis(5), Interval.MissedTicks.SKIP);
            long start = skip.tick();
            Time.sleep(Duration.ofMillis(23)); // misses several ticks
            long late = skip.tick();
            assertEquals(start + period, late, "the first missed tick is returned at once");
            long next = skip.tick();
            assertEquals(0, (next - start) % period, "SKIP stays on the grid");
            assertTrue(skip.skipped() >= 2, "skipped " + skip.skipped());

            Interval burst = Time.interval(Duration.ZERO, Duration.ofMillis(5), Interval.MissedTicks.BURST);
            long b0 = burst.tick();
            Time.sleep(Duration.ofMillis(12));
            assertEquals(b0 + period, burst.tick());
            assertEquals(b0 + 2 * period, burst.tick(), "BURST returns every missed tick");

            Interval delay = Time.interval(Duration.ZERO, Duration.ofMillis(5), Interval.MissedTicks.DELAY);
            delay.tick();
            Time.sleep(Duration.ofMillis(12));
            long lateDue = delay.tick();
            long d = delay.tick();
            assertTrue(d - lateDue > period, "DELAY restarts the grid one period after the late tick's return");
        });
    }

    @Test
    void interruptEndsASleep() throws Exception {
        inTask(() -> {
            JoinHandle<Void> sleeper = runtime.spawn(() -> {
                Time.sleep(Duration.ofSeconds(30));
                return null;
            });
            Time.sleep(Duration.ofMillis(20));
            sleeper.cancel(true);
            assertThrows(CancellationException.class, sleeper::join);
        });
    }

    @Test
    void interruptedSleepThrowsInterruptedException() throws Exception {
        inTask(() -> {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> Time.sleep(Duration.ofSeconds(30)));
            assertFalse(Thread.currentThread().isInterrupted(), "status cleared, as Thread.sleep does");
        });
    }
}
