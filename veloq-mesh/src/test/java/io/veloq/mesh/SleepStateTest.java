package io.veloq.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SleepStateTest {

    private final AtomicInteger wakes = new AtomicInteger();
    private final SleepState sleep = new SleepState(wakes::incrementAndGet);

    @Test
    void rejectsNullWaker() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new SleepState(null));
        assertEquals("waker", e.getMessage());
    }

    @Test
    void startsAwake() {
        assertFalse(sleep.isSleeping());
        assertEquals(SleepState.AWAKE, sleep.state());
        assertEquals("SleepState[AWAKE]", sleep.toString());
    }

    @Test
    void notifyWhileAwakeDoesNotCallTheWaker() {
        sleep.notifyWork();
        sleep.notifyWork();
        assertEquals(0, wakes.get());
        assertEquals(SleepState.AWAKE, sleep.state());
    }

    @Test
    void notifyWhileSleepingCallsTheWakerOncePerEpisode() {
        sleep.announceSleep();
        assertTrue(sleep.isSleeping());
        assertEquals("SleepState[SLEEPING]", sleep.toString());

        sleep.notifyWork();
        assertEquals(1, wakes.get());
        assertEquals(SleepState.NOTIFIED, sleep.state());
        assertFalse(sleep.isSleeping());
        assertEquals("SleepState[NOTIFIED]", sleep.toString());

        sleep.notifyWork();
        assertEquals(1, wakes.get(), "second notify of the same episode");

        sleep.awake();
        assertEquals(SleepState.AWAKE, sleep.state());
        sleep.announceSleep();
        sleep.notifyWork();
        assertEquals(2, wakes.get(), "a new episode gets its own wake");
    }

    @Test
    void awakeAfterRecheckMeansNoWake() {
        sleep.announceSleep();
        sleep.awake(); // the re-check found work
        sleep.notifyWork();
        assertEquals(0, wakes.get());
    }

    @Test
    void afterFenceVariantBehavesLikeNotifyWork() {
        sleep.notifyWorkAfterFence();
        assertEquals(0, wakes.get());
        sleep.announceSleep();
        sleep.notifyWorkAfterFence();
        sleep.notifyWorkAfterFence();
        assertEquals(1, wakes.get());
    }

    @Test
    void concurrentNotifiersCallTheWakerExactlyOncePerEpisode() throws Exception {
        int producers = 3;
        int episodes = 2_000;
        CyclicBarrier start = new CyclicBarrier(producers + 1);
        CyclicBarrier end = new CyclicBarrier(producers + 1);
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            threads[p] = Thread.ofPlatform().name("notifier-" + p).start(() -> {
                try {
                    for (int e = 0; e < episodes; e++) {
                        start.await(10, TimeUnit.SECONDS);
                        sleep.notifyWork();
                        end.await(10, TimeUnit.SECONDS);
                    }
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            });
        }
        for (int e = 0; e < episodes; e++) {
            sleep.announceSleep();
            start.await(10, TimeUnit.SECONDS);
            end.await(10, TimeUnit.SECONDS);
            assertEquals(e + 1, wakes.get(), "episode " + e);
            assertEquals(SleepState.NOTIFIED, sleep.state());
            sleep.awake();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(t.isAlive());
        }
    }
}
