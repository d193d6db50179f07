package io.veloq.core.sched;

import io.veloq.core.driver.Driver;
import io.veloq.core.timer.TimerQueue;
import io.veloq.mesh.Mesh;
import io.veloq.mesh.SleepState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.jctools.queues.SpmcArrayQueue;

/**
 * One worker: a pinned platform thread, the virtual-thread scheduler of every task it runs, and
 * the owner of its run queues, driver, timers and runners. This class holds the worker's state and
 * what runs on tasks (execute, spawn, task bookkeeping); {@link WorkerLoop} runs the rounds. The
 * protocols are in the package documentation.
 *
 * <p>Threading contract:
 * <ul>
 *   <li>{@link #execute} — any thread (it is the scheduler the JDK calls, with the caller pinned):
 *       the owner's OS thread enqueues locally, another worker of the same runtime sends through the
 *       mesh, every other thread goes through the injector and wakes the worker. Lock-free.</li>
 *   <li>Stealing: other workers and {@code shutdownNow} poll {@link #stealQueue} (SPMC).</li>
 *   <li>{@link #spawned}, {@link #ended}, {@link #load}, {@link #lastStarted}: single writer (the
 *       owner), read by any thread through the VarHandles named at each use.</li>
 *   <li>Everything else — owner only: the platform thread, and virtual threads mounted on it
 *       (the same OS thread), so plain accesses.</li>
 * </ul>
 * Lifecycle: constructed by the {@link Scheduler}, started once; its {@link WorkerLoop} pins, creates
 * the driver, loops until the runtime terminates, then retires its runners and closes the driver.
 */
public final class Worker implements Executor {

