package io.veloq.join;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The second word of a {@link JoinCell}: a lock-free (Treiber) stack of joiners and callbacks that
 * the deciding thread closes with a tombstone when it finds somebody on it.
 *
 * <p>Threading: {@link #push} and {@link #unlinkWithdrawn} from any thread; {@link #close} at most
 * once, by the thread that decided the outcome (or by the one that resumes its failed release, see
 * below), after it published the final state and only if its {@linkplain #isOccupied() volatile read
 * of the head} found a node. Values of the head: {@code null}
 * = nobody waits (IDLE), a node = someone waits (WAITING), the tombstone = closed (the outcome is
 * published and every node pushed before was handed to the releaser). Because closing is an atomic
 * swap on the same word a push CASes, a push either lands before the close (and its node is released)
 * or fails (and the pusher handles the outcome itself). A stack nobody was on when the outcome was
 * decided is never closed: a push that still succeeds then is answered by the pusher's own re-read of
 * the state (protocol step 6 in the package documentation).
 *
 * <p>The releaser's walk ({@link #release}) lives here too, and is resumable: a decider that throws
 * part-way (a StackOverflowError on a deep stack) leaves what it did not serve in {@link #owed}, and
 * {@link #serveOwed} finishes it later (protocol step 5).
 *
 * <p>Extended by {@link JoinCell} rather than held by it to keep a cell one object.
 */
abstract class WaiterStack {
    private static final Waiter CLOSED = new Waiter.Closed();
    /** {@link #owed} of a release that failed before it closed the stack. Never on a stack. */
    static final Waiter UNSERVED = new Waiter.Closed();
    private static final VarHandle HEAD;
    private static final VarHandle OWED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(WaiterStack.class, "head", Waiter.class);
            OWED = lookup.findVarHandle(WaiterStack.class, "owed", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Null, the top node, or {@link #CLOSED}; accessed only through {@link #HEAD}. */
    private Waiter head;
    /**
     * A release that threw part-way: null if none is owed, {@link #UNSERVED} if it threw before closing
     * the stack, else the closed list, whose live nodes are still to be served. Set by assignment (a
     * volatile store) in the failing releaser's catch handler (here, or the decider's in JoinCell when
     * entering {@link #release} failed), where a call could overflow again; taken by one {@link
     * #serveOwed} with a CAS.
     */
    volatile Waiter owed;

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
     * is anybody (possibly) on the open stack? False means every later push is answered by the
     * pusher's own volatile re-read of the state, which then sees the decision (or the stack is closed
     * already: a resumed release finds it so when another resumer got there first).
     */
    final boolean isOccupied() {
        // Volatile (not acquire) read: in the single total order of volatile accesses it must come
        // after the decider's state CAS, paired with push's CAS followed by the pusher's volatile
        // state read (a Dekker handshake: one of the two sees the other's write).
        Waiter h = (Waiter) HEAD.getVolatile(this);
        return h != null && h != CLOSED;
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

    /** The value a callback receives (null unless the outcome is a value); called after the final state store. */
    abstract Object callbackValue();

    /** The failure a callback receives (null for a value; a fresh CancellationException each call if cancelled). */
    abstract Throwable callbackFailure();

    /**
     * Protocol step 5, by the decider right after its final state store: if anybody may be on the
     * stack, closes it and serves every node: unparks each joiner, then runs the callbacks oldest first.
     *
     * <p>Resumable, because the decider may run on a deep stack (a task run inline by its joiner) and a
     * StackOverflowError strikes at calls only:
     * <ol>
     *   <li>A node is claimed and served with no call in between but the service itself (the unpark
     *       below, {@link Waiter.Callback#run}), so a claimed node is always served or put back.</li>
     *   <li>A service that throws puts its node's payload back (call-free, in the catch handler): the
     *       node is live again. The other nodes are still served.</li>
     *   <li>Whatever threw, the catch handler below records what is owed with one call-free store,
     *       then the throw goes on to the decider's caller.</li>
     *   <li>A later {@link #serveOwed} (the runtime retries on a fresh frame) serves the live nodes of
     *       the recorded list, or does the whole release if the stack was never closed.</li>
     * </ol>
     * Skip step 1 and a claimed joiner is never unparked; skip step 2 or 3 and nobody knows what is
     * left. So every joiner is unparked and every callback run, unless the same service keeps failing.
     * A callback that is retried runs after the ones registered later.
     *
     * @throws RuntimeException or Error: the first failure, after every node that could be served was;
     *     the release is then owed
     */
    final void release() {
        Waiter top = null;
        boolean closed = false;
        try {
            if (!isOccupied()) {
                return;
            }
            top = close();
            closed = true;
            serve(top);
        } catch (Throwable t) {
            owed = closed ? top : UNSERVED; // volatile store, no call: pairs with serveOwed's read and CAS
            throw t;
        }
    }

    /**
     * Finishes a release that threw part-way, if one is owed (see {@link #release}); any thread, any
     * number of times: one caller takes it with a CAS. Throws as {@link #release} does, and the rest is
     * owed again.
     */
    final void serveOwed() {
        Waiter list = owed; // volatile read: pairs with the failing releaser's store
        if (list == null || !OWED.compareAndSet(this, list, null)) { // volatile CAS: one resumer
            return;
        }
        if (list == UNSERVED) {
            release();
            return;
        }
        try {
            serve(list);
        } catch (Throwable t) {
            owed = list; // volatile store, no call
            throw t;
        }
    }

    /** Serves the live nodes of a closed list: steps 1 and 2 of {@link #release}. */
    private void serve(Waiter top) {
        Throwable failed = null;
        for (Waiter w = top; w != null; w = w.nextAcquire()) {
            if (w instanceof Waiter.Joiner joiner) {
                Thread t = joiner.claimThread();
                if (t != null) {
                    try {
                        LockSupport.unpark(t);
                    } catch (RuntimeException | Error e) {
                        joiner.payload = t; // volatile store, no call: live again for the resumed release
                        if (failed == null) {
                            failed = e;
                        }
                    }
                }
            }
        }
        int live = 0;
        for (Waiter w = top; w != null; w = w.nextAcquire()) {
            if (w instanceof Waiter.Callback && w.isLive()) {
                live++;
            }
        }
        if (live > 0) {
            // Collected unclaimed (a node collected and then withdrawn is skipped by its claim); the list
            // is newest first, callbacks run oldest first.
            Waiter.Callback[] callbacks = new Waiter.Callback[live];
            int first = live;
            for (Waiter w = top; w != null && first > 0; w = w.nextAcquire()) {
                if (w instanceof Waiter.Callback callback && callback.isLive()) {
                    callbacks[--first] = callback;
                }
            }
            for (int i = first; i < live; i++) {
                try {
                    callbacks[i].run(callbackValue(), callbackFailure());
                } catch (RuntimeException | Error e) {
                    if (failed == null) {
                        failed = e;
                    }
                }
            }
        }
        if (failed instanceof Error e) {
            throw e;
        }
        if (failed != null) {
            throw (RuntimeException) failed;
        }
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
