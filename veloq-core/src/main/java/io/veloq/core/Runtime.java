package io.veloq.core;

import io.veloq.core.sched.Placement;
import io.veloq.core.sched.Scheduler;
import io.veloq.core.sched.SchedulerConfig;
import io.veloq.join.JoinHandle;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A thread-per-core runtime: N workers, each a pinned platform thread that runs tasks — virtual
 * threads whose scheduler is the worker — and owns everything they touch. Build one with {@link
 * #builder()}; it is an {@link java.util.concurrent.ExecutorService} and {@link AutoCloseable}.
 *
 * <h2>Spawning</h2>
 * Every spawn returns a {@link JoinHandle} (a {@link java.util.concurrent.Future}) and has four
 * forms: {@code (Callable)}, {@code (String name, Callable)}, {@code (Runnable)} and {@code (String
 * name, Runnable)}; Runnable forms complete with {@code null}. A task's checked exception fails it
 * like any other (see {@link JoinHandle#join()}). Unnamed tasks are named {@code "task"} ({@code
 * "task-<n>"} in debug mode), so that naming costs nothing unless asked for.
 * <ul>
 *   <li>{@link #spawn}: on the caller's worker, stealable by an idle worker until it first runs; from
 *       outside the runtime, on a random worker (stealable there).</li>
 *   <li>{@link #spawnLocal}: on the caller's worker, never stolen; inside the runtime only
 *       ({@link IllegalStateException} elsewhere).</li>
 *   <li>{@link #spawnOn}: on the given worker ({@link IndexOutOfBoundsException} naming the worker
 *       count), delivered through the mesh (from a worker) or the worker's injector.</li>
 *   <li>{@link #spawnBalanced}: power of two choices on the workers' load counters, delivered through
 *       the mesh.</li>
 *   <li>{@link #spawnBlocking}: on a separate pool of platform threads for blocking or CPU-heavy calls
 *       (at most {@code blockingThreads}; further tasks queue, they are not rejected).</li>
 *   <li>{@link #blockOn}: from a thread outside the runtime, run a task and wait for it.</li>
 * </ul>
 * A task is home-bound from its first run on: it parks and resumes on that one worker. Null tasks
 * or names throw {@link NullPointerException}; spawning into a shut-down runtime throws {@link
 * java.util.concurrent.RejectedExecutionException} (see Shutdown for tasks spawning from inside).
 *
 * <h2>Tasks, threads and thread-locals</h2>
 * A task runs on a <em>runner</em>: a virtual thread of its worker that runs not-yet-started tasks
 * one after another without unmounting (creating a virtual thread per task would cost more than
 * the task). A task that parks keeps its runner; the worker serves the next task with another one.
 * Consequences, as for any thread pool: {@code Thread.currentThread()} (its identity, id and name)
 * may be shared by successive tasks, so do not keep it as a per-task key. Veloq resets what a task
 * can leave behind before the next task on the runner: all {@link ThreadLocal} and {@link
 * InheritableThreadLocal} values (so each task starts with fresh thread-locals, as if it had its own
 * virtual thread), the thread's name, its context class loader (every task starts with the one of
 * the thread that built the runtime) and its interrupt status.
 *
 * <p>Help while join: a task that joins ({@code join()} or {@code get()}) a task that has not
 * started yet and that it may run — a stealable {@link #spawn} task of this runtime, or a {@link
 * #spawnLocal} / {@link #spawnOn} / {@link #spawnBalanced} task bound to the joiner's own worker —
 * runs it inline on its own thread instead of parking, as fork/join does. The inline task sees what
 * it would see on a fresh runner (empty thread-locals, no {@code ScopedValue} bindings, the runner's
 * name, the runtime's context class loader, no interrupt), and the joiner gets its own back afterwards, including a pending
 * interrupt; a {@code cancel(true)} of the inline task interrupts the joiner's thread while the
 * task runs, and that interrupt is cleared when the task ends. One difference remains visible: an
 * interrupt the inline task leaves set on itself (without being cancelled) stays set on the joiner,
 * as any interrupt aimed at the joiner during the run does. A task's failure goes to its joiner,
 * never to the uncaught-exception handler, when it ran inline. Virtual
 * threads created inside a task with {@code Thread.ofVirtual()} inherit the worker as scheduler; they
 * are not tasks (no handle, not awaited by shutdown) — use {@link #spawn} or {@link #threadFactory()}.
 *
 * <p>Blocking JDK calls in a task ({@code Thread.sleep}, locks, {@code synchronized}, queues, socket
 * I/O) park the task, not the worker, which runs other tasks meanwhile. Where the JDK pins a virtual
 * thread to its carrier (a native frame on the stack, a class initialiser) a blocking call blocks
 * the whole worker: use {@link #spawnBlocking} for such calls and for long CPU-bound work.
 *
 * <h2>Failures</h2>
 * A failure is kept in the task's handle. It is also passed to the uncaught-exception handler
 * (builder; default: the JVM's default handler, else stderr) when nobody observed the handle at
 * the moment the task failed, and always for {@link #execute} tasks, which have no handle ({@link
 * #blockOn} failures go back to its caller only). A joiner that arrives after the failure still
 * gets it from the handle, so such a failure may be both reported and joined. The
 * handler is called on the task's thread, renamed {@code veloq task '<name>'} for the call; in
 * debug mode the failure carries the spawn stack as a suppressed exception.
 *
 * <h2>Shutdown</h2>
 * {@link #shutdown()}: no new tasks from outside; queued and running tasks finish, and may still
 * spawn (so that a running task can fan out and join), then the workers end, their drivers close and
 * the blocking pool stops. {@link #shutdownNow()}: no new tasks at all; stealable queued tasks are
 * returned (cancelled), tasks queued elsewhere are cancelled by their worker, running tasks are
 * interrupted; every handle ends. After {@link #awaitTermination} returns true no Veloq thread is
 * left. {@link #close()} shuts down and waits; calling it from one of the runtime's own tasks throws
 * {@link IllegalStateException} (it would wait for itself).
 *
 * <p>Threading: every method may be called from any thread unless stated otherwise.
 */
public final class Runtime extends AbstractExecutorService {

    private final Scheduler scheduler;
    private final ThreadFactory threadFactory;

    Runtime(SchedulerConfig config) {
        this.scheduler = new Scheduler(config, this);
        this.threadFactory = scheduler.threadFactory();
    }

    public static RuntimeBuilder builder() {
        return new RuntimeBuilder();
    }

    /** Number of workers. */
    public int workerCount() {
        return scheduler.workerCount();
    }

    // ---------------------------------------------------------------- blockOn

    /**
     * Runs {@code task} as a task of this runtime and waits for it, from a thread outside the
     * runtime (an application's {@code main}, a test).
     *
     * @return the task's value
     * @throws Exception the task's own exception, unchanged (checked or not)
     * @throws InterruptedException if the calling thread is interrupted while waiting; the task is
     *     then cancelled with interruption
     * @throws CancellationException if the task was cancelled (e.g. by shutdownNow)
     * @throws IllegalStateException if called from inside this runtime (it would block a worker's
     *     task on itself; use {@code spawn(...).join()})
     */
    public <T> T blockOn(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        if (scheduler.isInside()) {
            throw new IllegalStateException("blockOn must be called from outside the runtime; inside a task use spawn(...).join()");
        }
        JoinHandle<T> handle = scheduler.spawnAwaited("blockOn", task);
        try {
            return handle.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (InterruptedException e) {
            handle.cancel(true);
            throw e;
        }
    }

    /** {@link #blockOn(Callable)} for a Runnable; unchecked exceptions and errors come back unchanged. */
    public void blockOn(Runnable task) {
        Objects.requireNonNull(task, "task");
        try {
            blockOn(() -> {
                task.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting in blockOn; the task was cancelled");
        } catch (Exception e) {
            throw new IllegalStateException(e); // unreachable: a Runnable throws no checked exception
        }
    }

    // ---------------------------------------------------------------- spawn

    public <T> JoinHandle<T> spawn(Callable<T> task) {
        return scheduler.spawn(Placement.SPAWN, -1, null, task);
    }

    public <T> JoinHandle<T> spawn(String name, Callable<T> task) {
        return scheduler.spawn(Placement.SPAWN, -1, named(name), task);
    }

    public JoinHandle<Void> spawn(Runnable task) {
        return scheduler.spawn(Placement.SPAWN, -1, null, task);
    }

    public JoinHandle<Void> spawn(String name, Runnable task) {
        return scheduler.spawn(Placement.SPAWN, -1, named(name), task);
    }

    // ---------------------------------------------------------------- spawnLocal

    public <T> JoinHandle<T> spawnLocal(Callable<T> task) {
        return scheduler.spawn(Placement.LOCAL, -1, null, task);
    }

    public <T> JoinHandle<T> spawnLocal(String name, Callable<T> task) {
        return scheduler.spawn(Placement.LOCAL, -1, named(name), task);
    }

    public JoinHandle<Void> spawnLocal(Runnable task) {
        return scheduler.spawn(Placement.LOCAL, -1, null, task);
    }

    public JoinHandle<Void> spawnLocal(String name, Runnable task) {
        return scheduler.spawn(Placement.LOCAL, -1, named(name), task);
    }

    // ---------------------------------------------------------------- spawnOn

    public <T> JoinHandle<T> spawnOn(int worker, Callable<T> task) {
        return scheduler.spawn(Placement.ON, worker, null, task);
    }

    public <T> JoinHandle<T> spawnOn(int worker, String name, Callable<T> task) {
        return scheduler.spawn(Placement.ON, worker, named(name), task);
    }

    public JoinHandle<Void> spawnOn(int worker, Runnable task) {
        return scheduler.spawn(Placement.ON, worker, null, task);
    }

    public JoinHandle<Void> spawnOn(int worker, String name, Runnable task) {
        return scheduler.spawn(Placement.ON, worker, named(name), task);
    }

    // ---------------------------------------------------------------- spawnBalanced

    public <T> JoinHandle<T> spawnBalanced(Callable<T> task) {
        return scheduler.spawn(Placement.BALANCED, -1, null, task);
    }

    public <T> JoinHandle<T> spawnBalanced(String name, Callable<T> task) {
        return scheduler.spawn(Placement.BALANCED, -1, named(name), task);
    }

    public JoinHandle<Void> spawnBalanced(Runnable task) {
        return scheduler.spawn(Placement.BALANCED, -1, null, task);
    }

    public JoinHandle<Void> spawnBalanced(String name, Runnable task) {
        return scheduler.spawn(Placement.BALANCED, -1, named(name), task);
    }

    // ---------------------------------------------------------------- spawnBlocking

    public <T> JoinHandle<T> spawnBlocking(Callable<T> task) {
        return scheduler.spawn(Placement.BLOCKING, -1, null, task);
    }

    public <T> JoinHandle<T> spawnBlocking(String name, Callable<T> task) {
        return scheduler.spawn(Placement.BLOCKING, -1, named(name), task);
    }

    public JoinHandle<Void> spawnBlocking(Runnable task) {
        return scheduler.spawn(Placement.BLOCKING, -1, null, task);
    }

    public JoinHandle<Void> spawnBlocking(String name, Runnable task) {
        return scheduler.spawn(Placement.BLOCKING, -1, named(name), task);
    }

    // ---------------------------------------------------------------- embedding

    /**
     * Threads that are tasks of this runtime: unstarted virtual threads that, once started, are
     * bound to a worker (the caller's, or a balanced choice from outside) and counted by shutdown.
     * Like {@code Thread.ofVirtual()} threads they inherit the creating thread's inheritable
     * thread-locals and context class loader; each has its own thread (no runner sharing).
     * Usable with {@code Executors.newThreadPerTaskExecutor} and {@code StructuredTaskScope}.
     * Starting one after shutdown throws {@link java.util.concurrent.RejectedExecutionException}.
     */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /**
     * A human-readable list of each worker's started tasks (with thread state) and queued tasks,
     * by name, with spawn stacks in debug mode. Waits up to two seconds for busy workers.
     */
    public String dumpTasks() {
        return scheduler.dumpTasks();
    }

    /** A fire-and-forget task (like {@link #spawn(Runnable)} without a handle); failures reach the handler. */
    @Override
    public void execute(Runnable command) {
        scheduler.execute(command);
    }

    @Override
    public <T> JoinHandle<T> submit(Callable<T> task) {
        return spawn(task);
    }

    @Override
    public JoinHandle<?> submit(Runnable task) {
        return spawn(task);
    }

    @Override
    public <T> JoinHandle<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return spawn(() -> {
            task.run();
            return result;
        });
    }

    @Override
    public void shutdown() {
        scheduler.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return scheduler.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return scheduler.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return scheduler.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return scheduler.awaitTermination(timeout, Objects.requireNonNull(unit, "unit"));
    }

    /**
     * Shuts down and waits until terminated; if interrupted while waiting, switches to {@link
     * #shutdownNow()} and keeps waiting, then restores the interrupt status.
     *
     * @throws IllegalStateException if called from one of this runtime's tasks (including
     *     {@code spawnBlocking} tasks and {@link #threadFactory()} threads)
     */
    @Override
    public void close() {
        if (scheduler.isOwnThread()) {
            throw new IllegalStateException("close() called from inside this runtime would wait for itself;"
                    + " call shutdown() from inside, close() from outside");
        }
        shutdown();
        boolean interrupted = false;
        boolean done = false;
        while (!done) {
            try {
                done = awaitTermination(1, TimeUnit.DAYS);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    shutdownNow();
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    private static String named(String name) {
        return Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return "Veloq Runtime[" + workerCount() + " workers" + (isTerminated() ? ", terminated" : isShutdown() ? ", shut down" : "") + "]";
    }
}
