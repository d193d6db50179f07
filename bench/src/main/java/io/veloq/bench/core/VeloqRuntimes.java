package io.veloq.bench.core;

import io.veloq.bench.CpuYieldKnob;
import io.veloq.core.Runtime;
import io.veloq.core.RuntimeBuilder;
import io.veloq.core.RuntimeContext;
import io.veloq.core.driver.PortableDriver;
import java.util.concurrent.TimeUnit;

/**
 * How every Veloq variant of the core suite builds its runtime: builder defaults except the worker
 * count and, when {@code -Dveloq.bench.driver=portable} is given, the driver. By default the driver
 * is whatever the builder picks for users (ServiceLoader: the io_uring driver when veloq-io-uring is
 * on the classpath and the kernel allows it, else the portable one); the report header names it.
 */
final class VeloqRuntimes {

    /** System property choosing the driver: {@code default} or {@code portable}. */
    static final String DRIVER_PROPERTY = "veloq.bench.driver";
    /** Experiment knob: a busy worker's CPU yield interval in µs, or {@code off} (builder default when unset). */
    static final String CPU_YIELD_PROPERTY = "veloq.bench.cpuYieldMicros";

    private VeloqRuntimes() {
    }

    static Runtime withWorkers(int workers) {
        RuntimeBuilder builder = Runtime.builder().workers(workers).threadNamePrefix("bench-veloq-");
        String driver = System.getProperty(DRIVER_PROPERTY, "default");
        switch (driver) {
            case "default" -> { }
            case "portable" -> builder.driverFactory(PortableDriver.factory());
            default -> throw new IllegalArgumentException(
                    "-D" + DRIVER_PROPERTY + " must be 'default' or 'portable', not '" + driver + "'");
        }
        CpuYieldKnob.apply(builder, CPU_YIELD_PROPERTY);
        return builder.build();
    }

    /** For the report header: what the Veloq variants run on (worker count and driver), or why it is unknown. */
    static String describe() {
        try (Runtime runtime = withWorkers(BenchSupport.workers())) {
            String driver = runtime.spawn(() -> RuntimeContext.current().driver().description())
                    .get(10, TimeUnit.SECONDS);
            return "veloq runtime: " + runtime.workerCount() + " workers, driver " + driver;
        } catch (Exception | LinkageError e) {
            return "veloq runtime: cannot start one here (" + e + ")";
        }
    }
}
