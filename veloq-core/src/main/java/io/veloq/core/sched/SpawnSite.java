package io.veloq.core.sched;

/**
 * Debug mode: where a task was spawned. Attached as a suppressed exception to a reported failure
 * and printed by {@code dumpTasks}. Not an error: it is never thrown.
 */
final class SpawnSite extends Throwable {
    private static final long serialVersionUID = 1L;

    SpawnSite(String taskName) {
        super("task '" + taskName + "' was spawned here", null, false, true);
    }
}
