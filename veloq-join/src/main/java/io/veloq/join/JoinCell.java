package io.veloq.join;

import static io.veloq.join.JoinState.CANCELLED;
import static io.veloq.join.JoinState.COMPLETING;
import static io.veloq.join.JoinState.EXCEPTIONAL;
import static io.veloq.join.JoinState.INTERRUPTING;
import static io.veloq.join.JoinState.NEW;
import static io.veloq.join.JoinState.NORMAL;
import static io.veloq.join.JoinState.PENDING;
import static io.veloq.join.JoinState.STARTED;
import static io.veloq.join.JoinState.phase;

import io.veloq.join.JoinState.CancelAction;
import io.veloq.join.JoinState.CompleteAction;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The producer side of a {@link JoinHandle}: one cell per task, driven by the runtime.
 *
 * <p>Threading contract. The runtime calls {@link #tryStart} at most once per cell (a precondition:
 * a repeated call returns false, two racing calls are a bug that is reported when it is detected), on
 * the thread that will run the body, and then exactly one of {@link #complete} / {@link
 * #completeExceptionally} (later calls return false and are dropped). Every consumer method may be
 * called from any thread, virtual or platform, any number of times, concurrently with the producer
 * and with each other.
 *
 * <p>Lifecycle, in the terms of {@link JoinState}: {@code NEW -> RUNNING -> READY(value|failure)}, or
 * {@code CANCELLED} from NEW (the body never runs: {@code tryStart} returns false) or from RUNNING
 * ({@code cancel(true)} interrupts the runner first). The outcome is decided by one CAS on the state
 * word; joiners and callbacks are then released by closing the waiter stack, if the decider finds
 * anybody on it (a registration racing the decision serves itself). The protocol, step by step, is
 * in the package documentation.
 *
 * <p>Cost of the common path (start, complete with nobody waiting, join a done cell): one CAS in
 * {@code tryStart}, one CAS in {@code complete}; everything else is plain, acquire/release or a
 * volatile load, which are ordinary loads and stores on x86.
 *
 * <p>Fields by writer: {@code state} — the deciding CAS of any thread; {@code runner} — tryStart
 * (plain, published by its STARTED CAS), cleared plainly by the completer once no canceller can read
 * it; {@code outcome} — only the thread that won COMPLETING, before its release store of the final
 * phase.
 *
 * <p>Failure atomicity (package documentation, "Failures"): no call between a deciding CAS and the
 * final store, and a release that throws is owed to the producer's next call; so a runtime that
 * retries a failed {@code completeExceptionally} on a fresh frame ends with the cell decided and every
 * waiter served.
 *
 * <p>Where things live: this class holds the state word, its transitions and the registration
 * handshake ({@link #enlist}); a consumer's reads and waits are in {@link JoinWait}, {@code
 * onComplete} and {@code toCompletionStage} in {@link JoinCallbacks} (both static, on this cell, so
 * that a cell stays one object), the waiter stack and its release in {@link WaiterStack}.
 */
public final class JoinCell<T> extends WaiterStack implements JoinHandle<T> {
    private static final VarHandle STATE;
    private static final int SPINS_BEFORE_YIELD = 64;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(JoinCell.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        // The transitions return these constants right after their CAS: initialised here, so that no
        // class initialiser (a call) can run there.
        CompleteAction.values();
        CancelAction.values();
    }

    private final String name;
    /**
     * The state word ({@link JoinState}); accessed through {@link #STATE}, except the final stores that
     * must not call (see {@link #settle}): volatile for those, which costs the VarHandle modes nothing.
     */
    private volatile int state;
    /**
     * The thread running the body while RUNNING. Plain: written before tryStart's STARTED CAS, read
     * only by the canceller that CASed that STARTED word to INTERRUPTING, and cleared only by threads
     * that know no canceller reads it any more (see each access).
     */
    private Thread runner;
    /** The value or the failure; plain, published by the release store of NORMAL/EXCEPTIONAL. */
    private Object outcome;
    /**
     * The runtime's {@link JoinHelper}, or null. Plain: written before the cell is published (or
     * cleared to null by the runtime once the task was claimed); a joiner that reads it racily sees
     * the helper or null, and either is correct (a helper whose task is gone returns false).
     */
    private JoinHelper helper;

    /** A cell in state NEW. @throws NullPointerException if {@code name} is null */
    public JoinCell(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    // ---------------------------------------------------------------- producer side

    /**
     * NEW -> RUNNING, recording {@code runner} so that {@code cancel(true)} can interrupt it.
     *
     * <p>Precondition: called at most once per cell. A repeated call returns false without touching
     * the recorded runner; two calls racing each other may leave the wrong runner recorded, and the
     * losing one throws IllegalStateException when it can tell (it saw NEW, then lost to a start).
     *
     * @return true if the body must run now; false if the task was cancelled (or already started or
     *     completed): then the runtime must not run the body, and counts the task as finished.
     * @throws NullPointerException if {@code runner} is null
     */
    public boolean tryStart(Thread runner) {
        Objects.requireNonNull(runner, "runner");
        if ((int) STATE.getAcquire(this) != NEW) { // pairs with every CAS on the state word
            serveOwed(); // a canceller that threw while releasing left it to us (see the class comment)
            return false; // a repeated call never overwrites the runner of a started task
        }
        this.runner = runner; // plain: published by the volatile CAS below (protocol step 1)
        int witness = transitionToRunning();
        if (witness == NEW) {
            return true;
        }
        if (JoinState.isStarted(witness)) {
            throw new IllegalStateException(
                    "task '" + name + "': tryStart raced another tryStart (precondition: once per cell)");
        }
        // Lost to cancel/complete before start: they decided from a word without STARTED, so no
        // canceller reads the slot; plain, only for the garbage collector.
        this.runner = null;
        serveOwed();
        return false;
    }

    /**
     * Completes with {@code value} (may be null). Allowed from NEW too (the body never runs then).
     *
     * @return true if this call decided the outcome; false if the task was cancelled or had already
     *     completed. When false because of a {@code cancel(true)}, the call returns only after that
     *     cancel's interrupt of the runner was delivered, so none arrives later. When false, it also
     *     finishes a release of the waiters that an earlier decider left owed.
     * @throws RuntimeException or Error if releasing the waiters threw; the outcome is decided, and the
     *     release is owed to the next producer call (see the class comment)
     */
    public boolean complete(T value) {
        return settle(NORMAL, value);
    }

    /**
     * Completes with {@code failure}; as {@link #complete}.
     *
     * @throws NullPointerException if {@code failure} is null
     */
    public boolean completeExceptionally(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        return settle(EXCEPTIONAL, failure);
    }

    private boolean settle(int finalPhase, Object result) {
        CompleteAction action = transitionToCompleting();
        if (action == CompleteAction.PUBLISH) {
            // No call from the CAS to the final store (an identity test, not a switch: that calls
            // ordinal()): a StackOverflowError there would leave COMPLETING for every reader to wait on.
            int word = (state & STARTED) | finalPhase; // volatile read of our own CAS; only we change it now
            outcome = result; // plain: published by the release store below
            runner = null; // plain: we hold COMPLETING, so no canceller reaches INTERRUPTING to read it
            try {
                STATE.setRelease(this, word); // pairs with readers' getAcquire
                release();
            } catch (Throwable e) {
                // Call-free: the store by assignment (a volatile store), in case entering the VarHandle's
                // methods failed (interpreted code: a StackOverflowError, a linkage error), so that the
                // cell is decided whatever happened; and the release owed, unless release() recorded
                // what it owes itself.
                state = word;
                if (owed == null) {
                    owed = UNSERVED;
                }
                throw e;
            }
            return true;
        }
        if (action == CompleteAction.AWAIT_INTERRUPT_THEN_DROP) {
            awaitPastInterrupting();
            // Plain: the canceller read it before its release store of CANCELLED, which we acquired.
            runner = null;
        } else {
            // Decided without an interrupt in flight (final phase, or another completer holds
            // COMPLETING): no canceller reads the runner any more. Plain, like every runner access.
            runner = null;
        }
        serveOwed(); // a decider that threw while releasing left it to the producer's next call
        return false;
    }

    /** One CAS NEW -> STARTED; returns the witness: NEW if this call started the task. */
    private int transitionToRunning() {
        // Volatile CAS: its release half publishes the plain runner store before it to the
        // canceller whose CAS reads this STARTED word.
        return (int) STATE.compareAndExchange(this, NEW, STARTED);
    }

    /** One CAS PENDING -> COMPLETING (keeping STARTED), retried only when tryStart moved the word. */
    private CompleteAction transitionToCompleting() {
        int s = (int) STATE.getAcquire(this); // pairs with every CAS on the state word
        for (;;) {
            int phase = phase(s);
            if (phase == INTERRUPTING) {
                return CompleteAction.AWAIT_INTERRUPT_THEN_DROP;
            }
            if (phase != PENDING) {
                return CompleteAction.DROP;
            }
            int witness = (int) STATE.compareAndExchange(this, s, (s & STARTED) | COMPLETING);
            if (witness == s) {
                return CompleteAction.PUBLISH;
            }
            s = witness;
        }
    }

    /** One CAS PENDING -> CANCELLED, or RUNNING -> INTERRUPTING when the runner must be interrupted. */
    private CancelAction transitionToCancelled(boolean mayInterrupt) {
        int s = (int) STATE.getAcquire(this); // pairs with every CAS on the state word
        for (;;) {
            if (phase(s) != PENDING) {
                return CancelAction.LOST;
            }
            boolean interrupt = mayInterrupt && (s & STARTED) != 0;
            int next = (s & STARTED) | (interrupt ? INTERRUPTING : CANCELLED);
            int witness = (int) STATE.compareAndExchange(this, s, next); // volatile CAS
            if (witness == s) {
                return interrupt ? CancelAction.INTERRUPT_THEN_RELEASE : CancelAction.RELEASE;
            }
            s = witness;
        }
    }

    /** Completer side of a lost race with cancel(true): wait out the canceller's interrupt. */
    private void awaitPastInterrupting() {
        // The canceller only interrupts and stores CANCELLED; yield (not just spin) so that a canceller
        // scheduled on this same worker can run.
        for (int spins = 0; phase((int) STATE.getAcquire(this)) == INTERRUPTING; spins++) {
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Protocol step 6: puts {@code node} on the stack unless the outcome is already decided. True:
     * the releaser has the node or will claim it (a joiner waits until it is claimed; a callback is
     * run by the releaser). False: the outcome was decided first and nobody else will ever serve the
     * node; the caller handles the outcome itself (the decided state is visible to it).
     */
    final boolean enlist(Waiter node) {
        if (!push(node)) {
            return false; // closed: the final state was stored before the close
        }
        // Volatile read after the push CAS: the pusher's half of the handshake with the decider's
        // state CAS followed by its volatile head read (isOccupied). If this still reads PENDING, the
        // decider's head read comes later and finds our node (live nodes keep the head non-null).
        if (!JoinState.isDecided((int) STATE.getVolatile(this))) {
            return true;
        }
        // Decided meanwhile: the decider may or may not have seen the node. Take it back; if the
        // releaser claimed it first, it serves the node (for a joiner the unpark may then arrive
        // after the joiner has left: a spurious wake-up, which every LockSupport user tolerates).
        if (node.withdraw()) {
            unlinkWithdrawn();
            return false;
        }
        return true;
    }

    /**
     * Whether somebody observes this handle right now: a joiner registered in join/get, an {@code
     * onComplete} callback or a {@code toCompletionStage} view waiting for the outcome. A racy
     * snapshot, false once the outcome was released (except, briefly, for a registration racing the
     * decision, which then serves itself); meant for the runtime's rule that a failure
     * nobody observes goes to the uncaught-exception handler (ask it before completeExceptionally).
     */
    public boolean hasObservers() {
        return hasLiveNode();
    }

    /**
     * Installs (or, with null, removes) the runtime's {@link JoinHelper}, asked by {@link #join()}
     * and {@link #get()} before they park. Install it before publishing the cell; removing it later
     * only drops the reference (joiners racing the removal may still call the old helper).
     */
    public void helper(JoinHelper helper) {
        this.helper = helper; // plain: see the field
    }

    /** The installed helper or null; plain (see the field), for {@link JoinWait}. */
    JoinHelper helper() {
        return helper;
    }

    /**
     * The value or the failure; a plain read (see the field), so callers must first have read a
     * decided state word with acquire ({@link #settledState}), which orders it after the publication.
     */
    Object outcome() {
        return outcome;
    }

    // ---------------------------------------------------------------- consumer side

    @Override
    public String name() {
        return name;
    }

    /**
     * Waits for the outcome. Not interruptible: an interrupt while waiting is kept and re-asserted on
     * return (as {@link CompletableFuture#join()}).
     *
     * @throws TaskFailedException if the task failed, with its exception as the cause
     * @throws CancellationException if the task was cancelled
     */
    @Override
    public T join() {
        return JoinWait.join(this);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        return JoinWait.get(this);
    }

    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        return JoinWait.get(this, timeout, unit);
    }

    /**
     * The park loop of {@link JoinWait#await}, entered through this frame: thread dumps, and the tests
     * that wait for a joiner to park, find a parked joiner at {@code JoinCell.await}.
     */
    int await(boolean interruptible, boolean timed, long nanos) throws InterruptedException, TimeoutException {
        return JoinWait.await(this, interruptible, timed, nanos);
    }

    CancellationException cancelled() {
        return new CancellationException("task '" + name + "' was cancelled");
    }

    /** The state word with the transient COMPLETING phase waited out (acquire). */
    int settledState() {
        int s = (int) STATE.getAcquire(this); // pairs with the completer's release store
        for (int spins = 0; phase(s) == COMPLETING; spins++) {
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            s = (int) STATE.getAcquire(this);
        }
        return s;
    }

    /**
     * Cancels the task if its outcome is not decided yet. Before start: the body never runs. During
     * the run with {@code mayInterruptIfRunning}: the runner thread is interrupted. Either way the
     * handle reports cancellation at once and joiners are released with {@link CancellationException}.
     *
     * @return true if this call cancelled the task
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        CancelAction action = transitionToCancelled(mayInterruptIfRunning);
        if (action == CancelAction.LOST) { // identity tests, not a switch: no call after the CAS
            return false;
        }
        if (action == CancelAction.INTERRUPT_THEN_RELEASE) {
            // Plain: tryStart's plain store precedes its STARTED CAS, which our volatile CAS read
            // (happens-before); nobody writes the slot until we store CANCELLED below.
            Thread t = runner;
            Throwable interruptFailed = null;
            try {
                if (t != null) {
                    t.interrupt();
                }
            } catch (RuntimeException | Error e) { // rethrown once CANCELLED is stored, waiters released
                interruptFailed = e; // not before: INTERRUPTING must end, or the completer waits for ever
            }
            try {
                // Release store: the completer waiting in awaitPastInterrupting and readers of the state
                // pair with it.
                STATE.setRelease(this, STARTED | CANCELLED);
                release();
            } catch (Throwable e) {
                state = STARTED | CANCELLED; // call-free, as in settle
                if (owed == null) {
                    owed = UNSERVED;
                }
                throw e;
            }
            if (interruptFailed instanceof Error e) {
                throw e;
            }
            if (interruptFailed != null) {
                throw (RuntimeException) interruptFailed;
            }
            return true;
        }
        try {
            release();
        } catch (Throwable e) {
            if (owed == null) { // call-free, as in settle
                owed = UNSERVED;
            }
            throw e;
        }
        return true;
    }

    @Override
    public boolean isCancelled() {
        return JoinState.isCancelled((int) STATE.getAcquire(this)); // pairs with cancel's CAS
    }

    @Override
    public boolean isDone() {
        return JoinState.isDecided((int) STATE.getAcquire(this)); // pairs with any deciding CAS
    }

    @Override
    public State state() {
        return JoinWait.state(this);
    }

    @Override
    public T resultNow() {
        return JoinWait.resultNow(this);
    }

    @Override
    public Throwable exceptionNow() {
        return JoinWait.exceptionNow(this);
    }

    /**
     * Runs {@code callback(value, failure)} exactly once when the task ends, on the thread that
     * decides the outcome; at once on the calling thread if it already ended. Callbacks registered
     * before the end run in registration order, after all parked joiners were unparked. A callback
     * that throws does not affect the task or other callbacks: its exception goes to the uncaught
     * exception handler of the thread that ran it.
     *
     * @throws NullPointerException if {@code callback} is null
     */
    @Override
    public JoinCell<T> onComplete(BiConsumer<? super T, ? super Throwable> callback) {
        JoinCallbacks.onComplete(this, callback);
        return this;
    }

    @Override
    Object callbackValue() {
        int s = settledState(); // acquire: the outcome's publication
        return phase(s) == NORMAL ? outcome : null;
    }

    @Override
    Throwable callbackFailure() {
        int s = settledState(); // acquire: the outcome's publication
        return switch (phase(s)) {
            case NORMAL -> null;
            case EXCEPTIONAL -> (Throwable) outcome;
            default -> cancelled();
        };
    }

    /**
     * A new {@link CompletableFuture}, private to this call, completed with the outcome: a value, the
     * task's original exception, or (cancelled) a {@link CancellationException}, as the JDK reports
     * one. The task never reads the view: completing or cancelling it affects only this view.
     */
    @Override
    public CompletionStage<T> toCompletionStage() {
        return JoinCallbacks.toCompletionStage(this);
    }

    /** E.g. {@code JoinCell[name=worker-3/task-17, state=RUNNING, waiters=2]}. */
    @Override
    public String toString() {
        int s = (int) STATE.getAcquire(this); // pairs with every CAS on the state word
        return "JoinCell[name=" + name + ", state=" + JoinState.describe(s) + ", waiters=" + liveWaiters() + "]";
    }
}
