package io.veloq.bench;

import java.util.Objects;

/**
 * One figure a scenario reports per variant, with its own COMPARE lines. Most scenarios report a
 * single metric named like the scenario; one run can also yield several (e.g. throughput and p99 of
 * the same echo run).
 *
 * @param name   the name in the table and the COMPARE lines, e.g. {@code skynet}
 * @param unit   e.g. {@code ops/s}, {@code ns/op}, {@code bytes/task}
 * @param better which way the figure improves
 */
public record Metric(String name, String unit, Better better) {

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(better, "better");
    }

    public Measurement of(String variant, double score, double error) {
        return Measurement.of(name, variant, score, error, unit, better);
    }

    public Measurement failed(String variant, String why) {
        return Measurement.failed(name, variant, unit, better, why);
    }
}
