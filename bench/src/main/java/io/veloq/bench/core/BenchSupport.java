package io.veloq.bench.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Constants and helpers shared by the core scenarios. */
final class BenchSupport {

    /** Upper bound of every wait inside a benchmark: a hang becomes a failed variant, not a stuck run. */
    static final long WAIT_SECONDS = 60;

    private BenchSupport() {
    }

    /** N of the scenarios: workers / pool threads = available processors. */
    static int workers() {
        return java.lang.Runtime.getRuntime().availableProcessors();
    }

    /** Graceful shutdown within {@link #WAIT_SECONDS}, then {@code shutdownNow}; says so if it still hangs. */
    static void shutdown(ExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(executor + " did not terminate");
                }
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Throws when a benchmark computed the wrong result (a broken variant must not score). */
    static void check(long actual, long expected, String what) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": got " + actual + ", expected " + expected);
        }
    }
}
