package io.veloq.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Help while join runs a not-yet-started task on its joiner's stack, which may already be deep. A
 * {@link StackOverflowError} can then strike the runtime's own steps between the task's claim and
 * the release of its waiters — setting the joiner's thread state aside, starting the cell, publishing
 * the outcome, waking joiners, running callbacks — not only the task's body. Whatever it hits, every
 * handle must end decided, every waiter released, and the runtime must go on.
 *
 * <p>How the window is hit: {@link #descend} recurses until it overflows, which measures how many of
 * its frames fit right now; the join then runs {@code backoff} frames short of that depth, for every
 * backoff from 0 up, so the overflow moves step by step through the whole inline path. Measured again
 * before every join, because the JIT changes frame sizes as it compiles. Each deep join is a task of
 * its own; the test's thread then waits for the outcome from outside the runtime.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class InlineOverflowTest {

    /** Backoffs swept per round, in frames of {@link #descend}: well past the inline path's depth. */
    private static final int BACKOFFS = 400;
    private static final int ROUNDS = 3;
    /** Ordinary inline joins first, enough for the JIT to compile the inline path with no failure seen. */
    private static final int WARM_UP_JOINS = 30_000;
    private static final String[] KINDS = {"local", "stealable", "local+observers", "stealable+observers",
        "nested+observers"};

    /**
     * Recurses {@code target} frames deep and calls {@code atBottom} there. With {@code target ==
     * Integer.MAX_VALUE} it never gets there: it returns the depth of the deepest frame that fitted.
     */
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

    private static boolean isOverflow(Throwable t) {
        return t instanceof StackOverflowError;
    }

    /**
     * An overflow as {@code kind}'s child may end with it: a StackOverflowError of its own or, for
     * the nested kind, whose child joins a grandchild inline, the grandchild's overflow as that inner
     * join rethrows it (a TaskFailedException caused by the StackOverflowError).
     */
    private static boolean isOverflowOf(String kind, Throwable t) {
        return isOverflow(t)
                || (kind.startsWith("nested") && t instanceof TaskFailedException && isOverflow(t.getCause()));
    }

    /** One deep join, as its task left it: the handle, its observers, and what the join threw. */
    private record Attempt(String kind, int backoff, JoinHandle<Integer> child, Future<Integer> view,
            Future<Object> waiter, AtomicInteger callbackRuns, Throwable joinFailure) {
    }

    @Test
    void everyHandleEndsDecidedWhenAnInlineRunOverflowsTheJoinersStack() throws Exception {
        UncaughtReports reports = new UncaughtReports();
        // A callback run at the edge of the stack may itself overflow: that is the callback's failure,
        // reported as such. Nothing else may be reported.
        reports.acceptAll(r -> isOverflowOf("nested", r.failure()));
        String prefix = TestSupport.uniquePrefix("overflow");
        Runtime runtime = Runtime.builder().workers(1).pinning(false).threadNamePrefix(prefix)
                .uncaughtExceptionHandler(reports).build();
        int overflowed = 0;
        try {
            // The JIT compiles the inline path with its catch blocks never taken: C2 then compiles them
            // as traps that deoptimize when reached, which the sweep must survive as well.
            assertEquals(WARM_UP_JOINS, (int) runtime.blockOn(() -> warmUp(runtime)));
            for (int round = 0; round < ROUNDS; round++) {
                for (int backoff = 0; backoff < BACKOFFS; backoff++) {
                    String kind = KINDS[(backoff + round) % KINDS.length];
                    int b = backoff;
                    Attempt a = runtime.blockOn(() -> deepJoin(runtime, kind, b));
                    if (check(a)) {
                        overflowed++;
                    }
                }
            }
            // The runtime still runs new work, inline and not.
            assertEquals(7, runtime.spawn(() -> 7).get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(8, (int) runtime.blockOn(() -> runtime.spawnLocal(() -> 8).join()));
        } finally {
            TestSupport.closeAndAssertNoThreads(runtime, prefix);
        }
        reports.assertNoneUnexpected();
        // The sweep must actually have hit the inline path: deep joins that overflowed.
        assertTrue(overflowed > 0, "no deep join overflowed: the sweep missed the window");
    }

    /**
     * The JDK's own leak, simulated: near the end of the stack, a StackOverflowError can skip the
     * {@code unpin()} of a JDK critical section (seen: {@code ReferenceQueue.poll} under method-type
     * interning), leaving the virtual thread pinned for good. A pinned runner that parks blocks its
     * worker's thread, and one parked idle is never unparked. Here the task pins itself the way that
     * section does, then its body overflows; the runner must not keep the pin.
     */
    @Test
    void aRunnerLeftPinnedByAnOverflowDoesNotBlockItsWorker() throws Exception {
        UncaughtReports reports = new UncaughtReports();
        String prefix = TestSupport.uniquePrefix("pinned");
        Runtime runtime = Runtime.builder().workers(1).pinning(false).threadNamePrefix(prefix)
                .uncaughtExceptionHandler(reports).build();
        try {
            MethodHandle pin = pinHandle();
            StackOverflowError overflow = new StackOverflowError("simulated");
            JoinHandle<Object> pinned = runtime.spawn(() -> {
                try {
                    pin.invokeExact(Thread.currentThread()); // the leaked Continuation.pin()
                } catch (Throwable e) {
                    throw new AssertionError("cannot pin", e);
                }
                throw overflow;
            });
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> pinned.get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(overflow, failed.getCause());
            reports.joined(overflow);
            // Its runner has gone idle (parked) by now; a pinned one would hold the worker's thread.
            assertEquals(1, runtime.spawn(() -> 1).get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(2, runtime.spawn(() -> {
                Thread.sleep(1); // a task that parks, on whichever runner
                return 2;
            }).get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            TestSupport.closeAndAssertNoThreads(runtime, prefix);
        }
        reports.assertNoneUnexpected();
    }

    /** {@code VirtualThread.disableSuspendAndPreempt()}: one {@code Continuation.pin()} (needs java.lang opened). */
    private static MethodHandle pinHandle() throws ReflectiveOperationException {
        Class<?> virtual = Class.forName("java.lang.VirtualThread");
        return MethodHandles.privateLookupIn(virtual, MethodHandles.lookup())
                .findVirtual(virtual, "disableSuspendAndPreempt", MethodType.methodType(void.class))
                .asType(MethodType.methodType(void.class, Thread.class));
    }

    private static int warmUp(Runtime runtime) {
        int sum = 0;
        for (int i = 0; i < WARM_UP_JOINS; i++) {
            JoinHandle<Integer> child = runtime.spawnLocal(() -> runtime.spawnLocal(() -> 1).join());
            if (i % 4 == 0) {
                child.onComplete((value, failure) -> { });
            }
            sum += child.join();
        }
        return sum;
    }

    /** In a task: a child with its observers, joined {@code backoff} frames short of the stack's end. */
    private static Attempt deepJoin(Runtime runtime, String kind, int backoff) {
        JoinHandle<Integer> child = switch (kind) {
            case "local", "local+observers" -> runtime.spawnLocal(() -> 42);
            case "stealable", "stealable+observers" -> runtime.spawn(() -> 42);
            default -> runtime.spawnLocal(() -> runtime.spawnLocal(() -> 42).join()); // inline inside inline
        };
        AtomicInteger callbackRuns = new AtomicInteger();
        Future<Integer> view = null;
        Future<Object> waiter = null;
        if (kind.endsWith("+observers")) {
            view = child.toCompletionStage().toCompletableFuture();
            child.onComplete((value, failure) -> callbackRuns.incrementAndGet());
            waiter = parkedJoiner(child);
        }
        int limit = descend(0, Integer.MAX_VALUE, () -> 0);
        Throwable joinFailure = null;
        try {
            descend(0, Math.max(0, limit - backoff), child::join);
        } catch (TaskFailedException e) {
            if (!isOverflowOf(kind, e.getCause())) { // the child's own overflow is an outcome, checked below
                joinFailure = e;
            }
        } catch (Throwable t) {
            joinFailure = t;
        }
        return new Attempt(kind, backoff, child, view, waiter, callbackRuns, joinFailure);
    }

    /** On the test's thread: every handle decided, every observer agrees; true if the deep join overflowed. */
    private static boolean check(Attempt a) throws Exception {
        String where = a.kind + " at backoff " + a.backoff + ": ";
        Object outcome = outcome(a.child, where + "the handle");
        assertTrue(a.child.isDone(), where + "the handle is not done");
        assertTrue(outcome.equals(42) || isOverflowOf(a.kind, (Throwable) outcome),
                where + "neither the value nor a StackOverflowError: " + outcome);
        if (a.view != null) {
            assertEquals(outcome, outcome(a.view, where + "the CompletionStage view"), where + "the view disagrees");
            assertEquals(outcome, a.waiter.get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS),
                    where + "the parked joiner disagrees");
        }
        assertTrue(a.callbackRuns.get() <= 1, where + "a callback ran " + a.callbackRuns.get() + " times");
        if (a.joinFailure == null) {
            return false;
        }
        assertTrue(isOverflow(a.joinFailure), () -> where + "the deep join threw " + a.joinFailure);
        return true;
    }

    /** The value or the failure's cause, waiting at most {@link TestSupport#WAIT_SECONDS}. */
    private static Object outcome(Future<?> future, String what) throws Exception {
        try {
            return future.get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError(what + " is still not decided after " + TestSupport.WAIT_SECONDS + " s: "
                    + future, e);
        }
    }

    /**
     * A platform thread parked in {@code child.get()} (it never helps: it is not a runner); the future
     * gets the value or the failure's cause. Waited for by spinning, not parking: a parked runner would
     * let the worker start the child itself.
     */
    static CompletableFuture<Object> parkedJoiner(JoinHandle<Integer> child) {
        CompletableFuture<Object> saw = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().daemon().start(() -> {
            try {
                saw.complete(child.get());
            } catch (ExecutionException e) {
                saw.complete(e.getCause());
            } catch (Throwable t) {
                saw.complete(t);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.WAIT_SECONDS);
        while (!parkedInJoin(waiter)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the waiter never parked: " + TestSupport.describe(waiter));
            }
            Thread.onSpinWait();
        }
        return saw;
    }

    private static boolean parkedInJoin(Thread thread) {
        if (thread.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement e : thread.getStackTrace()) {
            if (e.getClassName().equals("io.veloq.join.JoinCell") && e.getMethodName().equals("await")) {
                return true;
            }
        }
        return false;
    }
}
