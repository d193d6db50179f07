package io.veloq.core.sched;

/**
 * Help while join: a task that joins a not-yet-started task runs it inline, on its own runner
 * thread, instead of parking (fork/join's {@code tryUnfork}, generalised to any queued task the
 * joiner may run). The protocol is in the package documentation, "Help while join"; this class is
 * the joiner's side of it.
 *
 * <p>Threading contract: {@link #run} is called only on a runner of {@code worker}, mounted there
 * (the joiner's own thread); it touches the runner's owner-only state plainly. The only shared
 * step is the task's claim ({@link SpawnTask#claim}), which makes the inline run exclusive with
 * every queue consumer of the task, on this worker or a thief.
 *
 * <p>What the inline task sees is what a task started on a fresh runner sees: empty thread-locals,
 * no {@code ScopedValue} bindings, the runtime's context class loader, the runner's name (the task's
 * name in debug mode) and no interrupt. Everything the joiner had is set aside and put back afterwards. The interrupt status
 * after the inline run: the joiner's own (kept across the run), plus an interrupt that arrived during
 * the run unless it can be attributed to the inline task's {@code cancel(true)} (the inline task's
 * handle is cancelled and nothing else asks for one: the joiner's task not cancelled, no
 * {@code shutdownNow}). So a cancelled inline task never leaves its joiner interrupted, and an
 * interrupt aimed at the joiner is not lost.
 */
final class InlineJoin {

    /**
     * Most nested inline runs on one runner; a deeper join parks instead. Bounds the joiner's
     * stack: each level is a handful of frames plus the task's own.
     */
    static final int MAX_DEPTH = 64;

    private InlineJoin() {
    }

    /**
     * On the joiner's thread, mounted on {@code worker}: claims {@code task} and runs it here.
     *
     * <p>Errors outside the task's body (its own failures are its outcome): from the claim until the
     * task's waiters are released, any Throwable that escapes — a StackOverflowError where the joiner
     * was already deep, an OutOfMemoryError — hands the task back ({@link HandBacks}) and goes on to the
     * joiner, whose {@code join} throws it. The catch handler below makes no call (a StackOverflowError
     * strikes at calls, and the handler runs on the same deep stack) and the claim makes none after it
     * won (see {@link SpawnTask#claim}), so no claimed task escapes both: the worker completes it
     * exceptionally with that Error on a shallow frame. The joiner's thread state is put back by the
     * {@code finally} below, unless putting it back overflows too. A StackOverflowError also marks the
     * runner, whose pins are checked between tasks ({@link Runner#overflowed}).
     *
     * @return true if the task was claimed and ran (its cell is decided); false if the caller is not a
     *     runner, the nesting is too deep, the runtime is stopping, or the task was claimed by
     *     someone else (started, stolen and started, or dropped): then the joiner parks as usual
     */
    static boolean run(Worker worker, SpawnTask<?> task) {
        Thread self = Thread.currentThread();
        Runner runner = runnerOf(self);
        // A runner is always mounted on its own worker, so runner != null means a runner of `worker`.
        if (runner == null || runner.inlineDepth >= MAX_DEPTH) {
            return false; // a factory thread, or a nested join too deep
        }
        HandBacks handBacks = worker.handBacks;
        boolean claimed = false;
        try {
            if (worker.scheduler.state() >= Scheduler.STOP) {
                return false; // shutdownNow cancels unstarted tasks; let their queue entries do it
            }
            handBacks.reserve(); // before the claim: the catch handler below must not allocate
            if (!task.claim()) {
                return false;
            }
            claimed = true;
            handBacks.open++;
            runClaimed(worker, runner, self, task);
        } catch (Throwable failure) {
            // Call-free (see above): plain stores into the slot reserved for this run.
            if (failure instanceof StackOverflowError) {
                runner.overflowed = true;
            }
            if (claimed) {
                int slot = handBacks.count;
                handBacks.tasks[slot] = task;
                handBacks.failures[slot] = failure;
                handBacks.count = slot + 1;
                handBacks.open--;
            }
            throw failure;
        }
        handBacks.open--;
        // Owner-only ring: the entry of a task that ran is taken out if it is at either end (the common
        // join orders leave it there), and this worker, as its consumer, counts the task's end. Anywhere
        // else the entry stays, and whoever takes it off its queue finds it claimed and counts the end.
        // Only now, after the run: a handed-back task keeps its entry, so its end is counted as usual.
        if (worker.runQueue.removeAtEnds(task)) {
            worker.taskEnded();
        }
        return true;
    }

