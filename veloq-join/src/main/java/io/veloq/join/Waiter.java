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
 */
abstract sealed class Waiter permits Waiter.Joiner, Waiter.Callback, Waiter.Closed {
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Waiter.class, "next", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The node below this one; accessed through {@link #NEXT} once the node is published. */
    Waiter next;

    /** False once the node needs no more service (a withdrawn or claimed joiner). */
    abstract boolean isLive();

    final Waiter nextAcquire() {
        return (Waiter) NEXT.getAcquire(this); // pairs with the push CAS and setNextRelease
    }

    final void setNextRelease(Waiter n) {
        NEXT.setRelease(this, n); // pairs with nextAcquire in the releaser and other unlinkers
    }

    /**
     * A thread parked in join/get. Exactly one of {@link #claim()} (the releaser) and {@link
     * #withdraw()} (the joiner giving up on timeout or interrupt) takes the thread; only a claim is
     * followed by an unpark, so a parked joiner is unparked exactly once and a withdrawn one never.
     */
    static final class Joiner extends Waiter {
        private static final VarHandle THREAD;

        static {
            try {
                THREAD = MethodHandles.lookup().findVarHandle(Joiner.class, "thread", Thread.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private Thread thread;

        Joiner(Thread thread) {
            this.thread = thread; // plain: published by the push CAS
        }

        /** Releaser side: takes the thread to unpark, or null if the joiner withdrew first. */
        Thread claim() {
            return (Thread) THREAD.getAndSet(this, (Thread) null); // RMW: one winner against withdraw()
        }

        /** Joiner side: true if the joiner withdrew; false if the releaser claimed it (outcome ready). */
        boolean withdraw() {
            return THREAD.getAndSet(this, (Thread) null) != null; // RMW: one winner against claim()
        }

        /** Joiner side: true once claimed; the acquire pairs with claim()'s RMW issued after publication. */
        boolean isClaimed() {
            return THREAD.getAcquire(this) == null;
        }

        @Override
        boolean isLive() {
            return THREAD.getAcquire(this) != null;
        }
    }

    /** A completion callback registered by onComplete; never withdrawn. */
    static final class Callback extends Waiter {
        final BiConsumer<Object, Throwable> action;

        Callback(BiConsumer<Object, Throwable> action) {
            this.action = action;
        }

        @Override
        boolean isLive() {
            return true;
        }
    }

    /** The tombstone that closes a stack; never linked below another node. */
    static final class Closed extends Waiter {
        @Override
        boolean isLive() {
            return false;
        }
    }
}
