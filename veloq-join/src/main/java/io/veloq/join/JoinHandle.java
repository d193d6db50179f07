package io.veloq.join;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * The consumer side of a spawned task: wait for it, cancel it, or chain on it.
 *
 * <p>Threading: every method may be called from any thread, virtual or platform, any number of
 * times. {@link #join()} and {@link #get()} park the calling thread (a virtual thread unmounts).
 *
 * <p>Outcomes: exactly one of value, failure or cancellation. A failure is reported with the task's
 * original exception as the cause ({@link TaskFailedException} from {@code join}, {@link
 * java.util.concurrent.ExecutionException} from {@code get}); a cancellation as {@link
 * java.util.concurrent.CancellationException}. {@code cancel} before the task starts means it never
 * runs; during its run it interrupts the task and the handle reports cancellation at once.
 */
public interface JoinHandle<T> extends Future<T> {

    /** Waits for the outcome. @throws TaskFailedException with the task's exception as cause. */
    T join();

    /** The task's name, as given at spawn (never null). */
    String name();

    /**
     * Runs {@code callback(value, failure)} once when the task ends; at once on the calling thread
     * if it already has. A cancelled task reports a {@link java.util.concurrent.CancellationException}.
     * The callback runs on the thread that completes the task: keep it short and non-blocking.
     */
    JoinHandle<T> onComplete(BiConsumer<? super T, ? super Throwable> callback);

    /** A stage completed with the task's outcome; completing the stage does not affect the task. */
    CompletionStage<T> toCompletionStage();
}
