package io.veloq.bench.io;

import io.veloq.bench.CpuYieldKnob;
import io.veloq.core.Runtime;
import io.veloq.core.RuntimeBuilder;
import io.veloq.core.RuntimeContext;
import io.veloq.io.IoBackends;
import io.veloq.uring.IoUring;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriverFactory;
import io.veloq.uring.ReceiveMode;
import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.buffer.ExhaustionPolicy;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * How the Veloq variants of the io suite build their runtime: builder defaults except the worker
 * count and the driver, which is always Veloq's io_uring driver (never the silent portable
 * fallback: a benchmark of the io_uring path that ran on JDK channels would compare the wrong
 * thing). A runtime that cannot start one fails the variant with the reason.
 */
final class VeloqIoRuntimes {

    /**
     * Overrides the builder's pinning default (workers pinned to CPUs) when set to true or false —
     * an experiment knob: on a machine where the load generator shares the cores, pinned workers
     * cannot move away from it while other threads can.
     */
    static final String PINNING_PROPERTY = "veloq.bench.io.pinning";

    /** Experiment knob: the idle strategy of the spin phase, {@code busy} (the default), {@code yield} or {@code noop}. */
    static final String IDLE_PROPERTY = "veloq.bench.io.idle";
    /** Experiment knob: idle rounds spun before sleeping (builder default when unset). */
    static final String SPIN_ROUNDS_PROPERTY = "veloq.bench.io.idleSpinRounds";
    /** Experiment knob: tasks per round, B (builder default when unset). */
    static final String TASKS_PER_ROUND_PROPERTY = "veloq.bench.io.tasksPerRound";

    /** Experiment knob: a busy worker's CPU yield interval in µs, or {@code off} (builder default when unset). */
    static final String CPU_YIELD_PROPERTY = "veloq.bench.io.cpuYieldMicros";
    /** Experiment knob: the provided-buffer ring of TCP reads, {@code <count>x<size>} or {@code 0} (a RECV per read). */
    static final String RECEIVE_BUFFERS_PROPERTY = "veloq.bench.io.receiveBuffers";
    /** Experiment knob: {@code adaptive} (the default) or {@code armed}, the TCP reads' {@code ReceiveMode}. */
    static final String RECEIVE_MODE_PROPERTY = "veloq.bench.io.receiveMode";
    /** Experiment knob: entries of each worker's registered-file table, 0 for none ({@code IoUringConfig.withRegisteredFiles}). */
    static final String REGISTERED_FILES_PROPERTY = "veloq.bench.io.registeredFiles";
    /** Experiment knob: {@code true} makes sends eager ({@code IoUringConfig.withEagerSends}; default off). */
    static final String EAGER_SENDS_PROPERTY = "veloq.bench.io.eagerSends";
    /** Experiment knob: IORING_SETUP_* flags the rings must not use (e.g. {@code 0x2000}, DEFER_TASKRUN). */
    static final String REFUSED_SETUP_FLAGS_PROPERTY = "veloq.bench.io.refusedSetupFlags";

    /** Upper bound of every wait on a runtime in the io suite. */
    static final long WAIT_SECONDS = 30;

    private VeloqIoRuntimes() {
    }

