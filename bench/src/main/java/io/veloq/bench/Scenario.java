package io.veloq.bench;

import java.util.List;

/**
 * One comparison: a Veloq variant and its baselines, measured the same way in the same run.
 * Implementations run each variant in its own JVM so that JIT profiles and heaps never mix.
 */
public interface Scenario {

    /** The scenario's name, e.g. {@code spawn_join_local}; also the name of its first metric. */
    String name();

    /** {@code veloq} first, then the baselines, in the order they are run and printed. */
    List<String> variants();

    /** What one run of a variant yields; usually one metric named like the scenario. */
    List<Metric> metrics();

    /**
     * Measures one variant: one measurement per {@link #metrics() metric}, in that order. Never
     * throws for a failing variant: the failure becomes {@link Metric#failed failed measurements},
     * so the rest of the suite still runs.
     */
    List<Measurement> run(String variant, RunSettings settings);

    /**
     * Whether the runner should take a variant's {@link RunSettings#probeRuns()} runs in turn with
     * the other variants' (round robin, one run per call) instead of back to back: for scenarios
     * whose figures drift with the machine's state over tens of seconds, so that a slow stretch
     * spreads over every variant instead of landing on one. The runner then combines a variant's
     * runs into one measurement per metric: their mean, with half their spread as the error.
     */
    default boolean interleavesRuns() {
        return false;
    }
}
