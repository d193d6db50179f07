/**
 * Join handles: the atomic cell between a running task and the threads that wait for it.
 *
 * <p>{@link io.veloq.join.JoinHandle} is what callers see; {@link io.veloq.join.JoinCell} is the
 * runtime's side. A cell has two atomic words: the <em>state word</em> (an {@code int}: a sticky
 * STARTED bit and a phase, see {@code JoinState}) and the <em>waiter stack</em> (a Treiber stack of
 * parked joiners and callbacks, closed at most once with a tombstone, see {@code WaiterStack}).
 * DESIGN.md's states map onto them: IDLE = phase PENDING with an empty stack, WAITING = PENDING with
 * nodes on the stack, READY = phase NORMAL or EXCEPTIONAL, CANCELLED = phase CANCELLED (or the
 * transient INTERRUPTING). Every transition of the state word is one CAS in a method that returns
 * what the caller must do next.
 *
 * <p>Where the steps below live: steps 1–4 and the registration handshake of step 6 ({@code enlist})
 * in {@code JoinCell}, next to the state word; step 5 and the stack's half of steps 6–7 in {@code
 * WaiterStack} (and the nodes' claim and withdraw in {@code Waiter}); a joiner's side of steps 6–7
 * (help, register, park, withdraw) and the reads of the outcome in {@code JoinWait}; step 8's
 * registration in {@code JoinCallbacks}. The last two are static methods on the cell, to which its
 * public methods delegate, so that a cell stays one object.
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li><b>Start.</b> {@code tryStart(runner)} is called at most once per cell (a precondition the
 *       runtime guarantees). It checks that the state is NEW (acquire), stores the runner plainly,
 *       then CASes the state word NEW -&gt; STARTED; the CAS's release half publishes the runner to
 *       the canceller whose CAS reads STARTED. If the CAS fails (cancelled or completed first) it
 *       clears the slot and returns false; the runtime then skips the body.
 *       <br><i>If skipped:</i> writing the runner after the state CAS lets a {@code cancel(true)} see
 *       STARTED with no runner and miss the interrupt; storing it without the NEW check lets a
 *       repeated call overwrite the runner of a running task (the wrong thread is interrupted); two
 *       starters racing each other can still do that, which is why "once" is a precondition (the
 *       losing one throws IllegalStateException when it saw NEW).
 *   <li><b>Decide.</b> Exactly one CAS moves the phase out of PENDING: {@code complete*} to
 *       COMPLETING, {@code cancel} to CANCELLED, or to INTERRUPTING if the task is running and may be
 *       interrupted. Every later {@code complete*} or {@code cancel} loses and returns false.
 *       <br><i>If skipped:</i> two outcomes are reported, e.g. a value to one joiner and a
 *       cancellation to another, or a cancelled task that also "succeeded".
 *   <li><b>Publish.</b> The winner of COMPLETING writes the outcome (plain), clears the runner, then
 *       stores NORMAL or EXCEPTIONAL with release. Readers load the state with acquire before reading
 *       the outcome and wait out COMPLETING (spin, then {@code Thread.yield}). COMPLETING costs no
 *       atomic (the final store is a release store, a plain store on x86) and is kept because the
 *       outcome may not be written before the deciding CAS: a completer that then loses the CAS
 *       (racing another {@code complete*}) would overwrite the winner's outcome with its own.
 *       <br><i>If skipped:</i> a reader sees READY and reads a stale (null) or the losing outcome.
 *   <li><b>Interrupt.</b> The winner of INTERRUPTING interrupts the recorded runner, then stores
 *       CANCELLED with release. A completer that finds INTERRUPTING waits (yielding, so a canceller on
 *       the same worker can run) until CANCELLED before it returns false.
 *       <br><i>If skipped:</i> the interrupt lands after {@code complete} returned, in whatever the
 *       runner thread does next (e.g. the next task of a reused runner).
 *   <li><b>Release.</b> Only after the final state is stored (for INTERRUPTING: after the interrupt
 *       and the CANCELLED store), the deciding thread reads the waiter head with a <em>volatile</em>
 *       load. Empty: nothing more to do and no atomic at all (the common case). Otherwise it swaps
 *       the tombstone into the stack (exactly once), claims every node (atomic swap of its payload to
 *       null), unparks each joiner it claimed, then runs the callbacks in registration order, each
 *       claimed just before it runs. A release that throws part-way is owed: see "Failures" below.
 *       <br><i>If skipped:</i> closing before the final store lets a pusher that meets the tombstone
 *       read PENDING; an acquire (not volatile) head load may be satisfied before the deciding CAS,
 *       so decider and joiner can each miss the other (step 6): a lost wake-up; not claiming
 *       atomically lets a node be served twice or never.
 *   <li><b>Register.</b> A joiner (or {@code onComplete}) that finds the phase PENDING pushes a node
 *       with a CAS that fails once the tombstone is in place (push failed: the outcome is visible,
 *       step 5 order), then re-reads the state with a <em>volatile</em> load. This and step 5 form a
 *       Dekker handshake: in the total order of volatile accesses either the decider's head load
 *       follows the push, or the re-read follows the deciding CAS. Still PENDING: the head load comes
 *       later and finds the node (a live node keeps the head non-null, since unlinking skips only
 *       dead nodes), so the releaser claims it and the joiner parks until claimed. Decided: the
 *       decider may have found the stack empty, so the registrant withdraws its own node (step 7's
 *       swap) and serves itself; if the releaser claimed the node first, the releaser serves it (a
 *       joiner then returns at once and the unpark arrives as a spurious wake-up).
 *       <br><i>If skipped:</i> without the re-read a push that lands after the decider found the
 *       stack empty parks forever; without the withdraw swap a callback runs twice or never.
 *   <li><b>Withdraw.</b> A timed-out or interrupted joiner swaps its node's payload (its thread) to
 *       null; one of it and the releaser's claim wins. Joiner won: it unlinks dead nodes and throws
 *       TimeoutException or InterruptedException, and is never unparked. Releaser won: the outcome is
 *       ready and is reported (an interrupt stays asserted); the single unpark may reach the joiner
 *       after it stopped waiting, which LockSupport treats as a spurious wake-up.
 *       <br><i>If skipped:</i> a joiner could report a timeout although the outcome was delivered to
 *       it, and a cell polled with short timeouts would accumulate dead nodes without bound.
 *   <li><b>Callbacks.</b> {@code onComplete} registers a callback node as in step 6 (its payload is
 *       the action). Claimed by the releaser: it runs on the deciding thread. Not registered (decided
 *       first, push failed, or withdrawn in step 6): the registering thread runs it at once. Either
 *       way exactly once; a throwing callback goes to the running thread's uncaught-exception handler
 *       (a handler that throws is ignored), and the other waiters are still served.
 *       <br><i>If skipped:</i> checking isDone and then pushing runs a callback never (if completion
 *       slips in between and the decider finds the stack empty) or twice.
 * </ol>
 *
 * <p><b>Help (optional, before step 6).</b> A runtime may install a {@link io.veloq.join.JoinHelper}
 * on a cell before publishing it. {@code join()} and {@code get()} (not the timed {@code get}, and
 * not when the caller is already interrupted) call it once when they find the cell undecided,
 * before registering; the helper may run the task on the joiner's thread, calling {@code tryStart}
 * and {@code complete*} like any runner, but only after claiming the task exclusively from its
 * runtime, so the once-per-cell precondition of step 1 holds. It changes none of the steps above:
 * the joiner simply finds the cell decided afterwards, or registers and parks as usual.
 *
 * <h2>Failures (why no waiter is left hanging)</h2>
 *
 * A runtime may decide a cell on a deep stack (it runs a task inline on its joiner's thread), where a
 * StackOverflowError can strike; it strikes at calls only (a method's entry), never between two
 * bytecodes of one method that call nothing. So:
 * <ol>
 *   <li>From a deciding CAS to the final state store there is no call that can fail: the stores are
 *       plain, the action is told apart by identity (a {@code switch} on an enum calls {@code
 *       ordinal()}), the actions' class is initialised with the cell's, and if the VarHandle store
 *       itself fails on entry, a catch handler makes it by assignment ({@code state} is volatile for
 *       that). <i>If skipped:</i> COMPLETING or INTERRUPTING never ends, and every reader or completer
 *       waits on it for ever.</li>
 *   <li>A release that throws part-way is recorded as owed, by a call-free store in a catch handler:
 *       the closed list, or "not closed yet". A node whose service threw (an unpark, a retryable
 *       callback) is made live again first. <i>If skipped:</i> the nodes not yet served are known to
 *       nobody.</li>
 *   <li>The producer's next {@code complete*} or {@code tryStart} call on the cell (they return false
 *       then) serves the live nodes of an owed release, one resumer at a time (a CAS takes it). The
 *       runtime makes such a call on a fresh frame whenever a decision threw. <i>If skipped:</i> a
 *       joiner parked before the failure is never woken.</li>
 * </ol>
 * A {@code complete*} that throws before its CAS changed nothing, so that retry also decides a cell the
 * failure left undecided. One gap: a {@code cancel} that overflows while releasing, racing the task's
 * own completion that has already returned, leaves its release owed with no producer call to come.
 *
 * <p>Cost: a task started, completed with nobody waiting and joined after completion costs two
 * atomic read-modify-writes, the STARTED CAS and the deciding CAS; a waiter adds its push CAS, the
 * releaser's tombstone swap and one claim swap per node.
 *
 * <p>Blocking: {@code join} and {@code get} park with {@link java.util.concurrent.locks.LockSupport},
 * so a virtual thread unmounts and a platform thread blocks; nothing here holds a monitor.
 */
package io.veloq.join;
