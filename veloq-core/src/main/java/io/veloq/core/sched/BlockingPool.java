package io.veloq.core.sched;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool behind {@code spawnBlocking}: platform threads for blocking or CPU-heavy calls that must
 * not hold a worker.
 *
 * <p>Policy: at most {@code maxThreads} threads, created on demand and ended after 10 s idle; when
 * all are busy, further tasks <em>queue</em> (unbounded FIFO) rather than being rejected — a
 * blocking call that must wait for a free thread is still correct, a rejected one is a failure the
 * caller did not cause. Tasks are rejected only once the runtime no longer accepts tasks.
 *
 * <p>Threading contract: {@link #submit} from any thread; lifecycle methods from the scheduler.
 * Each pool thread runs one task at a time and resets its thread-locals, name, context class loader
 * and interrupt status between tasks.
 */
final class BlockingPool {

    private static final long KEEP_ALIVE_SECONDS = 10;

    private final Scheduler scheduler;
    private final ThreadPoolExecutor pool;
    /** Every thread the pool made and that may still be alive, for awaitTermination's join. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final int maxThreads;
    /** Every task's context class loader: the one of the thread that built the runtime (as on workers). */
    private final ClassLoader taskLoader = Thread.currentThread().getContextClassLoader();
    /** Set once by the scheduler before any task; volatile: read by whichever pool thread terminates it. */
    private volatile Runnable onTerminated = () -> { };

    BlockingPool(Scheduler scheduler, int maxThreads, String namePrefix) {
        this.scheduler = scheduler;
        this.maxThreads = maxThreads;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(maxThreads, maxThreads, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), body -> newThread(body, namePrefix + count.incrementAndGet())) {
            @Override
            protected void terminated() {
                onTerminated.run();
            }
        };
        pool.allowCoreThreadTimeOut(true);
    }

    void onTerminated(Runnable action) {
        this.onTerminated = action;
    }

    /** Runs {@code task} on a pool thread; the task has been counted as spawned by the caller. */
    void submit(SpawnTask<?> task) {
        try {
            pool.execute(new Job(task));
        } catch (RejectedExecutionException e) {
            Throwable failed = task.cancelUnstarted();
            if (failed != null) {
                e.addSuppressed(failed);
            }
            scheduler.externalTaskEnded(); // undo the caller's count
            throw e;
        }
    }

    void shutdown() {
        pool.shutdown();
    }

    /** Interrupts running tasks and returns the queued ones (not started; the caller ends them). */
    List<SpawnTask<?>> shutdownNow() {
        List<SpawnTask<?>> queued = new ArrayList<>();
        for (Runnable r : pool.shutdownNow()) {
            queued.add(((Job) r).task);
        }
        return queued;
    }

    /** Joins every pool thread until {@code deadline} (nanoTime); true if all have ended. */
    boolean joinThreads(long deadline) throws InterruptedException {
        for (Thread t : threads) {
            if (t.getState() == Thread.State.NEW) {
                continue; // made by the factory but never started (the pool was shutting down): never will be
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                if (t.isAlive()) {
                    return false;
                }
            }
        }
        return true;
    }

    boolean owns(Thread thread) {
        return threads.contains(thread);
    }

    int activeCount() {
        return pool.getActiveCount();
    }

    int queuedCount() {
        return pool.getQueue().size();
    }

    int maxThreads() {
        return maxThreads;
    }

    private Thread newThread(Runnable body, String name) {
        Thread t = new Thread(null, body, name, 0, false);
        t.setDaemon(false);
        t.setContextClassLoader(taskLoader); // not the loader of whichever task's submit made the thread
        if (threads.size() > 2 * maxThreads) {
            threads.removeIf(old -> !old.isAlive());
        }
        threads.add(t);
        return t;
    }

    private final class Job implements Runnable {
        final SpawnTask<?> task;

        Job(SpawnTask<?> task) {
            this.task = task;
        }

        /** As {@code Worker.runTask}: never throws, and the task always ends (handle decided, end counted). */
        @Override
        public void run() {
            Thread self = Thread.currentThread();
            String name = self.getName();
            try {
                Throwable failure = null;
                try {
                    failure = task.run(self, false);
                } catch (Throwable escaped) { // not the body's failure: completing it threw
                    Throwable again = task.finishAfterError(escaped);
                    if (again != null) {
                        escaped.addSuppressed(again);
                    }
                    scheduler.reporting.reportError("task '" + task.name
                            + "' on the blocking pool: the runtime failed around its body", escaped);
                }
                if (failure != null) {
                    // Before the reset, as on a worker: what the handler leaves is cleared with the task's.
                    scheduler.reporting.reportUncaught(task, self, failure);
                }
                Thread.interrupted(); // a cancel(true) interrupt has landed by now (JoinCell waits for it)
                VirtualThreads.resetForNextTask(self);
                if (self.getName() != name) {
                    self.setName(name);
                }
                if (self.getContextClassLoader() != taskLoader) {
                    self.setContextClassLoader(taskLoader);
                }
            } catch (Throwable bug) {
                scheduler.reporting.reportError("a blocking-pool thread failed after task '" + task.name + "'", bug);
            }
            scheduler.externalTaskEnded();
        }
    }
}
