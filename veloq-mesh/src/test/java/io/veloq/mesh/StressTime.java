package io.veloq.mesh;

import java.util.concurrent.TimeUnit;

/** Bounds for stress tests: {@code -Dveloq.stress.seconds=N} (default 2) sets how long they load. */
final class StressTime {

    private StressTime() {
    }

    static long seconds() {
        return Math.max(1, Long.getLong("veloq.stress.seconds", 2));
    }

    static long loadNanos() {
        return TimeUnit.SECONDS.toNanos(seconds());
    }

    /** How long after the load phase a test may take to settle before it counts as hung. */
    static long settleNanos() {
        return TimeUnit.SECONDS.toNanos(30);
    }
}