    private static final VarHandle SPAWNED;
    private static final VarHandle ENDED;
    private static final VarHandle LOAD;
    private static final VarHandle LAST_STARTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SPAWNED = lookup.findVarHandle(Worker.class, "spawned", long.class);
            ENDED = lookup.findVarHandle(Worker.class, "ended", long.class);
            LOAD = lookup.findVarHandle(Worker.class, "load", int.class);
            LAST_STARTED = lookup.findVarHandle(Worker.class, "lastStarted", Runner.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Immutable after construction.
    final int index;
    final Scheduler scheduler;
    final int cpu;
    final SleepState sleepState;
    final LocalRunQueue runQueue;
    final SpmcArrayQueue<SpawnTask<?>> stealQueue;
    final MpscUnboundedXaddArrayQueue<Object> injector;
    final TimerQueue timers;
    final RunnerPool runners;
    final String runnerName;
    final WorkerLoop loop;
    private final Mesh<Object> mesh;
    private final boolean soleWorker;
    WorkerThread thread;

    // Owner only (this worker's OS thread), shared with WorkerLoop.
    Driver driver;
    /** What is left of the current run phase's budget; 0 outside the run phase. */
    int roundBudget;
    /** The lifecycle state this worker has acted on. */
    int seenState = Scheduler.RUNNING;
    /** Tasks whose inline run failed outside their body, to finish on a shallow frame. */
    final HandBacks handBacks = new HandBacks();
    private boolean capturing;
    private Runnable captured;
    private int spawnCounter;
    private ClassLoader runnerLoader;

    // Single writer (owner), read by others through the VarHandles.
    @SuppressWarnings("unused") private long spawned;
    @SuppressWarnings("unused") private long ended;
    @SuppressWarnings("unused") private int load;
    @SuppressWarnings("unused") private Runner lastStarted;
    /** The driver for {@link #wakeDriver}; written once by the owner before it can sleep. */
    private volatile Driver wakeTarget;
    /** Set by the owner as it leaves its loop; afterwards {@code execute} from others is rejected. */
    private volatile boolean terminated;

    Worker(Scheduler scheduler, int index, int cpu, SchedulerConfig config, SleepState sleepState, Mesh<Object> mesh) {
        this.scheduler = scheduler;
        this.index = index;
        this.cpu = cpu;
        this.sleepState = sleepState;
        this.mesh = mesh;
        this.soleWorker = config.workers() == 1;
        this.runQueue = new LocalRunQueue(config.runQueueCapacity());
        this.stealQueue = new SpmcArrayQueue<>(config.runQueueCapacity());
        this.injector = new MpscUnboundedXaddArrayQueue<>(1024);
        this.timers = new TimerQueue(failure -> scheduler.reporting.reportError("a timer action on worker " + index + " failed", failure));
        this.runnerName = config.threadNamePrefix() + index + "-task";
        this.runners = new RunnerPool(this, VirtualThreads.factory(this, runnerName, null));
        this.loop = new WorkerLoop(this, config);
    }

    /** The worker the caller runs on (as platform thread or as a task mounted on it), or null. */
    public static Worker current() {
        return VirtualThreads.currentCarrier() instanceof WorkerThread t ? t.worker : null;
    }

    public int index() {
        return index;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Owner only: this worker's driver. */
    public Driver driver() {
        return driver;
    }

    /** Owner only: this worker's timers. */
    public TimerQueue timers() {
        return timers;
    }

    // ---------------------------------------------------------------- the scheduler the JDK calls

    /**
     * Schedules a continuation of one of this worker's virtual threads. Any thread; see the class
     * threading contract. Never blocks.
     */
    @Override
    public void execute(Runnable continuation) {
        Objects.requireNonNull(continuation, "continuation");
        Worker here = current();
        if (here == this) {
            if (capturing) {
                captured = continuation;
                capturing = false;
                return;
            }
            runQueue.offer(continuation);
        } else if (terminated) { // volatile read; pairs with markTerminated (a racing send may still be dropped: see exit)
            throw new RejectedExecutionException("worker " + index + " has terminated");
        } else if (here != null && here.scheduler == scheduler) {
            mesh.send(here.index, index, continuation); // wakes this worker if it sleeps
        } else {
            injector.offer(continuation); // XADD: release publish; pairs with the drain's acquire
            sleepState.notifyWork();
        }
    }

    void beginCapture() {
        capturing = true;
        captured = null;
    }

    Runnable endCapture() {
        capturing = false;
        Runnable c = captured;
        captured = null;
        return c;
    }

    // ---------------------------------------------------------------- spawning

    /** Owner: counts and queues a task spawned on this worker. */
    void spawnHere(SpawnTask<?> task) {
        countSpawned();
        if (!task.stealable || soleWorker || !stealQueue.offer(task)) {
            runQueue.offer(task); // with one worker nobody steals: skip the SPMC queue's CAS
        } else if ((++spawnCounter & 63) == 0 && stealQueue.size() >= WorkerLoop.STEAL_BATCH) {
            loop.wakeSleepingPeer(); // a long spawning streak: let an idle peer come and steal
        }
    }

    /** Owner (the sender): counts the task here and hands it to {@code target} through the mesh. */
    void sendTask(Worker target, SpawnTask<?> task) {
        countSpawned();
        mesh.send(index, target.index, task);
    }

    /** Any thread outside this runtime's workers: queues a task (already counted) in the injector. */
    void inject(Object item) {
        injector.offer(item); // XADD: release publish; pairs with the drain's acquire
        sleepState.notifyWork();
    }

    /** Owner: counts a task spawned by code on this worker that runs elsewhere (blocking pool). */
    void countSpawned() {
        SPAWNED.setRelease(this, (long) SPAWNED.get(this) + 1); // pairs with getAcquire in spawnedCount
    }

    long spawnedCount() {
        return (long) SPAWNED.getAcquire(this); // pairs with setRelease in countSpawned
    }

    long endedCount() {
        return (long) ENDED.getAcquire(this); // pairs with setRelease in taskEnded
    }

    int load() {
        return (int) LOAD.getOpaque(this); // a hint for power-of-two choices; no ordering needed
    }

    Runner lastStarted() {
        return (Runner) LAST_STARTED.getAcquire(this); // pairs with setRelease in runTask: runner.thread is visible
    }

    // ---------------------------------------------------------------- task execution (owner)

    /**
     * On a runner (mounted here): runs one claimed task and does the bookkeeping around it. Never
     * throws: the runner must go on to its next task, and the task must end (handle decided, end
     * counted) whatever fails around its body. This is the bottom of the runner's stack, where the
     * runtime's own steps have room, so a task whose completion threw is finished right here ({@link
     * #finishAfterError}) rather than handed back like an inline run's.
     */
    void runTask(Runner runner, SpawnTask<?> task) {
        Thread self = runner.thread;
        Thread.interrupted(); // a stale interrupt (cancel of the previous task) must not reach this one
        runner.current = task;
        LAST_STARTED.setRelease(this, runner); // pairs with getAcquire in lastStarted (shutdownNow)
        try {
            Throwable failure = null;
            try {
                if (scheduler.state() >= Scheduler.STOP) {
                    Throwable failed = task.cancelUnstarted();
                    if (failed != null) {
                        reportAroundBody(task, failed);
                    }
                } else {
                    if (scheduler.debug) {
                        self.setName(task.name);
                    }
                    failure = task.run(self, false);
                }
            } catch (Throwable escaped) { // not the body's failure: run() keeps that in the handle
                runner.overflowed |= escaped instanceof StackOverflowError;
                finishAfterError(task, escaped);
            }
            runner.current = null;
            if (failure != null) {
                // Before the reset: the handler sees the task's thread state (e.g. a logging MDC), and
                // whatever it leaves on the runner is cleared before the next task.
                scheduler.reporting.reportUncaught(task, self, failure);
            }
            resetRunner(runner, self);
        } catch (Throwable bug) {
            runner.current = null;
            scheduler.reporting.reportError("the runner of task '" + task.name + "' on worker " + index
                    + " failed after the task", bug);
        }
        if (runner.overflowed) { // rare: a StackOverflowError went through here (see Runner.overflowed)
            runner.overflowed = false;
            int undone = VirtualThreads.unpinLeaked(self);
            if (undone > 0) {
                scheduler.reporting.warn("a StackOverflowError inside the JDK left a runner of worker " + index
                        + " pinned (" + undone + "); unpinned, so that it does not block the worker when it parks");
            }
        }
        settleHandBacks(); // before the end of this task, which keeps the runtime from quiescence until then
        taskEnded();
    }

    /**
     * The runtime's own steps around a claimed task's body threw (its start, its completion, waking
     * its joiners): the task is finished with that Error ({@link SpawnTask#finishAfterError}), and it
     * is reported, since nobody may have seen it.
     */
    void finishAfterError(SpawnTask<?> task, Throwable error) {
        Throwable again = task.finishAfterError(error);
        if (again != null) {
            error.addSuppressed(again);
        }
        reportAroundBody(task, error);
    }

    private void reportAroundBody(SpawnTask<?> task, Throwable error) {
        scheduler.reporting.reportError("task '" + task.name + "' on worker " + index
                + ": the runtime failed around its body", error);
    }

    /**
     * Owner, after a claim: starts {@code task} on a runner. A task whose runner cannot be started
     * (creating its virtual thread failed: out of memory) ends failed with that Error, and the worker
     * goes on.
     */
    void startClaimed(SpawnTask<?> task) {
        try {
            runners.start(task);
        } catch (Throwable failure) {
            finishAfterError(task, failure);
            taskEnded();
        }
    }

    /** On a runner, after a task: the next not-yet-started task to run inline, within the budget. */
    SpawnTask<?> pollInline() {
        while (roundBudget > 0) {
            SpawnTask<?> next = stealQueue.relaxedPoll();
            if (next == null) {
                if (!(runQueue.peek() instanceof SpawnTask<?> local)) {
                    return null;
                }
                runQueue.poll();
                next = local;
            }
            roundBudget--;
            if (claimEntry(next)) {
                return next;
            }
        }
        return null;
    }

    /**
     * Owner, for every not-yet-started task taken off a queue: claims it for running or dropping.
     * False when a joiner already claimed it to run it inline: the entry is spent and the task ends
     * here (the inline run never counts an end; see the package documentation, "Help while join").
     */
    boolean claimEntry(SpawnTask<?> task) {
        if (task.claim()) {
            return true;
        }
        taskEnded();
        return false;
    }

    void runContinuation(Runnable continuation) {
        try {
            continuation.run();
        } catch (Throwable failure) {
            scheduler.reporting.reportError("a continuation on worker " + index + " failed", failure);
        }
        // The worker's thread is back from a runner (this is its shallow frame): a joiner that handed a
        // task back may now be parked waiting for it.
        settleHandBacks();
    }

    /** Owner, on a shallow frame: finishes the tasks inline runs handed back (see {@link HandBacks}). */
    void settleHandBacks() {
        if (handBacks.count != 0) {
            handBacks.settle(scheduler.reporting);
        }
    }

    /** Owner: a claimed not-yet-started task that will never run ends as cancelled. */
    void dropUnstarted(SpawnTask<?> task) {
        Throwable failed = task.cancelUnstarted();
        if (failed != null) {
            reportAroundBody(task, failed);
        }
        taskEnded();
    }

    // ---------------------------------------------------------------- lifecycle hooks for WorkerLoop (owner)

    /** Owner, once, after pinning: the driver exists; the worker may now sleep. */
    void started(Driver created) {
        runnerLoader = Thread.currentThread().getContextClassLoader();
        driver = created;
        wakeTarget = created; // volatile: published before this worker can announce sleep
    }

    void publishLoad(int value) {
        LOAD.setOpaque(this, value); // a hint for spawnBalanced; no ordering needed
    }

    void markTerminated() {
        terminated = true; // volatile: execute() from other threads reads it
    }

    /** Any thread: whether this worker has left its loop (it answers no more requests). */
    boolean hasTerminated() {
        return terminated; // volatile: pairs with markTerminated
    }

    /** The waker given to this worker's SleepState: any thread. */
    void wakeDriver() {
        Driver d = wakeTarget; // volatile: pairs with the write in started()
        if (d != null) {
            d.wake();
        }
    }

    /** The context class loader of every task: the one of the thread that built the runtime. */
    ClassLoader runnerLoader() {
        return runnerLoader;
    }

    boolean isTerminating() {
        return seenState == Scheduler.TERMINATING;
    }

    private void resetRunner(Runner runner, Thread self) {
        VirtualThreads.resetForNextTask(self);
        if (VirtualThreads.ownUncaughtHandler(self) != runner) { // a task replaced it: InlineJoin finds runners by it
            self.setUncaughtExceptionHandler(runner);
        }
        if (self.getName() != runnerName) { // identity: set only by a task or debug mode
            self.setName(runnerName);
        }
        ClassLoader loader = self.getContextClassLoader();
        if (loader != runnerLoader) {
            self.setContextClassLoader(runnerLoader);
        }
    }

    void taskEnded() {
        ENDED.setRelease(this, (long) ENDED.get(this) + 1); // pairs with getAcquire in endedCount
        if (scheduler.state() != Scheduler.RUNNING) {
            scheduler.lifecycle.tryTerminate();
        }
    }

    /** Owner: one paragraph about this worker and its tasks, for {@code dumpTasks}. */
    String describe() {
        return TaskDump.describe(this, driver);
    }

    @Override
    public String toString() {
        return "Worker[" + index + (cpu >= 0 ? ", cpu " + cpu : "") + "]";
    }
}
