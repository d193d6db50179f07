package io.veloq.core.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle of one {@link Scheduler} apart from its spawn paths: starting the workers,
 * {@code shutdown}, {@code shutdownNow}'s drain, termination detection (the quiescence scan) and
 * {@code awaitTermination}. The protocol, in numbered steps, is in the package documentation
 * ("Shutdown").
 *
 * <p>Threading contract: {@link #start} once, from the scheduler's constructor; every other method
 * from any thread, any number of times. The lifecycle word stays in {@code Scheduler}, which every
 * spawn reads; this class advances it only through {@link Scheduler#casState} (and
 * {@link Scheduler#forceTerminating} when the start fails), and each call says what it pairs with.
 * Owned here: the two latches and the first start failure. The task counters the scan reads belong
 * to the workers (single-writer fields) and to the scheduler ({@code LongAdder}s).
 */
final class Lifecycle {

    private final Scheduler scheduler;
    private final CountDownLatch started;
    private final CountDownLatch terminated;
    private final AtomicReference<Throwable> startFailure = new AtomicReference<>();

    /** Called once the scheduler's workers and blocking pool exist, before any thread starts. */
    Lifecycle(Scheduler scheduler) {
        this.scheduler = scheduler;
        int n = scheduler.workers.length;
        this.started = new CountDownLatch(n);
        this.terminated = new CountDownLatch(n + 1); // the workers and the blocking pool
        scheduler.blocking().onTerminated(terminated::countDown);
    }

    /**
     * Starts the worker threads and returns once each has pinned itself and created its driver.
     *
     * @throws IllegalStateException if a worker could not start (its driver factory failed); the
     *     other workers have been stopped by then
     */
    void start() {
        Worker[] workers = scheduler.workers;
        for (Worker w : workers) {
            w.thread = new WorkerThread(w, scheduler.config.threadNamePrefix() + w.index);
            w.thread.start();
        }
        boolean interrupted = false;
        while (true) {
            try {
                started.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = startFailure.get();
        if (failure != null) {
            scheduler.forceTerminating();
            wakeAll();
            scheduler.blocking().shutdown();
            for (Worker w : workers) {
                joinQuietly(w.thread);
            }
            throw new IllegalStateException("the Veloq runtime could not start: " + failure.getMessage(), failure);
        }
    }

    void workerStarted(Worker worker, Throwable failure) {
        if (failure != null) {
            startFailure.compareAndSet(null, new IllegalStateException(
                    "worker " + worker.index + " could not create its driver: " + failure, failure));
        }
        started.countDown();
    }

    void workerExited(Worker worker) {
        terminated.countDown();
    }

    void shutdown() {
        scheduler.casState(Scheduler.RUNNING, Scheduler.SHUTDOWN); // volatile CAS; pairs with the spawners' state read
        wakeAll();
        tryTerminate();
    }

    /**
     * Stops intake, cancels the tasks queued in the stealable queues (returned) and the blocking
     * pool's queue, interrupts running tasks; workers cancel whatever else is still queued.
     */
    List<Runnable> shutdownNow() {
        for (int s = scheduler.state(); s < Scheduler.STOP; s = scheduler.state()) {
            if (scheduler.casState(s, Scheduler.STOP)) { // volatile CAS; the runners' state read pairs with it
                break;
            }
        }
        List<Runnable> neverStarted = new ArrayList<>();
        for (Worker w : scheduler.workers) {
            SpawnTask<?> task;
            while ((task = w.stealQueue.poll()) != null) { // any thread may consume the SPMC queue
                if (task.claim()) { // CAS (stealable): false when a joiner is running it inline
                    reportCancelFailure(task, task.cancelUnstarted());
                    neverStarted.add(task.asRunnable());
                }
                scheduler.externalEnded.increment(); // the entry is spent either way: the task ends here
            }
            Runner last = w.lastStarted();
            if (last != null) {
                last.thread.interrupt(); // the task on the CPU now, which its worker cannot reach
            }
        }
        for (Thread t : scheduler.factoryThreads) {
            t.interrupt();
        }
        for (SpawnTask<?> task : scheduler.blocking().shutdownNow()) {
            reportCancelFailure(task, task.cancelUnstarted());
            neverStarted.add(task.asRunnable());
            scheduler.externalEnded.increment();
        }
        wakeAll();
        tryTerminate();
        return neverStarted;
    }

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /** Waits for termination, then for every worker and blocking thread to have ended. */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!terminated.await(timeout, unit)) {
            return false;
        }
        for (Worker w : scheduler.workers) {
            long left = deadline - System.nanoTime();
            // Out of time for this thread: false if it lives; else go on, every thread must be checked.
            if ((left <= 0 || !w.thread.join(java.time.Duration.ofNanos(left))) && w.thread.isAlive()) {
                return false;
            }
        }
        return scheduler.blocking().joinThreads(deadline);
    }

    /**
     * Declares termination if shutdown was requested and every counted task has ended. Any thread,
     * any number of times (see package doc, "Shutdown", for why reading ended before spawned is
     * enough).
     */
    void tryTerminate() {
        for (int s = scheduler.state(); s == Scheduler.SHUTDOWN || s == Scheduler.STOP; s = scheduler.state()) {
            if (!quiescent()) {
                return;
            }
            if (scheduler.casState(s, Scheduler.TERMINATING)) { // volatile CAS: one scanner wins; workers read state
                // Only non-blocking steps here: the caller may be a runner whose task just ended,
                // and a runner that parked now (e.g. on the pool's lock) would be abandoned by its
                // exiting worker. The workers shut the blocking pool down as they exit.
                wakeAll();
                return;
            }
        }
    }

    private boolean quiescent() {
        Worker[] workers = scheduler.workers;
        long ended = scheduler.externalEnded.sum();
        for (Worker w : workers) {
            ended += w.endedCount();
        }
        long spawned = scheduler.externalSpawned.sum();
        for (Worker w : workers) {
            spawned += w.spawnedCount();
        }
        return ended == spawned;
    }

    /** shutdownNow's drain goes on whatever a cancel threw (see SpawnTask.cancelUnstarted). */
    private void reportCancelFailure(SpawnTask<?> task, Throwable failed) {
        if (failed != null) {
            scheduler.reporting.reportError("cancelling task '" + task.name + "' in shutdownNow failed", failed);
        }
    }

    private void wakeAll() {
        for (Worker w : scheduler.workers) {
            w.sleepState.notifyWork();
        }
    }

    /** Waits for {@code t} to end; an interrupt meanwhile is kept for the caller, not lost. */
    static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
