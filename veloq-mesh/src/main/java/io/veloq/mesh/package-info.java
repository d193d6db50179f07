/**
 * Cross-worker messaging: the N×N matrix of SPSC queues ({@link io.veloq.mesh.Mesh}) and each
 * worker's sleep/wake handshake ({@link io.veloq.mesh.SleepState}).
 *
 * <h2>Ownership</h2>
 * Queue {@code from → to} has one producer (worker {@code from}) and one consumer (worker
 * {@code to}). The overflow of a pair belongs to its sender alone; the drain cursor of a
 * destination belongs to its worker alone. The only words written by several threads are each
 * worker's sleep state and, with many workers, each destination's inbound hint.
 *
 * <h2>Sending (worker {@code from})</h2>
 * <ol>
 *   <li>If the pair's overflow is non-empty, flush it into the queue oldest first; if it is still
 *       non-empty, append the new message to it. Otherwise offer the message; if the queue is
 *       full, append it to the (empty) overflow. <i>Skip the flush-first rule and a new message
 *       overtakes an older one of the same pair: FIFO per pair breaks.</i></li>
 *   <li>The offer publishes the message with a release store (JCTools' ordered element/index
 *       store).</li>
 *   <li>With inbound hints: store hint[to] = 1 (release), after the offer and before the fence of
 *       step 4. <i>Store it after the fence instead and the destination's sleep re-check can read
 *       hint = 0 while this sender reads "awake": a lost wake-up.</i></li>
 *   <li>Full fence, then load the destination's sleep state ({@link
 *       io.veloq.mesh.SleepState#notifyWork()}). If it is SLEEPING, CAS it to NOTIFIED; the winner
 *       calls the waker. <i>Without the fence the load can run before the offer is visible
 *       (store buffering): the sender reads "awake" while the sleeper's re-check misses the
 *       message, and the sleeper never wakes. Without the CAS several senders call the waker for
 *       one episode — only extra cost, never a missed wake.</i></li>
 * </ol>
 * A send never blocks, so two workers sending to each other with both queues full cannot
 * deadlock: each goes on draining its own column and flushing its own overflow. A worker must not
 * park indefinitely while it has overflow, since only it can move that overflow (it spins,
 * yields or parks with a short timeout instead).
 *
 * <h2>Going to sleep (worker {@code to})</h2>
 * <ol>
 *   <li>Find nothing to do in a round (and, typically, spin a little).</li>
 *   <li>{@link io.veloq.mesh.SleepState#announceSleep()}: store SLEEPING, then a full fence.
 *       <i>Without the fence the re-check's loads can pass the store: the same store-buffering
 *       race as sending step 4, from the other side.</i></li>
 *   <li>Re-check every source: {@link io.veloq.mesh.Mesh#hasInbound(int)} (with hints: one load
 *       of hint[to]; without: each of the N − 1 queues), the run queue, the injector, the driver,
 *       timers. If anything is there: {@link io.veloq.mesh.SleepState#awake()} and run a round.
 *       <i>Skip the re-check and a message whose sender read "awake" just before step 2 waits
 *       until some unrelated event.</i></li>
 *   <li>Otherwise park in the driver (deadline = next timer). The waker is sticky (unpark permit,
 *       eventfd, MSG_RING), so a wake sent between steps 2 and 4 makes the park return at once.
 *       <i>A non-sticky waker loses exactly that wake.</i></li>
 *   <li>When the park returns (woken, deadline, or spurious): {@code awake()}, then a normal
 *       round. <i>Skip it and producers keep seeing SLEEPING and calling the waker on every send:
 *       correct, but a syscall per message.</i></li>
 * </ol>
 * Why no wake-up is lost: the two full fences (sending step 4, sleeping step 2) are totally
 * ordered. If the sender's fence comes first, its offer and hint store are visible to the
 * sleeper's re-check; if the sleeper's fence comes first, the sender's load sees SLEEPING (or
 * NOTIFIED by another sender, who then wakes it). A late or duplicate waker call is allowed and
 * shows up as a spurious return from a later park.
 *
 * <h2>Draining with inbound hints (worker {@code to})</h2>
 * <ol>
 *   <li>Load hint[to] (acquire). If 0, return: nothing was published since the last complete
 *       scan, or its sender's hint store is still in flight (seen next round, or covered by the
 *       sleep handshake).</li>
 *   <li>Clear it with getAndSet (a full barrier) <em>before</em> scanning. A sender whose hint
 *       store lands after the clear leaves hint = 1 for the next drain; one whose store landed
 *       before it has its offer visible to the scan. <i>Clear with a plain store and the scan can
 *       run ahead of the clear: the scan misses a message, the clear erases its hint, and the
 *       message is stranded with hint = 0.</i></li>
 *   <li>Scan round-robin from the cursor, batch per source = max(1, limit / (N − 1)), passes
 *       repeated until the limit is reached or a pass leaves every queue short of its batch
 *       (that is, empty when polled).</li>
 *   <li>If the scan stopped while a queue may still hold messages (limit reached, or the sink
 *       threw), set hint[to] = 1 again. <i>Skip it and the leftover messages are invisible to
 *       step 1 and to the sleep re-check: the worker sleeps with work queued.</i></li>
 * </ol>
 * Invariant: while a message sits in column {@code to} after its sender's step 3, hint[to] = 1
 * or a scan that has not ended yet is going to see it. A hint of 1 with nothing queued is
 * allowed (one empty scan clears it).
 */
package io.veloq.mesh;
