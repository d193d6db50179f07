package io.veloq.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared helpers for the core tests. */
final class TestSupport {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private TestSupport() {
    }

    /** A thread-name prefix no other runtime of this JVM uses, so leak checks see only their own threads. */
    static String uniquePrefix(String what) {
        return "vq-" + what + "-" + PREFIXES.incrementAndGet() + "-";
    }

    /** Stress duration in seconds: -Dveloq.stress.seconds, default 2. */
    static int stressSeconds() {
        return Integer.getInteger("veloq.stress.seconds", 2);
    }

    /** Live platform threads whose name starts with {@code prefix}. */
    static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .toList();
    }

    /** Closes (shutdown + wait) and asserts that no thread of the runtime is left. */
    static void closeAndAssertNoThreads(Runtime runtime, String prefix) throws InterruptedException {
        runtime.shutdown();
        if (!runtime.awaitTermination(20, TimeUnit.SECONDS)) {
            throw new AssertionError("runtime did not terminate:\n" + runtime.dumpTasks() + runtime.scheduler());
        }
        assertTrue(runtime.isTerminated());
        assertTrue(threadsNamed(prefix).isEmpty(), () -> "threads left: " + threadsNamed(prefix));
    }
}
