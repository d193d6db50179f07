package io.veloq.bench.io;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The phase of a load-generator run, shared by its main thread and its client loops:
 * {@link #WARMUP} → {@link #MEASURE} → {@link #DONE}, set by the main thread; a loop that fails
 * calls {@link #abort()}, which jumps to DONE and remembers it, so the run reports a failure instead
 * of a throughput measured on part of the connections.
 *
 * <p>It also counts the connections that completed the run's minimum of measured messages (see
 * {@link EchoLoadGenerator.Config#minPerConnection}), which the main thread may wait for.
 *
 * <p>Threading: the phase is a volatile field: the main thread writes it, the loops read it once per
 * completed message (and once per select timeout); a message completed after a loop read MEASURE
 * counts, so the measured window's edges are as sharp as one round trip. The satisfied count is
 * atomic (several loops increment it).
 */
final class LoadPhase {

    static final int WARMUP = 0;
    static final int MEASURE = 1;
    static final int DONE = 2;

    private final AtomicInteger satisfied = new AtomicInteger();
    private volatile int phase = WARMUP;
    private volatile boolean aborted;

    int current() {
        return phase;
    }

    void set(int next) {
        if (next < WARMUP || next > DONE) {
            throw new IllegalArgumentException("no phase " + next);
        }
        phase = next;
    }

    void abort() {
        aborted = true; // written before DONE: whoever reads DONE and then aborted sees it
        phase = DONE;
    }

    boolean aborted() {
        return aborted;
    }

    /** A connection reached the run's minimum of measured messages; called once per connection. */
    void connectionSatisfied() {
        satisfied.incrementAndGet();
    }

    /** Connections that reached the run's minimum of measured messages. */
    int satisfied() {
        return satisfied.get();
    }
}
