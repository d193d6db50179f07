package io.veloq.core.sched;

import java.util.Arrays;

/**
 * Tasks that an inline run handed back to its worker: an Error escaped the runtime's own steps
 * between the task's claim and the release of its waiters, on the joiner's stack (see {@link
 * InlineJoin}). Typically a StackOverflowError: the joiner may already be deep when it joins, and
 * an inline run adds the task's start, completion and the wake-ups of its waiters on top.
 *
 * <p>Why a list and not a retry in place: a StackOverflowError strikes at calls, and the catch
 * handler that sees it runs on the same deep stack, where any call may overflow again. So the handler
 * makes no call: it stores the task and the Error in slots reserved before the claim ({@link
 * #reserve}) with plain field and array stores (no allocation either), and the worker finishes the task
 * later on a shallow frame ({@link #settle}): {@code completeExceptionally(error)}, which decides a cell
 * the inline run left undecided (the joiner's join then throws TaskFailedException with that cause),
 * and serves any release of the waiters that a completion left owed (see veloq-join's {@code
 * JoinCell}). Nothing else is left to do: the task's queue entry stays where it was until the run
 * succeeds, so the entry's consumer counts the task's end as for any claimed entry.
 *
 * <p>When the worker settles: when a runner gives the worker's thread back (after every continuation
 * it runs) and before a runner counts the end of its own task. A hand-back is made by code running
 * inside some runner's task, so that task is live (counted spawned, not ended) until the hand-back is
 * settled, and shutdown cannot declare quiescence in between.
 *
 * <p>Threading contract: owner worker only (its platform thread and the runners mounted on it, one OS
 * thread), so every field is plain. Invariant: {@code tasks.length >= count + open}, with {@code
 * open} the inline runs in progress on this worker (each may hand back one task; an inline run that
 * parks leaves its slot reserved while other runners run).
 */
final class HandBacks {

    /** Handed-back tasks, {@code [0, count)} set; the catch handler writes them directly. */
    SpawnTask<?>[] tasks = new SpawnTask<?>[4];
    /** The Error each escaped with, at the same index. */
    Throwable[] failures = new Throwable[4];
    int count;
    /** Inline runs in progress on this worker, each holding a reserved slot. */
    int open;

    /**
     * Before a claim: makes room for the hand-back of one more inline run. The caller increments
     * {@link #open} after it claimed its task (and decrements it when the run ends or hands back).
     */
    void reserve() {
        if (count + open >= tasks.length) {
            int capacity = tasks.length << 1;
            tasks = Arrays.copyOf(tasks, capacity);
            failures = Arrays.copyOf(failures, capacity);
        }
    }

    /**
     * Finishes every handed-back task on the calling thread, which must be on a shallow stack (the
     * worker's platform thread, or a runner between tasks). Never throws: a completion that fails
     * again is reported.
     */
    void settle(Reporting reporting) {
        while (count > 0) {
            int i = count - 1;
            SpawnTask<?> task = tasks[i];
            Throwable failure = failures[i];
            tasks[i] = null;
            failures[i] = null;
            count = i;
            // Not reported: the joiner got the failure (its join threw it); only a new one is.
            Throwable again = task.finishAfterError(failure);
            if (again != null) {
                reporting.reportError("finishing task '" + task.name + "', handed back by an inline run that"
                        + " failed with " + failure + ", failed too", again);
            }
        }
    }
}
