package io.veloq.core.sched;

import io.veloq.core.driver.DriverFactory;
import java.util.function.Supplier;
import org.agrona.concurrent.IdleStrategy;

/**
 * The validated settings a {@link Scheduler} is built from ({@code RuntimeBuilder} validates and
 * documents each one).
 *
 * @param cpus CPU per worker, or null for no pinning
 * @param cpuYieldNanos a busy worker's sched_yield interval; negative: never
 * @param uncaughtExceptionHandler null for the default (the JVM's default handler, else stderr)
 */
public record SchedulerConfig(
        int workers,
        int[] cpus,
        String threadNamePrefix,
        int runQueueCapacity,
        int meshQueueCapacity,
        int tasksPerRound,
        int meshMessagesPerRound,
        Supplier<? extends IdleStrategy> idleStrategy,
        int idleSpinRounds,
        long cpuYieldNanos,
        DriverFactory driverFactory,
        Thread.UncaughtExceptionHandler uncaughtExceptionHandler,
        int blockingThreads,
        boolean debug) {
}
