package io.veloq.join;

/** Thrown by {@link JoinHandle#join()} when the task ended with an exception, which is the cause. */
public final class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskFailedException(String taskName, Throwable cause) {
        super("task '" + taskName + "' failed: " + cause, cause);
    }
}
