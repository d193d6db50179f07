package io.veloq.core.sched;

import io.veloq.core.driver.Driver;
import io.veloq.mesh.Mesh;
import java.util.function.Consumer;
import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.MessagePassingQueue;

/**
 * The loop of one worker: start (pin, driver), rounds, idle spinning, stealing, sleep, exit. The
 * protocols are in the package documentation ("The worker round", "Sleep and wake", "Stealing",
 * "Shutdown"); this class implements them over the state its {@link Worker} holds.
 *
 * <p>Threading contract: owner only — every method runs on the worker's platform thread; all
 * fields are plain. Lifecycle: {@link #run()} once, as the body of the {@link WorkerThread}.
 */
final class WorkerLoop {

    /** Re-scan for quiescence at least this often while shutting down and idle. */
    private static final long QUIESCENCE_RESCAN_NANOS = 1_000_000;
    /** Retry a full mesh queue at least this often while this worker holds overflow. */
    private static final long OVERFLOW_RETRY_NANOS = 50_000;
    /** Most tasks taken from one victim per steal. */
    static final int STEAL_BATCH = 32;

    private final Worker worker;
    private final Scheduler scheduler;
    private final Mesh<Object> mesh;
    private final int tasksPerRound;
    private final int meshPerRound;
    private final int spinRounds;
    /** See {@code RuntimeBuilder.cpuYieldInterval}; negative: never. */
    private final long cpuYieldNanos;
    /** When this worker last yielded its CPU (or started). */
    private long lastCpuYield;
    private final IdleStrategy idle;
    private final Consumer<Object> meshSink = this::acceptInbound;
    private final MessagePassingQueue.Consumer<Object> injectorSink = this::acceptInbound;

    private boolean preferStealable;
    private boolean stopHandled;
    private int stealCursor;
    private int wakeCursor;

    /** Owner only: consecutive driver failures, for rate-limited reports. */
    private long driverFailures;

    WorkerLoop(Worker worker, SchedulerConfig config) {
        this.worker = worker;
        this.scheduler = worker.scheduler;
        this.mesh = scheduler.mesh;
        this.tasksPerRound = config.tasksPerRound();
        this.meshPerRound = config.meshMessagesPerRound();
        this.spinRounds = config.idleSpinRounds();
        this.cpuYieldNanos = config.cpuYieldNanos();
        this.idle = java.util.Objects.requireNonNull(config.idleStrategy().get(), "idleStrategy supplied null");
    }

    void run() {
        Throwable failure = null;
        try {
            if (worker.cpu >= 0) {
                String refused = CpuAffinity.pinCurrentThread(worker.cpu);
                if (refused != null) {
                    scheduler.reporting.warnPinningOnce(worker.index, refused);
                }
            }
            // Created after pinning, on this thread: the driver's memory is first touched here.
            Driver created = scheduler.config.driverFactory().create(worker.index);
            if (created == null) {
                throw new IllegalStateException("the driver factory returned null");
            }
            worker.started(created);
        } catch (Throwable e) {
            failure = e;
        }
        scheduler.lifecycle.workerStarted(worker, failure);
        if (failure != null) {
            scheduler.lifecycle.workerExited(worker);
            return;
        }
        try {
            loop();
        } catch (Throwable bug) {
            scheduler.reporting.reportError("worker " + worker.index + " stopped on an internal error", bug);
        } finally {
            exit();
            scheduler.lifecycle.workerExited(worker);
        }
    }

    private void loop() {
        int idleRounds = 0;
        lastCpuYield = System.nanoTime();
        for (;;) {
            int work = round();
            if (cpuYieldNanos >= 0) {
                yieldCpuIfDue();
            }
            if (worker.seenState == Scheduler.TERMINATING) {
                return;
            }
            if (work > 0 || trySteal()) {
                if (idleRounds > 0) {
                    idleRounds = 0;
                    idle.reset();
                }
                continue;
            }
            if (worker.seenState != Scheduler.RUNNING) {
                scheduler.lifecycle.tryTerminate(); // idle while shutting down: re-scan for quiescence
            }
            if (idleRounds < spinRounds) {
                idleRounds++;
                idle.idle();
                continue;
            }
            sleep(); // idleRounds stays: after a wake-up without work, sleep again at once
        }
    }

