package io.veloq.bench;

import io.veloq.core.RuntimeBuilder;
import java.time.Duration;

/**
 * The experiment knob both suites offer for a busy worker's CPU yield
 * ({@code RuntimeBuilder.cpuYieldInterval}): a system property holding microseconds, or
 * {@code off} for {@code noCpuYield()}; unset leaves the builder's default.
 */
public final class CpuYieldKnob {

    private CpuYieldKnob() {
    }

    /** Applies {@code -D<property>} to {@code builder}, if it is set. */
    public static void apply(RuntimeBuilder builder, String property) {
        String value = System.getProperty(property);
        if (value == null) {
            return;
        }
        if (value.equals("off")) {
            builder.noCpuYield();
        } else {
            builder.cpuYieldInterval(Duration.ofNanos(Long.parseLong(value) * 1000));
        }
    }
}