    /**
     * Runs a claimed task on the joiner's thread with a fresh runner's thread state, and puts the
     * joiner's state back. Each step writes only when there is something to change; the joiner's state
     * is read before anything changes, so that the {@code finally} can put back whatever a failing
     * step had already changed.
     */
    private static void runClaimed(Worker worker, Runner runner, Thread self, SpawnTask<?> task) {
        Object locals = VirtualThreads.threadLocals(self);
        Object inheritable = VirtualThreads.inheritableThreadLocals(self);
        String name = self.getName();
        ClassLoader loader = VirtualThreads.contextLoader(self);
        // The joiner's ScopedValue bindings are set aside too: a task on a fresh runner has none.
        Object bindings = VirtualThreads.scopedValueBindings(self);
        SpawnTask<?>[] nested = runner.inlineTasks;
        if (nested == null) {
            nested = runner.inlineTasks = new SpawnTask<?>[MAX_DEPTH];
        }
        boolean interrupted = false;
        int depth = runner.inlineDepth;
        try {
            interrupted = Thread.interrupted(); // the joiner's own: the inline task starts without it
            if (locals != null || inheritable != null) {
                VirtualThreads.restoreLocals(self, null, null);
            }
            String taskName = worker.scheduler.debug ? task.name : worker.runnerName;
            if (name != taskName) { // identity: unchanged names are the same string
                self.setName(taskName);
            }
            if (loader != worker.runnerLoader()) {
                self.setContextClassLoader(worker.runnerLoader());
            }
            if (bindings != VirtualThreads.NO_SCOPED_VALUE_BINDINGS) {
                VirtualThreads.replaceScopedValueBindings(self, VirtualThreads.NO_SCOPED_VALUE_BINDINGS);
            }
            nested[depth] = task;
            runner.inlineDepth = depth + 1;
            task.run(self, true); // joined: a failure goes to the joiner, never to the handler
        } finally {
            runner.inlineDepth = depth;
            nested[depth] = null;
            // JoinCell.complete* returned only after a cancel(true) interrupt was delivered, so any
            // interrupt of the inline task is visible here and can be cleared.
            boolean keep = interrupted || Thread.interrupted() && keepArrivedInterrupt(worker, runner, task);
            if (VirtualThreads.threadLocals(self) != locals || VirtualThreads.inheritableThreadLocals(self) != inheritable) {
                VirtualThreads.restoreLocals(self, locals, inheritable);
            }
            if (self.getName() != name) {
                self.setName(name);
            }
            if (VirtualThreads.contextLoader(self) != loader) {
                self.setContextClassLoader(loader);
            }
            if (VirtualThreads.scopedValueBindings(self) != bindings) {
                VirtualThreads.replaceScopedValueBindings(self, bindings);
            }
            if (VirtualThreads.ownUncaughtHandler(self) != runner) {
                self.setUncaughtExceptionHandler(runner);
            }
            if (keep) {
                self.interrupt();
            }
        }
    }

    /**
     * An interrupt arrived during the inline run: it is the inline task's own {@code cancel(true)}
     * (dropped) unless something else may have asked for it too: the joiner's task was cancelled,
     * or {@code shutdownNow} began. An interrupt while the inline task was not cancelled is kept.
     * When runs nest, every task on this thread below the inline one may have asked for it: the
     * runner's own and each enclosing inline task ({@code runner.inlineTasks}, already popped to the
     * caller's depth). Asking only one of them drops the {@code cancel(true)} of another, which
     * then runs on uninterrupted.
     */
    private static boolean keepArrivedInterrupt(Worker worker, Runner runner, SpawnTask<?> task) {
        if (!task.cell.isCancelled() || worker.scheduler.state() >= Scheduler.STOP || isCancelled(runner.current)) {
            return true;
        }
        for (int i = 0; i < runner.inlineDepth; i++) {
            if (isCancelled(runner.inlineTasks[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCancelled(SpawnTask<?> task) {
        return task != null && task.cell != null && task.cell.isCancelled();
    }

    /** The runner whose virtual thread {@code thread} is, or null (see {@link Runner#uncaughtException}). */
    static Runner runnerOf(Thread thread) {
        return VirtualThreads.ownUncaughtHandler(thread) instanceof Runner r ? r : null;
    }
}
