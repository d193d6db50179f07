/**
 * Join handles: the atomic cell between a running task and the threads that wait for it.
 *
 * <p>{@link io.veloq.join.JoinHandle} is what callers see; {@link io.veloq.join.JoinCell} is the
 * runtime's side. A cell has two atomic words: the <em>state word</em> (an {@code int}: a sticky
 * STARTED bit and a phase, see {@code JoinState}) and the <em>waiter stack</em> (a Treiber stack of
 * parked joiners and callbacks, closed once with a tombstone, see {@code WaiterStack}). DESIGN.md's
 * states map onto them: IDLE = phase PENDING with an empty stack, WAITING = PENDING with nodes on the
 * stack, READY = phase NORMAL or EXCEPTIONAL, CANCELLED = phase CANCELLED (or the transient
 * INTERRUPTING). Every transition of the state word is one CAS in a method that returns what the
 * caller must do next.
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li><b>Start.</b> {@code tryStart(runner)} CASes the runner slot from null to the runner, then
 *       CASes the state word NEW -&gt; STARTED. If that fails (cancelled or completed first) it clears
 *       the slot and returns false; the runtime then skips the body.
 *       <br><i>If skipped:</i> writing the runner after the state CAS lets a {@code cancel(true)} see
 *       STARTED with no runner and miss the interrupt; a plain store instead of the CAS overwrites a
 *       cancel-before-start and runs the body of a cancelled task.
 *   <li><b>Decide.</b> Exactly one CAS moves the phase out of PENDING: {@code complete*} to
 *       COMPLETING, {@code cancel} to CANCELLED, or to INTERRUPTING if the task is running and may be
 *       interrupted. Every later {@code complete*} or {@code cancel} loses and returns false.
 *       <br><i>If skipped:</i> two outcomes are reported, e.g. a value to one joiner and a
 *       cancellation to another, or a cancelled task that also "succeeded".
 *   <li><b>Publish.</b> The winner of COMPLETING writes the outcome (plain), clears the runner, then
 *       stores NORMAL or EXCEPTIONAL with release. Readers load the state with acquire before reading
 *       the outcome and wait out COMPLETING (spin, then {@code Thread.yield}).
 *       <br><i>If skipped:</i> a reader sees READY and reads a stale (null) outcome.
 *   <li><b>Interrupt.</b> The winner of INTERRUPTING interrupts the recorded runner, then stores
 *       CANCELLED with release. A completer that finds INTERRUPTING waits (yielding, so a canceller on
 *       the same worker can run) until CANCELLED before it returns false.
 *       <br><i>If skipped:</i> the interrupt lands after {@code complete} returned, in whatever the
 *       runner thread does next (e.g. the next task of a reused runner).
 *   <li><b>Release.</b> Only after the final state is stored, the deciding thread swaps the tombstone
 *       into the waiter stack (exactly once), claims every joiner node (atomic swap of its thread to
 *       null) and unparks each thread it claimed, then runs the callbacks in registration order.
 *       <br><i>If skipped:</i> closing before the final store lets a joiner that meets the tombstone
 *       read PENDING; not claiming atomically lets a joiner be unparked twice or never.
 *   <li><b>Register.</b> A joiner that finds the phase PENDING pushes a node with a CAS that fails
 *       once the tombstone is in place. Push failed: the outcome is already visible (step 5 order).
 *       Push succeeded: the releaser will claim the node, so the joiner parks until it is claimed.
 *       <br><i>If skipped:</i> a check-then-push without the tombstone-aware CAS can land a node after
 *       the release sweep: a lost wake-up and a joiner that hangs forever.
 *   <li><b>Withdraw.</b> A timed-out or interrupted joiner swaps its node's thread to null; one of it
 *       and the releaser's claim wins. Joiner won: it unlinks dead nodes and throws
 *       TimeoutException or InterruptedException, and is never unparked. Releaser won: the outcome is
 *       ready and is reported (an interrupt stays asserted); the single unpark may reach the joiner
 *       after it stopped waiting, which LockSupport treats as a spurious wake-up.
 *       <br><i>If skipped:</i> a joiner could report a timeout although the outcome was delivered to
 *       it, and a cell polled with short timeouts would accumulate dead nodes without bound.
 *   <li><b>Callbacks.</b> {@code onComplete} pushes a callback node like a joiner. Pushed: the
 *       releaser runs it. Push failed: the registering thread runs it at once. Either way exactly
 *       once; a throwing callback goes to the running thread's uncaught-exception handler.
 *       <br><i>If skipped:</i> checking isDone and then pushing runs a callback never (if completion
 *       slips in between and the push lands after the sweep) or twice.
 * </ol>
 *
 * <p>Blocking: {@code join} and {@code get} park with {@link java.util.concurrent.locks.LockSupport},
 * so a virtual thread unmounts and a platform thread blocks; nothing here holds a monitor.
 */
package io.veloq.join;
