package io.veloq.bench.io;

import io.veloq.bench.RunSettings;
import java.time.Duration;

/**
 * The shape of one measured run in the io suite (the suite measures outside JMH, so the JMH
 * iteration settings of {@link RunSettings} do not apply; its {@code quick} flag and probe runs do).
 *
 * @param workers       N: Veloq workers, Netty event loops, virtual-thread scheduler parallelism, fio
 *                      jobs — the same on every side; the available processors unless
 *                      {@code -Dveloq.bench.io.workers} says otherwise
 * @param clientThreads threads of the echo load generator, N unless {@code -Dveloq.bench.io.clientThreads}
 * @param warmup        run time before measuring (JIT, pools, connections settle)
 * @param measure       the measured time
 * @param runs          runs per variant (fresh probe JVMs, fresh load generators, fio runs); mean reported
 */
record IoRunSettings(int workers, int clientThreads, Duration warmup, Duration measure, int runs) {

    IoRunSettings {
        if (workers < 1 || clientThreads < 1 || warmup.isNegative() || measure.isNegative() || measure.isZero()
                || runs < 1) {
            throw new IllegalArgumentException("bad io run settings: " + workers + " workers, " + clientThreads
                    + " client threads, warm-up " + warmup + ", measure " + measure + ", " + runs + " runs");
        }
    }

    /** Quick: 3 s warm-up + 5 s measured, one run; full: 5 s + 15 s, the settings' probe runs (3). */
    static IoRunSettings of(RunSettings settings) {
        int n = Integer.getInteger("veloq.bench.io.workers", java.lang.Runtime.getRuntime().availableProcessors());
        int clients = Integer.getInteger("veloq.bench.io.clientThreads", n);
        return settings.quick()
                ? new IoRunSettings(n, clients, Duration.ofSeconds(3), Duration.ofSeconds(5), settings.probeRuns())
                : new IoRunSettings(n, clients, Duration.ofSeconds(5), Duration.ofSeconds(15), settings.probeRuns());
    }

    /** Bound for one process that warms up and measures once: generous, so only a hang hits it. */
    long processTimeoutSeconds() {
        return warmup.toSeconds() + measure.toSeconds() + 90;
    }

    /** E.g. {@code 1 run of 3 s warm-up + 5 s measured}. */
    String describeTiming() {
        return runs + (runs == 1 ? " run" : " runs") + " of " + warmup.toSeconds() + " s warm-up + "
                + measure.toSeconds() + " s measured";
    }
}
