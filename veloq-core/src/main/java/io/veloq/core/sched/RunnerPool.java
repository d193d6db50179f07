package io.veloq.core.sched;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A worker's runners: the idle ones waiting for a task, and the list of all live ones.
 *
 * <p>Threading contract: owner worker only (its platform thread, or a runner mounted on it). The
 * runner loop {@link #loop} runs on a runner's virtual thread, which is always mounted on the
 * owner: a runner's scheduler is its worker, and it is created on first start, so it never moves.
 *
 * <p>Why the idle runner cannot be handed a task before it has really parked: the worker that
 * pops it runs on the same OS thread as the runner, so it only gets control back after the runner
 * yielded (the JDK set it PARKED before returning to the worker).
 */
final class RunnerPool {

    /** Idle runners kept per worker; a runner finding the pool full ends instead. */
    static final int MAX_IDLE = 64;

    final Worker worker;
    private final ThreadFactory factory;

    private final Runner[] idle = new Runner[MAX_IDLE];
    private int idleCount;
    /** Head of the list of live runners (each created and not yet ended). */
    private Runner live;
    private int liveCount;
    /** Runners holding a task (running or parked). */
    private int busy;

    RunnerPool(Worker worker, ThreadFactory factory) {
        this.worker = worker;
        this.factory = factory;
    }

    /**
     * Worker platform thread: starts {@code task} on an idle runner, or a new one, and runs the
     * runner at once (the continuation is captured from {@code execute}, not queued).
     *
     * @throws Error (out of memory creating or starting the runner) with the pool as it was: the task
     *     was not handed to any runner, and the caller ends it
     */
    void start(SpawnTask<?> task) {
        Runner runner = idleCount > 0 ? idle[--idleCount] : null;
        boolean fresh = runner == null;
        if (fresh) {
            runner = create();
        }
        idle[idleCount] = null;
        runner.assigned = task;
        busy++;
        worker.beginCapture();
        Runnable continuation;
        try {
            if (fresh) {
                runner.thread.start();
            } else {
                LockSupport.unpark(runner.thread);
            }
        } catch (RuntimeException | Error e) {
            continuation = worker.endCapture();
            if (continuation != null) { // scheduled before it threw (the JDK schedules last): it has its task
                worker.scheduler.reporting.reportError("starting a runner of worker " + worker.index + " threw", e);
                worker.runContinuation(continuation);
                return;
            }
            runner.assigned = null; // not scheduled: the runner never sees the task
            busy--;
            if (fresh) {
                unlink(runner); // never started, so it never ends by itself
            } else {
                idle[idleCount++] = runner; // still parked, idle
            }
            throw e;
        }
        continuation = worker.endCapture();
        if (continuation != null) {
            worker.runContinuation(continuation);
        }
        // No captured continuation: a stray unpark had already queued the runner; it will find its
        // task when that continuation runs.
    }

    /**
     * The runner's loop, on its own virtual thread. {@code runTask} never throws, so a runner ends
     * only here, by choice; should anything else throw, the runner ends with its count corrected and
     * the failure goes to its handler (the worker starts the queued tasks on other runners).
     */
    void loop(Runner self) {
        boolean holding = false;
        try {
            for (;;) {
                SpawnTask<?> task = self.assigned;
                if (task == null) {
                    if (self.retire) {
                        return;
                    }
                    Thread.interrupted(); // an interrupt aimed at a finished task must not spin this park
                    LockSupport.park(this);
                    continue;
                }
                self.assigned = null;
                holding = true;
                do {
                    worker.runTask(self, task);
                    task = worker.pollInline();
                } while (task != null);
                holding = false;
                busy--;
                if (self.retire || idleCount == MAX_IDLE || worker.isTerminating()) {
                    return;
                }
                idle[idleCount++] = self;
            }
        } finally {
            if (holding) {
                busy--;
            }
            unlink(self);
        }
    }

    /** Worker platform thread, at termination: makes every idle runner end. */
    void retireIdle() {
        while (idleCount > 0) {
            Runner runner = idle[--idleCount];
            idle[idleCount] = null;
            runner.retire = true;
            LockSupport.unpark(runner.thread); // queues its continuation on this worker
        }
    }

    /** Owner: interrupts every runner holding a task (shutdownNow). */
    void interruptBusy() {
        for (Runner r = live; r != null; r = r.next) {
            if (r.current != null) {
                r.thread.interrupt();
            }
        }
    }

    /** Owner: visits every runner holding a task. */
    void forEachBusy(Consumer<Runner> visitor) {
        for (Runner r = live; r != null; r = r.next) {
            if (r.current != null) {
                visitor.accept(r);
            }
        }
    }

    int busy() {
        return busy;
    }

    int idle() {
        return idleCount;
    }

    int live() {
        return liveCount;
    }

    private Runner create() {
        Runner runner = new Runner(this);
        runner.thread = factory.newThread(runner);
        runner.thread.setUncaughtExceptionHandler(runner); // identifies the runner (see Runner), restored per task
        runner.thread.setContextClassLoader(worker.runnerLoader()); // as every later task gets it back
        runner.next = live;
        if (live != null) {
            live.prev = runner;
        }
        live = runner;
        liveCount++;
        return runner;
    }

    private void unlink(Runner runner) {
        if (runner.prev != null) {
            runner.prev.next = runner.next;
        } else {
            live = runner.next;
        }
        if (runner.next != null) {
            runner.next.prev = runner.prev;
        }
        runner.prev = null;
        runner.next = null;
        liveCount--;
    }
}
