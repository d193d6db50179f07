package io.veloq.join;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The second word of a {@link JoinCell}: a lock-free (Treiber) stack of joiners and callbacks that
 * the single releaser closes with a tombstone.
 *
 * <p>Threading: {@link #push} and {@link #unlinkWithdrawn} from any thread; {@link #close} exactly
 * once, by the thread that decided the outcome, after it published the final state with release.
 * Values of the head: {@code null} = nobody waits (IDLE), a node = someone waits (WAITING), the
 * tombstone = closed (the outcome is published and every node pushed before was handed to the
 * releaser). Because closing is an atomic swap on the same word a push CASes, a push either lands
 * before the close (and its node is released) or fails (and the pusher handles the outcome itself):
 * no registration can be missed, and no node is serviced twice.
 *
 * <p>Extended by {@link JoinCell} rather than held by it to keep a cell one object.
 */
abstract class WaiterStack {
    private static final Waiter CLOSED = new Waiter.Closed();
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(WaiterStack.class, "head", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Null, the top node, or {@link #CLOSED}; accessed only through {@link #HEAD}. */
    private Waiter head;

    /** Pushes {@code node}; false if the stack is already closed (then the node was not published). */
    final boolean push(Waiter node) {
        Waiter h = (Waiter) HEAD.getAcquire(this); // pairs with the CAS of other pushers and close()
        while (h != CLOSED) {
            node.next = h; // plain: the node is not yet published; the CAS below publishes it
            // Volatile CAS: publishes the node (release) and orders this push against close()'s swap.
            Waiter witness = (Waiter) HEAD.compareAndExchange(this, h, node);
            if (witness == h) {
                return true;
            }
            h = witness;
        }
        return false;
    }

    /**
     * Closes the stack and returns what was on it, top (newest) first. Called once, by the releaser,
     * after it stored the final state with release: a pusher that sees the tombstone therefore also
     * sees that state.
     */
    final Waiter close() {
        Waiter top = (Waiter) HEAD.getAndSet(this, CLOSED); // volatile swap: pairs with push's CAS
        if (top == CLOSED) {
            throw new IllegalStateException("waiter stack closed twice");
        }
        return top;
    }

    final boolean isClosed() {
        return HEAD.getAcquire(this) == CLOSED; // pairs with close()'s swap
    }

    /**
     * Unlinks nodes that are no longer live (withdrawn joiners), so a cell that is repeatedly waited
     * on with short timeouts does not accumulate nodes. The same algorithm as FutureTask's
     * removeWaiter: restart whenever a predecessor turns out to be dead or the head moved. A closed
     * stack is left alone: its nodes belong to the releaser, which skips dead ones.
     */
    final void unlinkWithdrawn() {
        restart:
        for (;;) {
            Waiter pred = null;
            Waiter q = (Waiter) HEAD.getAcquire(this); // pairs with push's CAS
            if (q == CLOSED) {
                return;
            }
            while (q != null) {
                Waiter s = q.nextAcquire();
                if (q.isLive()) {
                    pred = q;
                } else if (pred != null) {
                    pred.setNextRelease(s);
                    if (!pred.isLive()) {
                        continue restart; // pred was withdrawn meanwhile; its link may be skipped
                    }
                } else if (!HEAD.compareAndSet(this, q, s)) { // volatile CAS against push/close
                    continue restart;
                }
                q = s;
            }
            return;
        }
    }

    /** True if a live node is on the open stack (a racy snapshot); false once closed. */
    final boolean hasLiveNode() {
        Waiter q = (Waiter) HEAD.getAcquire(this); // pairs with push's CAS
        for (; q != null && q != CLOSED; q = q.nextAcquire()) {
            if (q.isLive()) {
                return true;
            }
        }
        return false;
    }

    /** Number of live nodes, for diagnostics only (a racy snapshot). */
    final int liveWaiters() {
        Waiter q = (Waiter) HEAD.getAcquire(this); // pairs with push's CAS
        int n = 0;
        for (; q != null && q != CLOSED; q = q.nextAcquire()) {
            if (q.isLive()) {
                n++;
            }
        }
        return n;
    }
}
