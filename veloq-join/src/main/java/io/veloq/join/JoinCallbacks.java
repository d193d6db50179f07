package io.veloq.join;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The callback side of a {@link JoinCell}: {@code onComplete} and the {@code toCompletionStage} view,
 * both a callback node registered as in protocol steps 6 and 8 of the package documentation, or run
 * at once by the registering thread if the outcome is already decided. The cell's public methods
 * delegate here; the release that runs registered callbacks is {@link WaiterStack#release}.
 *
 * <p>Threading: any thread, any number of times, concurrently with the producer and with each other.
 * No state of its own: the callback node is written only by the registering thread until the push CAS
 * publishes it, and the outcome is read through {@link JoinCell#callbackValue} / {@link
 * JoinCell#callbackFailure}, which acquire a decided state word first.
 */
final class JoinCallbacks {

    private JoinCallbacks() {}

    /** {@link JoinCell#onComplete}: a callback whose failure goes to the uncaught-exception handler. */
    @SuppressWarnings("unchecked")
    static <T> void onComplete(JoinCell<T> cell, BiConsumer<? super T, ? super Throwable> callback) {
        Objects.requireNonNull(callback, "callback");
        register(cell, (BiConsumer<Object, Throwable>) callback, false);
    }

    /**
     * {@link JoinCell#toCompletionStage}: a new {@link CompletableFuture}, private to this call,
     * completed with the outcome through a callback: a value, the task's original exception, or
     * (cancelled) a {@link CancellationException}, so {@code isCancelled()} and {@code join()} of the
     * view report it as the JDK does. The task never reads the view: completing or cancelling it
     * affects only this view. (A {@code minimalCompletionStage} was not used: its {@code
     * toCompletableFuture()} copy wraps a cancellation in a CompletionException and no longer reports
     * {@code isCancelled()}.)
     */
    @SuppressWarnings("unchecked")
    static <T> CompletionStage<T> toCompletionStage(JoinCell<T> cell) {
        CompletableFuture<T> future = new CompletableFuture<>();
        // Retryable: completing the view is idempotent, so a release that threw (e.g. overflowed on a
        // deep stack entering it) runs it again rather than leave the view incomplete.
        register(cell, (value, failure) -> {
            if (failure == null) {
                future.complete((T) value);
            } else {
                future.completeExceptionally(failure);
            }
        }, true);
        return future;
    }

    /**
     * Registers a callback, or runs it here, exactly once, if the outcome is already decided. A
     * retryable one (the runtime's own) that throws here throws to the caller; any other's failure goes
     * to the uncaught-exception handler.
     */
    private static void register(JoinCell<?> cell, BiConsumer<Object, Throwable> action, boolean retryable) {
        // isDone: an acquire load that pairs with every CAS on the state word; decided means nobody
        // will serve a new node.
        if (cell.isDone() || !cell.enlist(new Waiter.Callback(action, retryable))) {
            // The decision is visible (callbackValue waits out COMPLETING): run it here.
            if (retryable) {
                action.accept(cell.callbackValue(), cell.callbackFailure());
                return;
            }
            try {
                action.accept(cell.callbackValue(), cell.callbackFailure());
            } catch (Throwable t) {
                Waiter.Callback.report(t);
            }
        }
    }
}
