package io.veloq.join;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The second word of a {@link JoinCell}: a lock-free (Treiber) stack of joiners and callbacks that
 * the deciding thread closes with a tombstone when it finds somebody on it.
 *
 * <p>Threading: {@link #push} and {@link #unlinkWithdrawn} from any thread; {@link #close} at most
 * once, by the thread that decided the outcome, after it published the final state and only if its
 * {@linkplain #isOccupied() volatile read of the head} found a node. Values of the head: {@code null}
 * = nobody waits (IDLE), a node = someone waits (WAITING), the tombstone = closed (the outcome is
 * published and every node pushed before was handed to the releaser). Because closing is an atomic
 * swap on the same word a push CASes, a push either lands before the close (and its node is released)
 * or fails (and the pusher handles the outcome itself). A stack nobody was on when the outcome was
 * decided is never closed: a push that still succeeds then is answered by the pusher's own re-read of
 * the state (protocol step 6 in the package documentation).
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
            // Volatile CAS: publishes the node (release), orders this push against close()'s swap,
            // and precedes the pusher's volatile re-read of the state (the handshake of isOccupied).
            Waiter witness = (Waiter) HEAD.compareAndExchange(this, h, node);
            if (witness == h) {
                return true;
            }
            h = witness;
        }
        return false;
    }

    /**
     * The decider's half of the no-lost-wake-up handshake: after its deciding CAS on the state word,
     * is anybody (possibly) on the stack? False means every later push is answered by the pusher's
     * own volatile re-read of the state, which then sees the decision.
     */
    final boolean isOccupied() {
        // Volatile (not acquire) read: in the single total order of volatile accesses it must come
        // after the decider's state CAS, paired with push's CAS followed by the pusher's volatile
        // state read (a Dekker handshake: one of the two sees the other's write).
        return HEAD.getVolatile(this) != null;
    }

    /**
     * Closes the stack and returns what was on it, top (newest) first. Called at most once, by the
     * releaser, after it stored the final state with release: a pusher that sees the tombstone
     * therefore also sees that state.
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
     * stack is left alone: its nodes belong to the releaser, which skips dead ones. Only dead nodes
     * are ever skipped, so a live node stays reachable from the head, and the head is not null while
     * one is on the stack: {@link #isOccupied} relies on that.
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
