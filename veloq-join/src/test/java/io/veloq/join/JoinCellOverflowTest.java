package io.veloq.join;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failure atomicity of the deciding calls (see the class comment of {@link JoinCell}): a runtime may
 * complete or cancel a cell on a deep stack, where a StackOverflowError can strike any call of the
 * decision, the publication or the release. Whatever it hits, the cell must never stay in a transient
 * phase, and one retry on a fresh frame (what the runtime does) must leave it decided with every
 * waiter served: the parked joiner woken, the CompletionStage view completed, each callback run at
 * most once.
 *
 * <p>The overflow is moved through those steps by calling at every depth from the limit back (see
 * {@link #descend}), measured again before each call because the JIT changes frame sizes.
 */
@Timeout(120)
class JoinCellOverflowTest {

    private static final int BACKOFFS = 300;

    /** Recurses to {@code target} and calls {@code atBottom}; with MAX_VALUE, returns the deepest depth that fitted. */
    static int descend(int depth, int target, IntSupplier atBottom) {
        if (depth == target) {
            return atBottom.getAsInt();
        }
        try {
            return descend(depth + 1, target, atBottom);
        } catch (StackOverflowError e) {
            if (target != Integer.MAX_VALUE) {
                throw e;
            }
            return depth;
        }
    }

    @Test
    void aCompletionThatOverflowsIsFinishedByTheRetry() throws Exception {
        List<String> problems = sweep(false);
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    @Test
    void aCancellationThatOverflowsIsFinishedByTheProducersNextCall() throws Exception {
        List<String> problems = sweep(true);
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    /**
     * Runs every attempt on a platform thread of its own whose uncaught-exception handler counts what
     * overflowing callbacks report (a callback entered at the edge of the stack may overflow itself).
     */
    private static List<String> sweep(boolean cancel) throws Exception {
        List<String> problems = new ArrayList<>();
        AtomicInteger overflowed = new AtomicInteger();
        Thread sweeper = Thread.ofPlatform().uncaughtExceptionHandler((t, e) -> {
            if (!(e instanceof StackOverflowError)) {
                synchronized (problems) {
                    problems.add("unexpected report: " + e);
                }
            }
        }).start(() -> {
            for (int backoff = 0; backoff < BACKOFFS; backoff++) {
                try {
                    String problem = attempt(cancel, backoff, overflowed);
                    if (problem != null) {
                        synchronized (problems) {
                            problems.add("backoff " + backoff + ": " + problem);
                        }
                    }
                } catch (Exception e) {
                    synchronized (problems) {
                        problems.add("backoff " + backoff + ": " + e);
                    }
                }
            }
        });
        sweeper.join();
        synchronized (problems) {
            if (overflowed.get() == 0) {
                problems.add("no call overflowed: the sweep missed the window");
            }
            return new ArrayList<>(problems);
        }
    }

    /** One cell with a parked joiner, a view and a callback, decided at the given distance from the limit. */
    private static String attempt(boolean cancel, int backoff, AtomicInteger overflowed) throws Exception {
        JoinCell<Integer> cell = new JoinCell<>("deep");
        Thread body = Thread.ofPlatform().daemon().start(LockSupport::park); // the "runner" cancel(true) interrupts
        cell.tryStart(body);
        AtomicInteger callbackRuns = new AtomicInteger();
        cell.onComplete((v, f) -> callbackRuns.incrementAndGet());
        CompletableFuture<Integer> view = cell.toCompletionStage().toCompletableFuture();
        CompletableFuture<Object> joinerSaw = new CompletableFuture<>();
        Thread joiner = Thread.ofPlatform().daemon().start(() -> joinerSaw.complete(outcome(cell::get)));
        awaitParkedInJoin(joiner);

        int limit = descend(0, Integer.MAX_VALUE, () -> 0);
        StackOverflowError thrown = null;
        try {
            descend(0, Math.max(0, limit - backoff), () -> (cancel ? cell.cancel(true) : cell.complete(42)) ? 1 : 0);
        } catch (StackOverflowError e) {
            thrown = e;
            overflowed.incrementAndGet();
        }
        // The producer's next call, on a fresh frame: a completion's retry, or the completion of the
        // task a cancel stopped (which finds it cancelled and finishes an owed release).
        boolean retried = false;
        if (thrown != null || cancel) {
            retried = thrown != null ? cell.completeExceptionally(thrown) : cell.complete(0);
        }
        body.interrupt();

        String described = cell.toString(); // decodes the state word without waiting on it
        if (!cell.isDone() || described.contains("COMPLETING") || described.contains("INTERRUPTING")) {
            return "not decided, or left in a transient phase: " + described;
        }
        Object expected = outcome(cell::get);
        if (thrown == null && !cancel && !Integer.valueOf(42).equals(expected)) {
            return "complete(42) returned normally but the outcome is " + expected;
        }
        if (retried && thrown != null && expected != thrown) {
            return "the retry decided the cell but the outcome is " + expected;
        }
        Object joined;
        try {
            joined = joinerSaw.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return "the parked joiner was never woken: " + cell;
        }
        if (!same(expected, joined)) {
            return "the joiner saw " + joined + ", the cell holds " + expected;
        }
        Object viewed = outcome(() -> view.get(10, TimeUnit.SECONDS));
        if (viewed instanceof java.util.concurrent.TimeoutException) {
            return "the CompletionStage view was never completed: " + cell;
        }
        if (!same(expected, viewed)) {
            return "the view saw " + viewed + ", the cell holds " + expected;
        }
        if (callbackRuns.get() > 1) {
            return "the callback ran " + callbackRuns.get() + " times";
        }
        return null;
    }

    private interface Get {
        Object get() throws Exception;
    }

    /** The value, the failure's cause, or the exception itself (a CancellationException). */
    private static Object outcome(Get get) {
        try {
            return get.get();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    private static boolean same(Object expected, Object seen) {
        if (expected instanceof CancellationException) {
            return seen instanceof CancellationException;
        }
        return expected == seen || expected.equals(seen);
    }

    private static void awaitParkedInJoin(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!parkedInJoin(thread)) {
            assertTrue(System.nanoTime() - deadline < 0, () -> "the joiner never parked: " + thread.getState());
            Thread.onSpinWait();
        }
    }

    private static boolean parkedInJoin(Thread thread) {
        if (thread.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement e : thread.getStackTrace()) {
            if (e.getClassName().equals(JoinCell.class.getName()) && e.getMethodName().equals("await")) {
                return true;
            }
        }
        return false;
    }
}
