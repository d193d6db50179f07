package io.veloq.core.sched;

/**
 * A runner: one virtual thread of a worker that runs not-yet-started tasks one after another
 * without unmounting between them. A task that parks keeps its runner (the task <em>is</em> the
 * runner's virtual thread from then until it ends); the worker starts the next task on another
 * runner. See {@link RunnerPool} and the package documentation, "Runners".
 *
 * <p>Threading contract: every field is owned by the runner's worker and touched only on that
 * worker's OS thread (its platform thread, or the runner itself while mounted there), so all
 * accesses are plain; {@link Worker#lastStarted} is the one cross-thread view of a runner.
 */
final class Runner implements Runnable, Thread.UncaughtExceptionHandler {

    final RunnerPool pool;
    /** The runner's virtual thread; set once, right after creation, before it starts. */
    Thread thread;
    /** The next task to run, handed over by the worker while the runner is idle. */
    SpawnTask<?> assigned;
    /** The task being run (possibly parked), for dumps; null between tasks. */
    SpawnTask<?> current;
    /** Set when the runner must end instead of waiting for another task. */
    boolean retire;
    /**
     * Set, without a call, when a StackOverflowError went through the runtime on this runner: JDK
     * code it interrupted may have left the runner pinned; checked between tasks ({@link
     * VirtualThreads#unpinLeaked}).
     */
    boolean overflowed;
    /** How many tasks this runner's thread is running inline in joins right now (nested). */
    int inlineDepth;
    /**
     * The tasks running inline on this runner's thread, outermost first: {@code [0, inlineDepth)}
     * are set, the rest null. Allocated at the first inline run ({@link InlineJoin#MAX_DEPTH} slots).
     * Each is a joiner of the next, whose own {@code cancel(true)} interrupt must not be dropped.
     */
    SpawnTask<?>[] inlineTasks;
    /** Links of the pool's list of live runners (created and not yet ended). */
    Runner prev;
    Runner next;

    Runner(RunnerPool pool) {
        this.pool = pool;
    }

    /** The body of the runner's virtual thread. */
    @Override
    public void run() {
        pool.loop(this);
    }

    /** Marks the runner whose virtual thread {@code thread} is, if it is one (see {@link #overflowed}). */
    static void noteOverflow(Thread thread) {
        Runner r = InlineJoin.runnerOf(thread);
        if (r != null) {
            r.overflowed = true;
        }
    }

    /** The innermost task running inline on this runner's thread, or null. */
    SpawnTask<?> innermostInline() {
        return inlineDepth > 0 ? inlineTasks[inlineDepth - 1] : null;
    }

    /**
     * A runner is its thread's uncaught-exception handler, which is how a joiner finds its own
     * runner in one field load ({@link InlineJoin#runnerOf}). Task failures never get here (the
     * runner catches them); what does — a completion callback that threw on this thread (JoinCell
     * reports it to the running thread's handler), a failure of the runner loop itself — goes to the
     * runtime's handler, like every other failure of its tasks.
     */
    @Override
    public void uncaughtException(Thread t, Throwable e) {
        pool.worker.scheduler.reporting.handler().uncaughtException(t, e);
    }
}
