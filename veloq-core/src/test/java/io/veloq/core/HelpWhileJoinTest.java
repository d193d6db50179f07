package io.veloq.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Help while join: a task joining a not-yet-started task it may run (a {@code spawnLocal} task of
 * its own worker, or any stealable {@code spawn} task of its runtime) runs it inline on its own
 * thread. These tests pin down that the inline task sees exactly what a task on a fresh runner sees,
 * that the joiner gets its own state back, and that claiming stays exclusive and counted.
 *
 * <p>A task spawned with {@code spawnLocal} and joined at once cannot have started (its worker is
 * busy running the joiner), so those joins run inline deterministically.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HelpWhileJoinTest {

    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();
    private static final InheritableThreadLocal<String> INHERITABLE = new InheritableThreadLocal<>();

    /** Keeps every uncaught report; the tests assert on them. */
    private static final class Reports implements Thread.UncaughtExceptionHandler {
        final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            failures.add(e);
        }
    }

    private final Reports reports = new Reports();

    private Runtime runtime(int workers) {
        return Runtime.builder().workers(workers).pinning(false).uncaughtExceptionHandler(reports).build();
    }

    private static void close(Runtime runtime) throws InterruptedException {
        runtime.shutdown();
        assertTrue(runtime.awaitTermination(20, TimeUnit.SECONDS),
                () -> "runtime did not terminate: spawned/ended accounting is off\n" + runtime.dumpTasks());
    }

    @Test
    void aJoinedLocalTaskRunsOnTheJoinersThreadWithFreshThreadState() throws Exception {
        Runtime runtime = runtime(1);
        ClassLoader runtimeLoader = Thread.currentThread().getContextClassLoader();
        try {
            runtime.blockOn(() -> {
                Thread joiner = Thread.currentThread();
                String runnerName = joiner.getName();
                ClassLoader custom = new URLClassLoader(new URL[0], runtimeLoader);
                LOCAL.set("joiner");
                INHERITABLE.set("joiner-inheritable");
                joiner.setName("renamed-joiner");
                joiner.setContextClassLoader(custom);

                AtomicReference<Thread> childThread = new AtomicReference<>();
                JoinHandle<List<Object>> child = runtime.spawnLocal(() -> {
                    childThread.set(Thread.currentThread());
                    List<Object> seen = new ArrayList<>();
                    seen.add(LOCAL.get());
                    seen.add(INHERITABLE.get());
                    seen.add(Thread.currentThread().getName());
                    seen.add(Thread.currentThread().getContextClassLoader());
                    LOCAL.set("child");
                    INHERITABLE.set("child-inheritable");
                    Thread.currentThread().setName("renamed-child");
                    Thread.currentThread().setContextClassLoader(new URLClassLoader(new URL[0], runtimeLoader));
                    return seen;
                });
                List<Object> seen = child.join();

                assertSame(joiner, childThread.get(), "the joined task ran inline on the joiner's thread");
                assertNull(seen.get(0), "the inline task sees no thread-local of its joiner");
                assertNull(seen.get(1), "nor an inheritable one");
                assertEquals(runnerName, seen.get(2), "it has a fresh runner's name");
                assertSame(runtimeLoader, seen.get(3), "and the runtime's context class loader");
                assertEquals("joiner", LOCAL.get(), "the joiner gets its thread-locals back");
                assertEquals("joiner-inheritable", INHERITABLE.get());
                assertEquals("renamed-joiner", joiner.getName());
                assertSame(custom, joiner.getContextClassLoader());
                return null;
            });
        } finally {
            close(runtime);
        }
        assertTrue(reports.failures.isEmpty(), () -> "unexpected reports: " + reports.failures);
    }

    private static final ScopedValue<String> SCOPED = ScopedValue.newInstance();

    /**
     * Scoped values are thread state too: a task run inline inside the joiner's {@code
     * ScopedValue.where(...)} sees none of the joiner's bindings, as on a fresh runner, and its own
     * bindings end with it.
     */
    @Test
    void anInlineTaskDoesNotSeeTheJoinersScopedValues() throws Exception {
        Runtime runtime = runtime(1);
        try {
            Object[] seen = runtime.blockOn(() -> ScopedValue.where(SCOPED, "joiner").call(() -> {
                Thread joiner = Thread.currentThread();
                Object[] child = runtime.spawnLocal(() -> new Object[] {
                    Thread.currentThread() == joiner,
                    SCOPED.isBound(),
                    ScopedValue.where(SCOPED, "child").call(SCOPED::get)}).join();
                return new Object[] {child[0], child[1], child[2], SCOPED.isBound() ? SCOPED.get() : null};
            }));
            assertEquals(Boolean.TRUE, seen[0], "ran inline");
            assertEquals(Boolean.FALSE, seen[1], "the inline task saw the joiner's scoped value");
            assertEquals("child", seen[2], "the inline task binds its own");
            assertEquals("joiner", seen[3], "the joiner's binding is back after the inline run");
        } finally {
            close(runtime);
        }
    }

    /**
     * An inline task may open its own {@code StructuredTaskScope} while its joiner is inside a
     * scoped-value binding and a scope of its own: the inline task's scope is a fresh structure
     * (no structure violation), and its subtasks inherit the inline task's bindings, not the joiner's.
     */
    @Test
    void anInlineTaskOpensItsOwnStructuredTaskScopeInsideTheJoinersScope() throws Exception {
        Runtime runtime = runtime(1);
        try {
            String seen = runtime.blockOn(() -> ScopedValue.where(SCOPED, "joiner").call(() -> {
                try (var outer = java.util.concurrent.StructuredTaskScope.open()) {
                    Thread joiner = Thread.currentThread();
                    String inner = runtime.spawnLocal(() -> {
                        boolean inline = Thread.currentThread() == joiner;
                        try (var scope = java.util.concurrent.StructuredTaskScope.open(
                                java.util.concurrent.StructuredTaskScope.Joiner.<String>allSuccessfulOrThrow(),
                                cf -> cf.withThreadFactory(runtime.threadFactory()))) {
                            scope.fork(() -> SCOPED.isBound() ? SCOPED.get() : "unbound");
                            scope.fork(() -> ScopedValue.where(SCOPED, "child").call(() -> {
                                try (var nested = java.util.concurrent.StructuredTaskScope.open(
                                        java.util.concurrent.StructuredTaskScope.Joiner.<String>allSuccessfulOrThrow(),
                                        cf -> cf.withThreadFactory(runtime.threadFactory()))) {
                                    nested.fork(SCOPED::get);
                                    return nested.join().map(java.util.concurrent.StructuredTaskScope.Subtask::get)
                                            .findFirst().orElseThrow();
                                }
                            }));
                            return inline + ":" + scope.join().map(java.util.concurrent.StructuredTaskScope.Subtask::get)
                                    .sorted().collect(java.util.stream.Collectors.joining(","));
                        }
                    }).join();
                    outer.join();
                    return inner + ":" + SCOPED.get();
                }
            }));
            assertEquals("true:child,unbound:joiner", seen);
        } finally {
            close(runtime);
        }
    }

    @Test
    void theJoinersInterruptIsNeitherSeenByTheInlineTaskNorLost() throws Exception {
        Runtime runtime = runtime(1);
        try {
            boolean[] result = runtime.blockOn(() -> {
                Thread.currentThread().interrupt();
                AtomicReference<Thread> childThread = new AtomicReference<>();
                boolean childSawInterrupt = runtime.spawnLocal(() -> {
                    childThread.set(Thread.currentThread());
                    return Thread.currentThread().isInterrupted();
                }).join();
                boolean joinerStillInterrupted = Thread.interrupted();
                return new boolean[] {childThread.get() == Thread.currentThread(), childSawInterrupt, joinerStillInterrupted};
            });
            assertTrue(result[0], "ran inline");
            assertFalse(result[1], "the inline task starts without the joiner's interrupt");
            assertTrue(result[2], "the joiner's interrupt is kept across the inline run");
        } finally {
            close(runtime);
        }
    }

    @Test
    void cancellingTheInlineTaskDoesNotLeaveTheJoinerInterrupted() throws Exception {
        Runtime runtime = runtime(1);
        AtomicReference<JoinHandle<?>> childHandle = new AtomicReference<>();
        CountDownLatch childStarted = new CountDownLatch(1);
        try {
            JoinHandle<Object[]> parent = runtime.spawn(() -> {
                AtomicReference<Thread> childThread = new AtomicReference<>();
                JoinHandle<Object> child = runtime.spawnLocal(() -> {
                    childThread.set(Thread.currentThread());
                    childStarted.countDown();
                    Thread.sleep(TimeUnit.SECONDS.toMillis(60)); // ended by the cancel's interrupt
                    return null;
                });
                childHandle.set(child);
                Throwable joinFailure = null;
                try {
                    child.join();
                } catch (Throwable t) {
                    joinFailure = t;
                }
                return new Object[] {childThread.get() == Thread.currentThread(), joinFailure, Thread.currentThread().isInterrupted()};
            });
            assertTrue(childStarted.await(20, TimeUnit.SECONDS), "the child started");
            assertTrue(childHandle.get().cancel(true), "cancel(true) won against the sleeping child");
            Object[] outcome = parent.get(20, TimeUnit.SECONDS);
            assertEquals(Boolean.TRUE, outcome[0], "the child ran inline on its joiner");
            assertInstanceOf(CancellationException.class, outcome[1], "the joiner sees the cancellation");
            assertEquals(Boolean.FALSE, outcome[2], "the cancel's interrupt did not leak into the joiner");
        } finally {
            close(runtime);
        }
    }

    /**
     * Two inline levels (parent → middle → inner, all on one thread), and both inline tasks are
     * cancelled with {@code cancel(true)} while the inner one runs: the middle task's interrupt must
     * survive the end of the inner run, or a cancelled task keeps running, never interrupted.
     */
    @Test
    void aNestedInlineTaskCancelledWithItsJoinerKeepsTheJoinersInterrupt() throws Exception {
        Runtime runtime = runtime(1);
        AtomicReference<JoinHandle<?>> middleHandle = new AtomicReference<>();
        AtomicReference<JoinHandle<?>> innerHandle = new AtomicReference<>();
        AtomicReference<Object> middleSaw = new AtomicReference<>();
        CountDownLatch innerStarted = new CountDownLatch(1);
        CountDownLatch middleDone = new CountDownLatch(1);
        java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);
        try {
            JoinHandle<Boolean> parent = runtime.spawn(() -> {
                JoinHandle<Object> middle = runtime.spawnLocal(() -> {
                    JoinHandle<Object> inner = runtime.spawnLocal(() -> {
                        innerStarted.countDown();
                        gate.acquireUninterruptibly(); // both interrupts arrive while it waits here
                        return null;
                    });
                    innerHandle.set(inner);
                    try {
                        inner.join();
                        middleSaw.set("inner completed");
                    } catch (CancellationException expected) {
                        middleSaw.set(Thread.currentThread().isInterrupted());
                    } finally {
                        middleDone.countDown();
                    }
                    return null;
                });
                middleHandle.set(middle);
                assertThrows(CancellationException.class, middle::join);
                return Thread.currentThread().isInterrupted();
            });
            assertTrue(innerStarted.await(20, TimeUnit.SECONDS), "the inner task started");
            assertTrue(middleHandle.get().cancel(true), "cancel(true) of the middle task");
            assertTrue(innerHandle.get().cancel(true), "cancel(true) of the inner task");
            gate.release();
            assertTrue(middleDone.await(20, TimeUnit.SECONDS), "the middle task went on");
            assertEquals(Boolean.TRUE, middleSaw.get(), "the cancelled middle task is still interrupted");
            assertEquals(Boolean.FALSE, parent.get(20, TimeUnit.SECONDS), "the parent was not left interrupted");
        } finally {
            close(runtime);
        }
        assertTrue(reports.failures.isEmpty(), () -> "unexpected reports: " + reports.failures);
    }

    /**
     * Two inline levels again, now with the outermost task and the inner one cancelled while the
     * middle one is not: the outer task's interrupt must survive both inline runs.
     */
    @Test
    void theOuterTasksInterruptSurvivesNestedInlineRunsOfACancelledInnerTask() throws Exception {
        Runtime runtime = runtime(1);
        AtomicReference<JoinHandle<?>> innerHandle = new AtomicReference<>();
        AtomicReference<Object> outerSaw = new AtomicReference<>();
        CountDownLatch innerStarted = new CountDownLatch(1);
        CountDownLatch outerDone = new CountDownLatch(1);
        java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(0);
        try {
            JoinHandle<Object> outer = runtime.spawn(() -> {
                try {
                    runtime.spawnLocal(() -> {
                        JoinHandle<Object> inner = runtime.spawnLocal(() -> {
                            innerStarted.countDown();
                            gate.acquireUninterruptibly(); // both interrupts arrive while it waits here
                            return null;
                        });
                        innerHandle.set(inner);
                        assertThrows(CancellationException.class, inner::join);
                        return null;
                    }).join();
                    outerSaw.set(Thread.currentThread().isInterrupted());
                } catch (Throwable t) {
                    outerSaw.set(t);
                } finally {
                    outerDone.countDown();
                }
                return null;
            });
            assertTrue(innerStarted.await(20, TimeUnit.SECONDS), "the inner task started");
            assertTrue(outer.cancel(true), "cancel(true) of the outer task");
            assertTrue(innerHandle.get().cancel(true), "cancel(true) of the inner task");
            gate.release();
            assertTrue(outerDone.await(20, TimeUnit.SECONDS), "the outer task went on");
            assertEquals(Boolean.TRUE, outerSaw.get(), "the cancelled outer task is still interrupted");
        } finally {
            close(runtime);
        }
        assertTrue(reports.failures.isEmpty(), () -> "unexpected reports: " + reports.failures);
    }

    @Test
    void anInlineFailureGoesToTheJoinerAndNotToTheHandler() throws Exception {
        Runtime runtime = runtime(1);
        try {
            Throwable cause = runtime.blockOn(() -> {
                JoinHandle<Object> child = runtime.spawnLocal(() -> {
                    throw new IllegalStateException("inline failure");
                });
                return assertThrows(TaskFailedException.class, child::join).getCause();
            });
            assertInstanceOf(IllegalStateException.class, cause);
        } finally {
            close(runtime);
        }
        assertTrue(reports.failures.isEmpty(), () -> "a joined failure was reported: " + reports.failures);
    }

    @Test
    void aTaskBoundToAnotherWorkerIsNotRunInline() throws Exception {
        Runtime runtime = runtime(2);
        try {
            int[] where = runtime.blockOn(() -> {
                int here = RuntimeContext.current().workerIndex();
                int other = 1 - here;
                Thread joiner = Thread.currentThread();
                int[] ran = runtime.spawnOn(other, () -> new int[] {RuntimeContext.current().workerIndex(),
                        Thread.currentThread() == joiner ? 1 : 0}).join();
                return new int[] {other, ran[0], ran[1]};
            });
            assertEquals(where[0], where[1], "spawnOn's task ran on its worker");
            assertEquals(0, where[2], "not on the joiner's thread");
        } finally {
            close(runtime);
        }
    }

    @Test
    void nestingDeeperThanTheInlineBoundStillCompletes() throws Exception {
        Runtime runtime = runtime(1);
        try {
            int depth = 500; // well past InlineJoin.MAX_DEPTH: deeper joins park instead
            assertEquals(depth, runtime.blockOn(() -> chain(runtime, depth)));
        } finally {
            close(runtime);
        }
    }

    private static int chain(Runtime runtime, int left) {
        if (left == 0) {
            return 0;
        }
        return runtime.spawnLocal(() -> chain(runtime, left - 1)).join() + 1;
    }

    @Test
    void aJoinOfATaskThatAlreadyStartedParksUntilItEnds() throws Exception {
        Runtime runtime = runtime(1);
        try {
            boolean[] result = runtime.blockOn(() -> {
                Thread joiner = Thread.currentThread();
                CountDownLatch started = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                AtomicReference<Thread> ran = new AtomicReference<>();
                JoinHandle<Integer> child = runtime.spawnLocal(() -> {
                    ran.set(Thread.currentThread());
                    started.countDown();
                    release.await();
                    return 7;
                });
                // Parking lets the worker start the child (queued first) on a runner of its own.
                while (!started.await(1, TimeUnit.MILLISECONDS)) {
                    Thread.onSpinWait();
                }
                release.countDown();
                int value = child.join(); // claimed by its runner: this join parks until it ends
                return new boolean[] {value == 7, ran.get() != joiner};
            });
            assertTrue(result[0], "the value of the started task");
            assertTrue(result[1], "a started task is never run a second time inline");
        } finally {
            close(runtime);
        }
    }

    /**
     * Stealable tasks joined while idle workers steal: every body runs exactly once (an inline claim
     * and a thief's start never both win), every sum is right, and shutdown terminates (every spawned
     * task counted as ended exactly once, whichever way it ran).
     */
    @Test
    void stolenAndClaimedTasksRunExactlyOnceAndAreCountedOnce() throws Exception {
        Runtime runtime = runtime(2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Integer.getInteger("veloq.stress.seconds", 2));
        int rounds = 0;
        try {
            do {
                int leaves = 10_000;
                AtomicIntegerArray runs = new AtomicIntegerArray(leaves);
                long sum = runtime.blockOn(() -> tree(runtime, runs, 0, leaves));
                assertEquals((long) leaves * (leaves - 1) / 2, sum);
                for (int i = 0; i < leaves; i++) {
                    assertEquals(1, runs.get(i), "leaf " + i + " ran once");
                }
                rounds++;
            } while (System.nanoTime() - deadline < 0);
        } finally {
            close(runtime);
        }
        assertTrue(rounds > 0);
        assertTrue(reports.failures.isEmpty(), () -> "unexpected reports: " + reports.failures);
    }

    private static long tree(Runtime runtime, AtomicIntegerArray runs, int from, int size) {
        if (size == 1) {
            runs.incrementAndGet(from);
            return from;
        }
        int fanout = Math.min(10, size);
        int step = size / fanout;
        List<JoinHandle<Long>> children = new ArrayList<>(fanout);
        for (int i = 0; i < fanout; i++) {
            int start = from + i * step;
            int length = i == fanout - 1 ? size - i * step : step;
            children.add(runtime.spawn(() -> tree(runtime, runs, start, length)));
        }
        long sum = 0;
        for (JoinHandle<Long> child : children) {
            sum += child.join();
        }
        return sum;
    }
}
