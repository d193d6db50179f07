package io.veloq.mesh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Test double of a runtime worker, with the loop shape the runtime uses: flush own overflow,
 * drain own column, do own work (send pings), and when idle announce sleep, re-check, park.
 *
 * <p>Every worker sends pings to random peers until the load deadline; each ping is answered
 * with a pong from inside the drain sink, so queues fill in both directions. Each message
 * carries a per-pair sequence number, checked on receipt (no loss, no duplicate, FIFO per pair).
 *
 * <p>Threading: each instance runs on its own platform thread; {@link #pingsDone} and
 * {@link #pingsSentTo} (final once {@code pingsDone} is set) are read by the others.
 */
final class SimWorker implements Runnable {

    record Msg(int from, long seq, boolean ping) { }

    /** Flow control: pings pause while this many of the worker's pings await their pong. */
    static final long WINDOW = 8_192;

    /** Idle rounds spent spinning before announcing sleep, as the runtime's idle strategy does. */
    static final int SPIN_ROUNDS = 64;

    /** Longer than any legitimate idle gap while peers are still busy. */
    static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Everything the workers of one run share. */
    static final class Group {
        final Mesh<Msg> mesh;
        final SleepState[] sleepers;
        final SimWorker[] workers;
        final Thread[] threads;
        final int burst;
        final long pingIntervalNanos;
        final long loadUntil;
        final long hardDeadline;
        final AtomicReference<String> failure = new AtomicReference<>();

        /**
         * @param burst          pings per pinging round
         * @param pingIntervalNanos 0 = ping every round (storm); otherwise about this long between
         *                          bursts, so workers go idle and park with that deadline (the
         *                          way a real worker parks until its next timer)
         */
        Group(int n, int capacity, boolean hints, int burst, long pingIntervalNanos) {
            this.sleepers = new SleepState[n];
            this.workers = new SimWorker[n];
            this.threads = new Thread[n];
            for (int i = 0; i < n; i++) {
                int id = i;
                sleepers[i] = new SleepState(() -> LockSupport.unpark(threads[id]));
            }
            this.mesh = new Mesh<>(n, capacity, sleepers, hints);
            this.burst = burst;
            this.pingIntervalNanos = pingIntervalNanos;
            for (int i = 0; i < n; i++) {
                workers[i] = new SimWorker(this, i);
                threads[i] = Thread.ofPlatform().name("sim-worker-" + i).unstarted(workers[i]);
            }
            this.loadUntil = System.nanoTime() + StressTime.loadNanos();
            this.hardDeadline = loadUntil + StressTime.settleNanos();
        }

        void fail(String why) {
            failure.compareAndSet(null, why);
        }

        /** Starts every worker, waits for all of them (bounded), returns the first failure or null. */
        String run() throws InterruptedException {
            for (Thread t : threads) {
                t.start();
            }
            for (Thread t : threads) {
                long left = TimeUnit.NANOSECONDS.toMillis(hardDeadline - System.nanoTime()) + 5_000;
                t.join(Math.max(1, left));
                if (t.isAlive()) {
                    fail(t.getName() + " still running after the hard deadline");
                    for (SimWorker w : workers) {
                        w.abort = true;
                    }
                    for (Thread other : threads) {
                        LockSupport.unpark(other);
                        other.join(5_000);
                    }
                }
            }
            return failure.get();
        }
    }

    private final Group group;
    private final Mesh<Msg> mesh;
    private final SleepState sleep;
    private final int id;
    private final int n;

    // Published to peers: pingsSentTo is final once the volatile pingsDone is set.
    final long[] pingsSentTo;
    volatile boolean pingsDone;
    volatile boolean abort;

    // Owner thread only.
    private final long[] nextSeqTo;
    private final long[] expectedSeqFrom;
    private final long[] pingsReceivedFrom;
    private final long[] pongsReceivedFrom;
    private final SplittableRandom random;
    private int idleRounds;
    private long nextPingAt;
    private long pingsSentTotal;
    private long pongsReceivedTotal;
    long parks;
    long timedOutParks;
    long roundsWithOverflow;
    long lostWakeups;

    SimWorker(Group group, int id) {
        this.group = group;
        this.mesh = group.mesh;
        this.sleep = group.sleepers[id];
        this.id = id;
        this.n = mesh.workers();
        this.pingsSentTo = new long[n];
        this.nextSeqTo = new long[n];
        this.expectedSeqFrom = new long[n];
        this.pingsReceivedFrom = new long[n];
        this.pongsReceivedFrom = new long[n];
        this.random = new SplittableRandom(31L * id + 7);
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable t) {
            group.fail("worker " + id + " threw " + t);
        }
    }

    private void loop() {
        while (!finished()) {
            if (abort || group.failure.get() != null) {
                return;
            }
            if (System.nanoTime() - group.hardDeadline > 0) {
                group.fail("worker " + id + " did not finish: " + describe());
                return;
            }
            boolean progress = !mesh.flushOverflow(id);
            progress |= mesh.drain(id, 64, this::onMessage) > 0;
            if (!pingsDone) {
                long now = System.nanoTime();
                if (now - group.loadUntil < 0) {
                    if (pingDue(now)) {
                        if (pingsSentTotal - pongsReceivedTotal < WINDOW) {
                            sendPings();
                        }
                        if (group.pingIntervalNanos > 0) {
                            nextPingAt = now + group.pingIntervalNanos / 2
                                    + random.nextLong(group.pingIntervalNanos);
                        }
                        progress = true;
                    }
                } else {
                    pingsDone = true; // volatile write publishes pingsSentTo
                    for (int j = 0; j < n; j++) {
                        if (j != id) {
                            group.sleepers[j].notifyWork();
                        }
                    }
                }
            }
            if (mesh.hasOverflow(id)) {
                roundsWithOverflow++;
            }
            if (progress) {
                idleRounds = 0;
            } else if (++idleRounds <= SPIN_ROUNDS) {
                Thread.onSpinWait();
            } else {
                idle();
            }
        }
    }

    private void sendPings() {
        for (int i = 0; i < group.burst; i++) {
            int to = random.nextInt(n - 1);
            if (to >= id) {
                to++;
            }
            pingsSentTo[to]++;
            pingsSentTotal++;
            mesh.send(id, to, new Msg(id, nextSeqTo[to]++, true));
        }
    }

    private void onMessage(Msg m) {
        int from = m.from();
        if (m.seq() != expectedSeqFrom[from]) {
            group.fail("worker " + id + " got seq " + m.seq() + " from " + from + ", expected "
                    + expectedSeqFrom[from]);
        }
        expectedSeqFrom[from] = m.seq() + 1;
        if (m.ping()) {
            pingsReceivedFrom[from]++;
            mesh.send(id, from, new Msg(id, nextSeqTo[from]++, false));
        } else {
            pongsReceivedFrom[from]++;
            pongsReceivedTotal++;
        }
    }

    /** Done: own pings all answered, every peer's pings all received (so all pongs sent), no overflow. */
    boolean finished() {
        if (!pingsDone || mesh.hasOverflow(id)) {
            return false;
        }
        for (int j = 0; j < n; j++) {
            if (j == id) {
                continue;
            }
            SimWorker peer = group.workers[j];
            if (!peer.pingsDone
                    || pingsReceivedFrom[j] != peer.pingsSentTo[id]
                    || pongsReceivedFrom[j] != pingsSentTo[j]) {
                return false;
            }
        }
        return true;
    }

    private boolean pingDue(long now) {
        return group.pingIntervalNanos == 0 || now - nextPingAt >= 0;
    }

    private void idle() {
        if (mesh.hasOverflow(id)) {
            Thread.yield(); // only this worker can move its overflow: never park on it
            return;
        }
        sleep.announceSleep();
        long start = System.nanoTime();
        long parkNanos = PARK_NANOS;
        if (!pingsDone && group.pingIntervalNanos > 0) {
            parkNanos = Math.min(parkNanos, nextPingAt - start); // the "next timer" deadline
        }
        if (mesh.hasInbound(id) || finished() || parkNanos <= 0) {
            sleep.awake();
            return;
        }
        parks++;
        LockSupport.parkNanos(this, parkNanos);
        if (System.nanoTime() - start >= parkNanos && sleep.state() == SleepState.SLEEPING) {
            timedOutParks++;
            checkNotStranded();
        }
        sleep.awake();
    }

    /**
     * The park reached its deadline and nobody notified us. If work is pending anyway, give an in-flight
     * producer (published, not yet at its fence) a grace period; still SLEEPING after it means
     * the producer saw "awake" while our re-check saw nothing: a lost wake-up.
     */
    private void checkNotStranded() {
        if (!(mesh.hasInbound(id) || finished())) {
            return;
        }
        long graceEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() - graceEnd < 0) {
            if (sleep.state() != SleepState.SLEEPING) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        lostWakeups++;
        group.fail("worker " + id + " stayed parked with pending work: lost wake-up");
    }

    long pingsSent() {
        long s = 0;
        for (long v : pingsSentTo) {
            s += v;
        }
        return s;
    }

    long pongsReceived() {
        long s = 0;
        for (long v : pongsReceivedFrom) {
            s += v;
        }
        return s;
    }

    long pingsReceived() {
        long s = 0;
        for (long v : pingsReceivedFrom) {
            s += v;
        }
        return s;
    }

    String summary() {
        return "worker " + id + ": pingsSent=" + pingsSent() + " parks=" + parks + " timedOutParks="
                + timedOutParks + " roundsWithOverflow=" + roundsWithOverflow;
    }

    private String describe() {
        return "pingsDone=" + pingsDone + " overflow=" + mesh.overflowSize(id) + " pingsSent="
                + pingsSent() + " pingsReceived=" + pingsReceived() + " pongsReceived=" + pongsReceived()
                + " sleep=" + sleep;
    }
}
