package io.veloq.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sleep/wake race: one owner that drains, announces sleep, re-checks and parks
 * ({@code LockSupport.park}, waker = {@code unpark(owner)}), against producers that send with
 * irregular pauses so that sends keep landing inside the owner's sleep window. Every message must
 * be consumed in order, and the owner must never stay parked while work is pending: its park has
 * a timeout only so that a lost wake-up is detected (and reported) instead of hanging the test.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // last resort; the run itself is bounded by StressTime
class SleepWakeStressTest {

    private static final int OWNER = 0;
    private static final int PRODUCERS = 2;
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** A message is {@code producer << 48 | sequence}. */
    private static final int SOURCE_SHIFT = 48;
    private static final long SEQ_MASK = (1L << SOURCE_SHIFT) - 1;

    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicLong wakerCalls = new AtomicLong();
    private final long[] sentBy = new long[PRODUCERS + 1]; // plain; published by doneCount
    private final AtomicLong doneCount = new AtomicLong();
    private volatile Thread owner;

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void noWakeUpIsLost(boolean hints) throws Exception {
        SleepState[] sleepers = new SleepState[PRODUCERS + 1];
        for (int i = 0; i < sleepers.length; i++) {
            int id = i;
            sleepers[i] = new SleepState(() -> {
                if (id == OWNER) {
                    wakerCalls.incrementAndGet();
                    LockSupport.unpark(owner);
                }
            });
        }
        Mesh<Long> mesh = new Mesh<>(PRODUCERS + 1, 16, sleepers, hints);
        long loadUntil = System.nanoTime() + StressTime.loadNanos();
        long hardDeadline = loadUntil + StressTime.settleNanos();

        Owner ownerLoop = new Owner(mesh, sleepers[OWNER], hardDeadline);
        Thread ownerThread = Thread.ofPlatform().name("sleepy-owner").unstarted(ownerLoop);
        owner = ownerThread;
        Thread[] producers = new Thread[PRODUCERS];
        for (int p = 1; p <= PRODUCERS; p++) {
            int id = p;
            producers[p - 1] = Thread.ofPlatform().name("producer-" + p)
                    .unstarted(() -> produce(mesh, sleepers[OWNER], id, loadUntil, hardDeadline));
        }
        ownerThread.start();
        for (Thread t : producers) {
            t.start();
        }
        for (Thread t : producers) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(hardDeadline - System.nanoTime()) + 5_000));
            if (t.isAlive()) {
                failure.compareAndSet(null, t.getName() + " still running after the hard deadline");
            }
        }
        ownerThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(hardDeadline - System.nanoTime()) + 5_000));
        if (ownerThread.isAlive()) {
            failure.compareAndSet(null, "owner still running after the hard deadline");
            ownerLoop.abort = true;
            LockSupport.unpark(ownerThread);
            ownerThread.join(5_000);
        }

        // Quiet when it passes; every failure message carries the run's figures.
        String run = "sleep/wake hints=" + hints + ": sent=" + java.util.Arrays.toString(sentBy)
                + " received=" + java.util.Arrays.toString(ownerLoop.received)
                + " announcements=" + ownerLoop.announcements + " parks=" + ownerLoop.parks
                + " wakerCalls=" + wakerCalls.get();
        assertNull(failure.get(), run);
        long total = 0;
        for (int p = 1; p <= PRODUCERS; p++) {
            assertEquals(sentBy[p], ownerLoop.received[p], "from producer " + p + "; " + run);
            total += sentBy[p];
        }
        assertTrue(total > 0, run);
        assertEquals(0, ownerLoop.lostWakeups, run);
        assertTrue(ownerLoop.parks > 0, "the owner never slept: the race was not exercised; " + run);
        assertTrue(wakerCalls.get() <= ownerLoop.announcements,
                "at most one waker call per sleep episode; " + run);
    }

    private void produce(Mesh<Long> mesh, SleepState ownerSleep, int id, long loadUntil, long hardDeadline) {
        SplittableRandom random = new SplittableRandom(id);
        long seq = 0;
        try {
            while (System.nanoTime() - loadUntil < 0 && failure.get() == null) {
                mesh.send(id, OWNER, ((long) id << SOURCE_SHIFT) | seq++);
                mesh.flushOverflow(id);
                switch (random.nextInt(8)) {
                    case 0, 1, 2 -> { } // back to back
                    case 3, 4 -> {
                        for (int spins = random.nextInt(500); spins > 0; spins--) {
                            Thread.onSpinWait();
                        }
                    }
                    case 5 -> Thread.yield();
                    default -> LockSupport.parkNanos(random.nextLong(1_000, 100_000));
                }
            }
            while (!mesh.flushOverflow(id)) {
                if (System.nanoTime() - hardDeadline > 0) {
                    failure.compareAndSet(null, "producer " + id + " could not flush its overflow");
                    return;
                }
                Thread.yield();
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, "producer " + id + " threw " + t);
        } finally {
            sentBy[id] = seq;
            doneCount.incrementAndGet(); // volatile RMW publishes sentBy[id] to the owner's get()
            ownerSleep.notifyWork();
        }
    }

    /** The consuming worker. */
    private final class Owner implements Runnable {
        private final Mesh<Long> mesh;
        private final SleepState sleep;
        private final long hardDeadline;
        final long[] received = new long[PRODUCERS + 1];
        long parks;
        long announcements;
        long lostWakeups;
        volatile boolean abort;

        Owner(Mesh<Long> mesh, SleepState sleep, long hardDeadline) {
            this.mesh = mesh;
            this.sleep = sleep;
            this.hardDeadline = hardDeadline;
        }

        @Override
        public void run() {
            try {
                while (!finished() && !abort) {
                    if (System.nanoTime() - hardDeadline > 0) {
                        failure.compareAndSet(null, "owner did not finish, received "
                                + java.util.Arrays.toString(received) + ", " + sleep);
                        return;
                    }
                    if (mesh.drain(OWNER, 32, this::accept) == 0) {
                        idle();
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, "owner threw " + t);
            }
        }

        private void accept(Long message) {
            int from = (int) (message >>> SOURCE_SHIFT);
            long seq = message & SEQ_MASK;
            if (seq != received[from]) {
                failure.compareAndSet(null, "from producer " + from + ": got " + seq + ", expected "
                        + received[from]);
            }
            received[from] = seq + 1;
        }

        boolean finished() {
            if (doneCount.get() != PRODUCERS) {
                return false;
            }
            for (int p = 1; p <= PRODUCERS; p++) {
                if (received[p] != sentBy[p]) {
                    return false;
                }
            }
            return true;
        }

        private void idle() {
            announcements++;
            sleep.announceSleep();
            if (mesh.hasInbound(OWNER) || finished()) {
                sleep.awake();
                return;
            }
            parks++;
            long start = System.nanoTime();
            LockSupport.parkNanos(this, PARK_NANOS);
            if (System.nanoTime() - start >= PARK_NANOS && sleep.state() == SleepState.SLEEPING
                    && (mesh.hasInbound(OWNER) || finished())) {
                long graceEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (sleep.state() == SleepState.SLEEPING && System.nanoTime() - graceEnd < 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                if (sleep.state() == SleepState.SLEEPING) {
                    lostWakeups++;
                    failure.compareAndSet(null, "owner stayed parked with pending work: lost wake-up");
                }
            }
            sleep.awake();
        }
    }
}
