package io.veloq.join;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BiConsumer;

/**
 * A node of a {@link WaiterStack}: a parked joiner or a completion callback.
 *
 * <p>Threading: {@link #next} is written plainly by the pushing thread before the push CAS publishes
 * the node; afterwards only {@link WaiterStack#unlinkWithdrawn()} rewrites it (release) and readers
 * use acquire. A node is pushed at most once.
 *
 * <p>Every node carries a payload (the joiner's thread, the callback's action) that is taken exactly
 * once, by an atomic swap to null: either the releaser {@linkplain #claim() claims} it (and unparks
 * the thread or runs the action) or the node's owner {@linkplain #withdraw() withdraws} it (a joiner
 * that gave up, or any owner that found the outcome decided right after its push and serves itself).
 * Whoever loses the swap does nothing with the node, so each node is served exactly once. The one
 * exception: a releaser whose service failed (an unpark that threw, a retryable callback that threw)
 * puts the payload back, so that the node is live again and the resumed release serves it (see
 * {@link WaiterStack#release}).
 */
abstract sealed class Waiter permits Waiter.Joiner, Waiter.Callback, Waiter.Closed {
    private static final VarHandle NEXT;
    private static final VarHandle PAYLOAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEXT = lookup.findVarHandle(Waiter.class, "next", Waiter.class);
            PAYLOAD = lookup.findVarHandle(Waiter.class, "payload", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The node below this one; accessed through {@link #NEXT} once the node is published. */
    Waiter next;
    /**
     * The thread or the action until taken; accessed through {@link #PAYLOAD} once published, except
     * that a releaser puts a payload back by assignment (a volatile store, and no call: it does so in a
     * catch handler, where a call could overflow the stack again; see {@link WaiterStack#release}).
     */
    volatile Object payload;

    Waiter(Object payload) {
        PAYLOAD.set(this, payload); // plain (not a volatile store): published by the push CAS
    }

    final Waiter nextAcquire() {
        return (Waiter) NEXT.getAcquire(this); // pairs with the push CAS and setNextRelease
    }

    final void setNextRelease(Waiter n) {
        NEXT.setRelease(this, n); // pairs with nextAcquire in the releaser and other unlinkers
    }

    /** Releaser side: takes the payload, or null if the owner withdrew first. */
    final Object claim() {
        return PAYLOAD.getAndSet(this, null); // RMW: exactly one winner against withdraw()
    }

    /**
     * Owner side: true if the owner took its node back (the releaser will skip it); false if the
     * releaser claimed it first (the outcome is decided and the releaser serves the node).
     */
    final boolean withdraw() {
        return PAYLOAD.getAndSet(this, null) != null; // RMW: exactly one winner against claim()
    }

    /** True once the payload was taken (claimed or withdrawn); the acquire pairs with that RMW. */
    final boolean isTaken() {
        return PAYLOAD.getAcquire(this) == null;
    }

    /** False once the node needs no more service (taken, or the tombstone). */
    final boolean isLive() {
        return PAYLOAD.getAcquire(this) != null; // pairs with claim()/withdraw()
    }

    /** A thread parked in join/get; a claim is followed by exactly one unpark, a withdrawal by none. */
    static final class Joiner extends Waiter {
        Joiner(Thread thread) {
            super(thread);
        }

        /** Releaser side: the thread to unpark, or null if the joiner withdrew first. */
        Thread claimThread() {
            return (Thread) claim();
        }

        /** Joiner side: true once the releaser claimed the node (or the joiner withdrew it). */
        boolean isClaimed() {
            return isTaken();
        }
    }

    /**
     * A completion callback registered by onComplete; run by whoever takes it. A retryable one (the
     * runtime's own, e.g. completing a {@code toCompletionStage} view: idempotent) is run again by the
     * resumed release when it threw; any other is run exactly once and what it throws is its failure.
     */
    static final class Callback extends Waiter {
        final boolean retryable;

        Callback(BiConsumer<Object, Throwable> action, boolean retryable) {
            super(action);
            this.retryable = retryable;
        }

        /** Releaser side: the action to run, or null if the registrar withdrew it to run it itself. */
        @SuppressWarnings("unchecked")
        BiConsumer<Object, Throwable> claimAction() {
            return (BiConsumer<Object, Throwable>) claim();
        }

        /**
         * Releaser side: claims the action and runs it. Nothing but the claim's own call comes between
         * the claim and the action, so a claimed action always runs (a StackOverflowError can only
         * strike at a call: one at the claim leaves the node unclaimed, one entering the action is the
         * action's failure). A retryable action that throws is put back (call-free) and the throw goes
         * on, so that the resumed release runs it again; any other action's failure is reported.
         */
        void run(Object value, Throwable failure) {
            BiConsumer<Object, Throwable> action = claimAction();
            if (action == null) {
                return; // the registrar withdrew it and runs it itself
            }
            try {
                action.accept(value, failure);
            } catch (Throwable t) {
                if (retryable) {
                    payload = action; // volatile store, no call: live again for the resumed release
                    throw t;
                }
                report(t);
            }
        }

        /**
         * A callback's failure goes to the uncaught-exception handler of the thread that ran it; a
         * handler that throws is ignored, as the JDK ignores one, so that the other waiters are served.
         */
        static void report(Throwable failure) {
            try {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, failure);
            } catch (Throwable ignored) {
                // see above
            }
        }
    }

    /** The tombstone that closes a stack; never linked below another node, never live. */
    static final class Closed extends Waiter {
        Closed() {
            super(null);
        }
    }
}
