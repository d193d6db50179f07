package io.veloq.io.time;

import io.veloq.io.IoBackends;

/**
 * Periodic ticks on a fixed grid: tick k is due at {@code start + k * period}, so ticks do not
 * drift however long the work between them takes (as long as it takes less than a period). Get
 * one from {@link Time#interval}.
 *
 * <p>Threading contract: one task at a time calls {@link #tick()} (from any worker: an interval
 * holds no worker resources between ticks — its timer exists only while a tick waits). Not
 * thread-safe.
 */
public final class Interval {

    /** What {@link #tick()} does when it is called after one or more ticks were due. */
    public enum MissedTicks {
        /** Return at once for every missed tick, one per call, until caught up (the grid is kept). */
        BURST,
        /** Return at once for the latest missed tick and drop the others (the grid is kept). */
        SKIP,
        /** Return at once, and restart the grid one period after this late tick. */
        DELAY
    }

    private final long period;
    private final MissedTicks missed;
    private long next;
    private long ticks;
    private long skipped;

    Interval(long firstDeadline, long periodNanos, MissedTicks missed) {
        this.next = firstDeadline;
        this.period = periodNanos;
        this.missed = missed;
    }

    /**
     * Parks until the next tick is due and returns the deadline it was due at ({@link
     * System#nanoTime()} clock). Never returns before that deadline.
     *
     * @throws InterruptedException if interrupted while waiting (the tick is not consumed)
     */
    public long tick() throws InterruptedException {
        IoBackends.requireTask("tick");
        long due = next;
        TimerPark.parkUntil(due);
        long now = System.nanoTime();
        ticks++;
        switch (missed) {
            case BURST -> next = due + period;
            case SKIP -> {
                long late = now - due;
                long behind = late >= period ? late / period : 0; // whole periods missed after this tick
                skipped += behind;
                next = due + (behind + 1) * period;
            }
            case DELAY -> next = late(now, due) ? now + period : due + period;
        }
        return due;
    }

    /** Ticks returned so far. */
    public long ticks() {
        return ticks;
    }

    /** Ticks dropped by {@link MissedTicks#SKIP}. */
    public long skipped() {
        return skipped;
    }

    public long periodNanos() {
        return period;
    }

    /** The deadline of the next tick. */
    public long nextDeadline() {
        return next;
    }

    private boolean late(long now, long due) {
        return now - due >= period;
    }

    @Override
    public String toString() {
        return "Interval[period " + period + " ns, " + missed + ", " + ticks + " ticks]";
    }
}
