package io.veloq.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Shared helpers for the core tests.
 *
 * <p>Synchronisation rule of these tests: a test never sleeps to let another thread "get there";
 * it waits for a state it can observe (a latch, a handle, a thread's state and stack), bounded by
 * {@link #WAIT_SECONDS} and failing with a message that shows what was seen.
 */
final class TestSupport {

    /** Bound of every state-based wait: generous, because the machine running the tests may be loaded. */
    static final long WAIT_SECONDS = 10;

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

    /**
     * Waits until {@code condition} holds, polling; fails after {@link #WAIT_SECONDS} with {@code what}
     * and the {@code seen} description.
     */
    static void await(String what, BooleanSupplier condition, Supplier<String> seen) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not reached within " + WAIT_SECONDS + " s: " + what + "; seen: " + seen.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a poll interval, not a guess at a duration
        }
    }

    /**
     * Waits until {@code thread} is parked (WAITING or TIMED_WAITING) inside a call whose frame
     * ({@code class.method}) contains {@code frame}: the thread has reached that blocking call and
     * is not merely about to. Works for virtual threads (a task's runner), whose stack can be read
     * while they are unmounted.
     */
    static void awaitParkedIn(Thread thread, String frame) {
        await(thread + " parked in " + frame, () -> parkedIn(thread, frame), () -> describe(thread));
    }

    private static boolean parkedIn(Thread thread, String frame) {
        Thread.State state = thread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(e -> (e.getClassName() + "." + e.getMethodName()).contains(frame));
    }

    /** A thread's state and stack, for failure messages. */
    static String describe(Thread thread) {
        return thread + " " + thread.getState() + Arrays.stream(thread.getStackTrace())
                .map(e -> "\n\tat " + e)
                .collect(Collectors.joining());
    }
}
