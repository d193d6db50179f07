package io.veloq.bench;

import java.util.Objects;

/**
 * One variant's result in one scenario: a score with its error (half-width of JMH's 99.9%
 * confidence interval, NaN when there is none), or the reason it has none.
 *
 * @param scenario scenario name, e.g. {@code skynet}
 * @param variant  {@code veloq} or a baseline name, e.g. {@code fjp}
 * @param score    the primary score, NaN when failed
 * @param error    score error, NaN when unknown
 * @param unit     e.g. {@code ops/s}, {@code ns/op}, {@code bytes/task}
 * @param better   which way the score improves
 * @param failure  null when the variant ran; otherwise one line saying why it has no score
 */
public record Measurement(String scenario, String variant, double score, double error, String unit,
                          Better better, String failure) {

    public Measurement {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(better, "better");
    }

    public static Measurement of(String scenario, String variant, double score, double error, String unit,
                                 Better better) {
        return new Measurement(scenario, variant, score, error, unit, better, null);
    }

    public static Measurement failed(String scenario, String variant, String unit, Better better, String why) {
        return new Measurement(scenario, variant, Double.NaN, Double.NaN, unit, better,
                why == null || why.isBlank() ? "failed" : why);
    }

    public boolean ok() {
        return failure == null;
    }
}
