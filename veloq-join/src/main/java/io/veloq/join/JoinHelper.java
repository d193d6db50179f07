package io.veloq.join;

/**
 * A runtime's hook into {@link JoinCell#join()} and {@link JoinCell#get()}: before the joiner
 * parks, the cell asks its helper to settle the cell on the joiner's own thread, typically by
 * running the not-yet-started task inline (fork/join's "help while join"). veloq-join knows nothing
 * of runtimes; a runtime that can run a task inline installs one helper per cell with {@link
 * JoinCell#helper(JoinHelper)} before it publishes the cell.
 *
 * <p>Threading contract: {@link #helpJoin} is called on the joiner's thread, any number of times
 * (once per join that finds the cell undecided), concurrently with the task's own start and with
 * other joiners. The helper must call {@link JoinCell#tryStart} only if it has exclusively claimed
 * the task from the runtime (the once-per-cell precondition of {@code tryStart} still holds), and
 * must leave the cell decided whenever it returns true.
 */
public interface JoinHelper {

    /**
     * Tries to settle the cell on the calling thread without parking.
     *
     * @return true if the cell is decided now (the caller reads the outcome); false if the helper did
     *     nothing (the caller parks as usual)
     */
    boolean helpJoin();
}