    /**
     * Offers this worker's CPU to other runnable threads once {@code cpuYieldNanos} have passed
     * since the last offer. A worker with work never blocks, so this is how a thread sharing its
     * CPU runs before the kernel preempts the worker at a timer tick; see the builder setting.
     */
    private void yieldCpuIfDue() {
        long now = System.nanoTime();
        if (now - lastCpuYield >= cpuYieldNanos) {
            Thread.yield(); // the worker is a platform thread: sched_yield(2)
            lastCpuYield = now;
        }
    }

    /** One round: B tasks, M mesh messages, driver completions, the injector, due timers. */
    private int round() {
        int work = runPhase();
        work += mesh.drain(worker.index, meshPerRound, meshSink);
        work += pollDriver();
        work += worker.injector.drain(injectorSink, tasksPerRound);
        if (!worker.timers.isEmpty()) {
            work += worker.timers.runDue(System.nanoTime());
        }
        if (mesh.hasOverflow(worker.index)) {
            mesh.flushOverflow(worker.index);
        }
        int state = scheduler.state();
        if (state != worker.seenState) {
            work += onStateChange(state);
        }
        int backlog = worker.stealQueue.size();
        worker.publishLoad(worker.runQueue.size() + backlog + worker.runners.busy());
        if (backlog > 0) {
            wakeSleepingPeer();
        }
        return work;
    }

    private int runPhase() {
        LocalRunQueue local = worker.runQueue;
        worker.roundBudget = tasksPerRound;
        while (worker.roundBudget > 0) {
            Object item;
            if (preferStealable) {
                item = worker.stealQueue.relaxedPoll();
                if (item == null) {
                    item = local.poll();
                }
            } else {
                item = local.poll();
                if (item == null) {
                    item = worker.stealQueue.relaxedPoll();
                }
            }
            preferStealable = !preferStealable; // neither queue can starve the other
            if (item == null) {
                break;
            }
            worker.roundBudget--;
            if (item instanceof SpawnTask<?> task) {
                if (worker.claimEntry(task)) { // false: a joiner ran it inline; the entry is dropped
                    worker.startClaimed(task);
                }
            } else {
                worker.runContinuation((Runnable) item);
            }
        }
        int done = tasksPerRound - worker.roundBudget;
        worker.roundBudget = 0; // runners resumed outside this phase do not run tasks inline
        return done;
    }

    /** Mesh and injector items land in the local queues; the run phase is the only place that runs. */
    private void acceptInbound(Object item) {
        if (item instanceof SpawnTask<?> task && task.stealable && worker.stealQueue.offer(task)) {
            return;
        }
        worker.runQueue.offer(item);
    }

    private int onStateChange(int state) {
        worker.seenState = state;
        if (state >= Scheduler.STOP && !stopHandled) {
            stopHandled = true;
            worker.runners.interruptBusy();
        }
        if (state == Scheduler.SHUTDOWN || state == Scheduler.STOP) {
            scheduler.lifecycle.tryTerminate();
        }
        return 1;
    }

    /** Idle: takes up to half (at most {@value #STEAL_BATCH}) of another worker's stealable tasks. */
    private boolean trySteal() {
        Worker[] all = scheduler.workers;
        int n = all.length;
        for (int k = 1; k < n; k++) {
            Worker victim = all[(worker.index + stealCursor + k) % n];
            if (victim == worker) {
                continue;
            }
            int available = victim.stealQueue.size();
            if (available == 0) {
                continue;
            }
            int want = Math.min(STEAL_BATCH, (available + 1) >>> 1);
            int got = 0;
            while (got < want) {
                SpawnTask<?> task = victim.stealQueue.poll(); // CAS on the victim's consumer index
                if (task == null) {
                    break;
                }
                got++;
                if (!worker.stealQueue.offer(task)) {
                    worker.runQueue.offer(task);
                }
            }
            if (got > 0) {
                stealCursor = (stealCursor + k) % n;
                return true;
            }
        }
        return false;
    }

