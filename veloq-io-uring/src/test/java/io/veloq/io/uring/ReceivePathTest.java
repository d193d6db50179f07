package io.veloq.io.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ReceivePath}'s switch: its three invariants, one reader at a time and then hunted for
 * with concurrent readers (bounded: a fixed number of rounds, each a fixed number of reads per
 * thread; {@code -Dveloq.stress.rounds=N} for more).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceivePathTest {

    private static final int ROUNDS = Integer.getInteger("veloq.stress.rounds", 300);
    private static final int READS_PER_THREAD = 200;
    private static final int THREADS = 4;

    @Test
    void oneReaderSwitchesAtTheReadAfterTheOneThatFilledItsBuffer() {
        ReceivePath path = new ReceivePath();
        assertFalse(path.enter(false));
        path.endRecv(false);
        assertFalse(path.enter(false), "no read filled its buffer yet");
        assertEquals(1, path.recvsInFlight());
        path.endRecv(true);
        assertFalse(path.armed(), "the switch waits for the next read");
        assertTrue(path.enter(false));
        assertTrue(path.armed());
        assertTrue(path.enter(false), "for good");
        assertEquals(0, path.recvsInFlight());
    }

    @Test
    void armedModeSwitchesAtTheFirstRead() {
        ReceivePath path = new ReceivePath();
        assertTrue(path.enter(true));
        assertTrue(path.armed());
    }

    @Test
    void noSwitchWhileAnotherReadersRecvIsInFlight() {
        ReceivePath path = new ReceivePath();
        assertFalse(path.enter(false)); // reader A's RECV, still waiting
        assertFalse(path.enter(false)); // reader B's
        path.endRecv(true);             // B's filled its buffer
        assertFalse(path.enter(false), "A's RECV is in flight: B reads by RECV once more");
        assertFalse(path.enter(true), "not even in ARMED mode");
        path.endRecv(false);
        path.endRecv(false);
        path.endRecv(false);
        assertFalse(path.armed());
        assertTrue(path.enter(false), "nothing in flight: the next reader switches");
    }

    @Test
    void anEndWithoutARecvIsRefused() {
        ReceivePath path = new ReceivePath();
        assertThrows(IllegalStateException.class, () -> path.endRecv(false));
    }

    @Test
    void concurrentReadersNeverSeeTheInboxArmedUnderARecvOfTheirOwn() throws Exception {
        AtomicReference<String> violation = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        CyclicBarrier end = new CyclicBarrier(THREADS + 1);
        ReceivePath[] paths = new ReceivePath[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            paths[r] = new ReceivePath();
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = t;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    for (int r = 0; r < ROUNDS; r++) {
                        start.await();
                        try {
                            read(paths[r], random, violation);
                        } catch (RuntimeException e) { // endRecv refusing: the count was lost
                            violation.compareAndSet(null, "round " + r + ": " + e);
                        }
                        end.await();
                    }
                } catch (Exception e) {
                    violation.compareAndSet(null, e.toString());
                }
            }));
        }
        for (int r = 0; r < ROUNDS; r++) {
            start.await(20, TimeUnit.SECONDS);
            end.await(20, TimeUnit.SECONDS);
            ReceivePath path = paths[r];
            assertEquals(null, violation.get(), "round " + r);
            assertEquals(0, path.recvsInFlight(), "round " + r + ": every RECV ended");
            // Invariant 3: some read filled its buffer in every round (1 in 8 do), so the next reader switches.
            assertTrue(path.enter(false), "round " + r + ": " + path);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertEquals(null, violation.get());
    }

    /** One thread's reads of a round: RECVs per read that check they never overlap ARMED, or inbox reads. */
    private static void read(ReceivePath path, SplittableRandom random, AtomicReference<String> violation) {
        for (int i = 0; i < READS_PER_THREAD; i++) {
            boolean armedBefore = path.armed();
            if (path.enter(false)) {
                continue; // through the inbox
            }
            if (armedBefore) {
                violation.compareAndSet(null, "invariant 1: a RECV per read started after ARMED: " + path);
            }
            for (int spin = random.nextInt(4); spin >= 0; spin--) {
                if (path.armed()) {
                    violation.compareAndSet(null, "invariant 2: ARMED while a RECV per read was in flight: " + path);
                }
                Thread.onSpinWait();
            }
            path.endRecv(random.nextInt(8) == 0);
        }
    }
}