    /**
     * A runtime of {@code workers} workers on the io_uring driver with the given registered buffer
     * pool per worker.
     *
     * @throws IllegalStateException naming the reason when io_uring is unavailable
     */
    static Runtime start(int workers, BufferPoolConfig pool) {
        if (!IoUring.isAvailable()) {
            throw new IllegalStateException("the Veloq variant needs io_uring, which is unavailable here: "
                    + IoUring.unavailabilityReason().orElse("unknown reason"));
        }
        IoUringConfig config = IoUringConfig.defaults().withBufferPool(pool);
        String refused = System.getProperty(REFUSED_SETUP_FLAGS_PROPERTY);
        if (refused != null) {
            config = config.withRing(config.ring().refusing(Integer.decode(refused)));
        }
        String receive = System.getProperty(RECEIVE_BUFFERS_PROPERTY);
        if (receive != null) {
            String[] countAndSize = receive.split("x");
            config = config.withReceiveBuffers(Integer.parseInt(countAndSize[0]),
                    countAndSize.length > 1 ? Integer.parseInt(countAndSize[1]) : config.receiveBufferSize());
        }
        String mode = System.getProperty(RECEIVE_MODE_PROPERTY);
        if (mode != null) {
            config = config.withReceiveMode(switch (mode) {
                case "adaptive" -> ReceiveMode.ADAPTIVE;
                case "armed" -> ReceiveMode.ARMED;
                default -> throw new IllegalArgumentException(RECEIVE_MODE_PROPERTY + " must be adaptive or armed: " + mode);
            });
        }
        Integer registeredFiles = Integer.getInteger(REGISTERED_FILES_PROPERTY);
        if (registeredFiles != null) {
            config = config.withRegisteredFiles(registeredFiles);
        }
        String eager = System.getProperty(EAGER_SENDS_PROPERTY);
        if (eager != null) {
            config = config.withEagerSends(Boolean.parseBoolean(eager));
        }
        IoUringDriverFactory drivers = new IoUringDriverFactory(config);
        RuntimeBuilder builder = Runtime.builder().workers(workers).threadNamePrefix("bench-veloq-").driverFactory(drivers);
        String pinning = System.getProperty(PINNING_PROPERTY);
        if (pinning != null) {
            builder.pinning(Boolean.parseBoolean(pinning));
        }
        String idle = System.getProperty(IDLE_PROPERTY);
        if (idle != null) {
            builder.idleStrategy(switch (idle) {
                case "busy" -> BusySpinIdleStrategy::new;
                case "yield" -> YieldingIdleStrategy::new;
                case "noop" -> NoOpIdleStrategy::new;
                default -> throw new IllegalArgumentException(IDLE_PROPERTY + " must be busy, yield or noop: " + idle);
            });
        }
        Integer spinRounds = Integer.getInteger(SPIN_ROUNDS_PROPERTY);
        if (spinRounds != null) {
            builder.idleSpinRounds(spinRounds);
        }
        CpuYieldKnob.apply(builder, CPU_YIELD_PROPERTY);
        Integer tasksPerRound = Integer.getInteger(TASKS_PER_ROUND_PROPERTY);
        if (tasksPerRound != null) {
            builder.tasksPerRound(tasksPerRound);
        }
        return builder.build();
    }

    /** Registered buffers of {@code bytes} each, {@code count} per worker; a task waits when all are leased. */
    static BufferPoolConfig pool(int bytes, int count) {
        return new BufferPoolConfig(bytes, count, ExhaustionPolicy.WAIT);
    }

    /**
     * Checks, from a task on every worker, that the I/O API is served by the io_uring backend, and
     * returns worker 0's driver description for the log.
     *
     * @throws IllegalStateException if any worker got another backend
     */
    static String requireUring(Runtime runtime) throws Exception {
        String description = null;
        for (int w = 0; w < runtime.workerCount(); w++) {
            String[] seen = runtime.spawnOn(w, () -> new String[] {
                    IoBackends.current().name(), RuntimeContext.current().driver().description()})
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (!seen[0].equals("io_uring")) {
                throw new IllegalStateException("worker " + w + " serves I/O with the " + seen[0]
                        + " backend, not io_uring: " + seen[1]);
            }
            if (description == null) {
                description = seen[1];
            }
        }
        return description;
    }

    /** shutdownNow, then waits; throws if a worker is still alive after {@link #WAIT_SECONDS}. */
    static void stop(Runtime runtime) throws InterruptedException {
        runtime.shutdownNow();
        if (!runtime.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the Veloq runtime did not terminate within " + WAIT_SECONDS + " s");
        }
    }
}
