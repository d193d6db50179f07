package io.veloq.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.join.JoinHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An Error thrown by a completion callback ({@code JoinHandle.onComplete}) is that callback's failure:
 * it goes to the runtime's uncaught-exception handler (the callback ran on a runner, whose handler
 * that is), and every other waiter of the handle — a parked joiner, a CompletionStage view, a later
 * callback — is still released, also when the handler itself throws. The runner goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallbackErrorTest {

    /** An Error no library throws by itself. */
    private static final class CallbackError extends Error {
        CallbackError() {
            super("thrown by a completion callback");
        }
    }

    @Test
    void aCallbacksErrorIsReportedAndTheOtherWaitersAreReleased() throws Exception {
        UncaughtReports reports = new UncaughtReports();
        check(reports, reports, false);
    }

    @Test
    void theOtherWaitersAreReleasedEvenWhenTheHandlerThrows() throws Exception {
        UncaughtReports reports = new UncaughtReports();
        Thread.UncaughtExceptionHandler throwing = (t, e) -> {
            reports.uncaughtException(t, e);
            throw new IllegalStateException("the handler failed too");
        };
        check(reports, throwing, false);
    }

    @Test
    void theSameForATaskCompletedByAnInlineJoin() throws Exception {
        UncaughtReports reports = new UncaughtReports();
        check(reports, reports, true);
    }

    /**
     * From a task: a child gets, in this order, a callback that throws, a view, a counting callback and
     * a parked platform-thread joiner; then the child completes, on its own runner (held on a latch
     * until then) or run inline by the task's join.
     */
    private static void check(UncaughtReports reports, Thread.UncaughtExceptionHandler handler, boolean inline)
            throws Exception {
        String prefix = TestSupport.uniquePrefix("callback-error");
        Runtime runtime = Runtime.builder().workers(1).pinning(false).threadNamePrefix(prefix)
                .uncaughtExceptionHandler(handler).build();
        try {
            CallbackError error = new CallbackError();
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger laterRuns = new AtomicInteger();
            CountDownLatch laterRan = new CountDownLatch(1);
            CompletableFuture<Integer> viewSaw = new CompletableFuture<>();
            CompletableFuture<JoinHandle<Integer>> child = new CompletableFuture<>();
            CompletableFuture<CompletableFuture<Object>> waiterSaw = new CompletableFuture<>();
            // Nothing in this task parks before the join: the worker cannot start the child meanwhile.
            JoinHandle<Integer> parent = runtime.spawn(() -> {
                JoinHandle<Integer> task = inline
                        ? runtime.spawnLocal(() -> 5)
                        : runtime.spawn(() -> {
                            release.await();
                            return 5;
                        });
                task.onComplete((v, f) -> {
                    throw error;
                });
                task.toCompletionStage().whenComplete((v, f) -> viewSaw.complete(v));
                task.onComplete((v, f) -> {
                    laterRuns.incrementAndGet();
                    laterRan.countDown();
                });
                waiterSaw.complete(InlineOverflowTest.parkedJoiner(task));
                child.complete(task);
                return inline ? task.join() : 0;
            });
            JoinHandle<Integer> task = child.get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS);
            release.countDown();

            assertEquals(5, waiterSaw.get().get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS), "the parked joiner");
            assertEquals(5, viewSaw.get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS), "the view");
            assertEquals(inline ? 5 : 0, parent.get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS));
            assertEquals(5, task.join());
            // Callbacks run after the joiners were woken: wait for the last one.
            assertTrue(laterRan.await(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS), "the later callback ran");
            assertEquals(1, laterRuns.get(), "the callback registered after the failing one, once");
            assertSame(error, reports.await("the callback's error", r -> r.failure() == error).failure());
            // The runner that ran the callbacks goes on.
            assertEquals(6, runtime.spawn(() -> 6).get(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            TestSupport.closeAndAssertNoThreads(runtime, prefix);
        }
        reports.assertNoneUnexpected();
    }
}