    /** Wakes one sleeping peer (round robin) so that it can steal from this worker's backlog. */
    void wakeSleepingPeer() {
        Worker[] all = scheduler.workers;
        int n = all.length;
        if (n == 1) {
            return;
        }
        wakeCursor = wakeCursor + 1 == n ? 0 : wakeCursor + 1;
        Worker peer = all[wakeCursor];
        if (peer != worker && peer.sleepState.isSleeping()) {
            peer.sleepState.notifyWork();
        }
    }

    private void sleep() {
        worker.sleepState.announceSleep(); // publishes SLEEPING, then a full fence, before the re-check
        if (hasWork()) {
            worker.sleepState.awake();
            return;
        }
        long deadline = worker.timers.nextDeadline();
        if (mesh.hasOverflow(worker.index)) {
            deadline = Math.min(deadline, System.nanoTime() + OVERFLOW_RETRY_NANOS);
        }
        if (worker.seenState != Scheduler.RUNNING) {
            deadline = Math.min(deadline, System.nanoTime() + QUIESCENCE_RESCAN_NANOS);
        }
        try {
            worker.driver.park(deadline);
        } catch (RuntimeException | LinkageError e) {
            driverFailed("park", e);
        }
        worker.sleepState.awake();
    }

    /**
     * A driver that throws from poll or park must not stop the worker: its other sources (run
     * queue, mesh, injector, timers) and the runtime's lifecycle still depend on this loop, and a
     * stopped worker would leave its tasks and every joiner of them hanging. The failure is
     * reported (the first, then at each power of ten of consecutive failures, so a persistent one
     * does not flood the handler) and the round goes on.
     */
    private int pollDriver() {
        try {
            int handled = worker.driver.poll();
            driverFailures = 0;
            return handled;
        } catch (RuntimeException | LinkageError e) {
            driverFailed("poll", e);
            return 0;
        }
    }

    private void driverFailed(String call, Throwable e) {
        long n = ++driverFailures;
        long m = n;
        while (m % 10 == 0) {
            m /= 10;
        }
        if (m == 1) { // n is 1, 10, 100, …
            scheduler.reporting.reportError("the driver of worker " + worker.index + " failed in " + call
                    + (n > 1 ? " (" + n + " consecutive failures)" : "") + "; the worker carries on", e);
        }
    }

    /** The re-check after announcing sleep: every source a producer may have filled. */
    private boolean hasWork() {
        return !worker.runQueue.isEmpty()
                || !worker.stealQueue.isEmpty()
                || !worker.injector.isEmpty()
                || mesh.hasInbound(worker.index)
                || worker.timers.hasDue(System.nanoTime())
                || scheduler.state() != worker.seenState;
    }

    /** Leaves the loop: retires runners, runs what is left, closes the driver. */
    private void exit() {
        worker.runners.retireIdle();
        worker.markTerminated(); // from now on execute() from other threads is rejected
        for (int pass = 0; pass < 2; pass++) {
            drainForExit();
        }
        worker.timers.clear();
        scheduler.blocking().shutdown(); // idempotent; here because it may block on the pool's lock
        try {
            if (worker.driver != null) {
                worker.driver.close();
            }
        } catch (Throwable e) {
            scheduler.reporting.reportError("closing the driver of worker " + worker.index + " failed", e);
        }
        // Closing the driver resumes whatever still waited on it (with an exception): those
        // continuations are queued on this worker and must run, or their handles never end.
        drainForExit();
    }

    /** Owner, at exit: runs every queued continuation and ends every queued unstarted task. */
    private void drainForExit() {
        mesh.drain(worker.index, Integer.MAX_VALUE, meshSink);
        worker.injector.drain(injectorSink, Integer.MAX_VALUE);
        Object item;
        while ((item = worker.runQueue.poll()) != null || (item = worker.stealQueue.relaxedPoll()) != null) {
            if (item instanceof SpawnTask<?> task) {
                if (worker.claimEntry(task)) {
                    worker.dropUnstarted(task); // cannot happen after quiescence; ends the handle regardless
                }
            } else {
                worker.runContinuation((Runnable) item);
            }
        }
    }
}
