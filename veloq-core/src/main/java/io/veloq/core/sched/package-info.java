/**
 * The scheduler: workers, their queues, runners, spawn routing and the lifecycle. Internal — the
 * public API is {@code io.veloq.core.Runtime}; classes here are public only where that package needs
 * them ({@link io.veloq.core.sched.Scheduler}, {@link io.veloq.core.sched.Worker},
 * {@link io.veloq.core.sched.SchedulerConfig}, {@link io.veloq.core.sched.Placement},
 * {@link io.veloq.core.sched.VirtualThreads}).
 *
 * <h2>Who owns what</h2>
 * Each worker owns, and alone touches: its local run queue, its runners, its timers and its driver
 * ({@code Worker} lists every field by owner). "The worker's thread" means one OS thread: the
 * worker's platform thread and every task mounted on it, so owner-only state needs no atomics.
 * Shared with other threads: the stealable queue (SPMC: owner produces, anyone consumes), the
 * injector (MPSC: anyone produces, owner consumes), the mesh row/column (SPSC per pair), the sleep
 * state, and single-writer counters ({@code spawned}, {@code ended}, {@code load}).
 *
 * <h2>Which worker am I on</h2>
 * {@code Worker.current()} = {@code VirtualThreads.currentCarrier() instanceof WorkerThread}. Inside
 * a task, {@code Thread.currentThread()} is the task's virtual thread, but its carrier is the
 * worker's platform thread, a {@link io.veloq.core.sched.WorkerThread}; for the worker loop itself
 * the carrier is the thread. One intrinsic call and one type check, no thread-local.
 *
 * <h2>Tasks and runners</h2>
 * <ol>
 *   <li>Spawn creates a {@code SpawnTask} (name, body, {@code JoinCell}) — no thread yet — and
 *       queues it: {@code spawn} on the caller's stealable queue (from outside: a random worker's
 *       injector), {@code spawnLocal} on the caller's local queue, {@code spawnOn}/{@code
 *       spawnBalanced} through the mesh (from a worker) or the target's injector (from outside),
 *       {@code spawnBlocking} on the blocking pool.</li>
 *   <li>A worker starts a task on a <em>runner</em>: a virtual thread whose scheduler is that worker
 *       (an idle one, or a new one). The runner calls {@code JoinCell.tryStart}, runs the body,
 *       completes the cell, then takes the next not-yet-started task from its worker's queues and
 *       runs it too, without unmounting, until the round's budget is spent or no such task is
 *       queued; then it parks as an idle runner. Nothing that fails around a body ends the runner or
 *       leaves the task's handle undecided: {@code Worker.runTask} completes the cell exceptionally
 *       with what escaped (a failed completion, an out-of-memory error) and counts the task's end;
 *       a runner that cannot be started fails its task the same way. A runner that a
 *       StackOverflowError went through is checked, before it parks again, for a pin the JDK leaked
 *       ({@code VirtualThreads.unpinLeaked}): a pinned runner that parks blocks its worker's thread.</li>
 *   <li>A task that parks keeps its runner: from then on the task <em>is</em> that virtual thread,
 *       whose scheduler is the worker — so every continuation of the task runs on this worker. A
 *       task is home-bound from its first run by construction (invariant 1).</li>
 *   <li>Between two tasks the runner clears its interrupt status (a {@code cancel(true)} interrupt
 *       has been delivered by then: {@code JoinCell.complete*} waits for it), its thread-locals,
 *       name and context class loader, so nothing of one task reaches the next.</li>
 *   <li>Starting a runner does not queue its continuation: {@code RunnerPool.start} captures the
 *       {@code execute} call that {@code unpark}/{@code start} makes on this same thread and runs
 *       the continuation at once.</li>
 * </ol>
 *
 * <h2>Help while join ({@code InlineJoin})</h2>
 * A task that joins a task which has not started yet runs it inline on its own runner thread,
 * instead of parking and letting the worker start it on another runner (fork/join's {@code
 * tryUnfork}, for any queue position). veloq-join stays runtime-agnostic: the runtime installs the
 * {@code SpawnTask} as the cell's {@code JoinHelper}, which {@code JoinCell.join}/{@code get} call
 * before parking.
 * <ol>
 *   <li>At spawn, the task records where it may run inline ({@code SpawnTask.allowInline}): any
 *       worker of the scheduler for a stealable {@code spawn} task; the home worker for a bound
 *       one ({@code spawnLocal}, {@code spawnOn}, {@code spawnBalanced}); nowhere for a blocking
 *       one or one without a handle.</li>
 *   <li>The joiner helps only if it is a runner (found in one load: a runner is its thread's
 *       uncaught-exception handler), mounted on a worker in the task's scope, nested fewer than
 *       {@code InlineJoin.MAX_DEPTH} inline runs deep, and the runtime is not stopping.</li>
 *   <li>Claim: every consumer of a queue entry (run phase, inline poll, exit drain, {@code
 *       shutdownNow}'s drain) and every inline joiner first calls {@code SpawnTask.claim}; exactly
 *       one wins, so the body runs at most once and {@code JoinCell.tryStart} keeps its
 *       once-per-cell precondition. A stealable task may meet a thief and a joiner on different
 *       workers: its claim is a CAS. A bound task is only ever consumed or joined-inline on its home
 *       worker's thread: its claim is plain. A task that can never run inline needs no claim. The
 *       winning store is the claim's last call: a claim that throws has not claimed.</li>
 *   <li>The inline run sets the joiner's thread state aside — interrupt status, thread-locals,
 *       {@code ScopedValue} bindings, name, context class loader — gives the task a fresh
 *       runner's, runs it with {@code tryStart(joiner's thread)} (so {@code cancel(true)}
 *       interrupts the right thread), and puts the joiner's back. An interrupt that arrived during the run is dropped when the inline
 *       task's handle was cancelled (its {@code cancel(true)}: {@code JoinCell.complete*} returns
 *       only after that interrupt was delivered) unless the joiner's own task was cancelled or
 *       {@code shutdownNow} began; otherwise it is kept. When inline runs nest, "the joiner's own task"
 *       is every task below the inline one on that thread: the runner's and each enclosing inline
 *       task ({@code Runner.inlineTasks}).</li>
 *   <li>Accounting: the task was counted {@code spawned} when queued. Its end is counted by whoever
 *       consumes its queue entry: the joiner itself when, after the run, it finds the entry at either
 *       end of its own local queue (it removes it), else the worker or thief that later takes the
 *       entry off a queue, finds the claim lost and drops it. So each task ends exactly once, and the
 *       end of an inline-run task is never counted before its spawn was (the queue hand-off orders
 *       them). An entry dropped before the inline run finished is harmless: the joiner is itself a
 *       live, counted task until then.</li>
 *   <li>Errors outside the body: from the claim until the task's waiters are released, a Throwable
 *       that escapes the inline run (a StackOverflowError where the joiner was already deep) is caught
 *       by a handler that makes no call — a StackOverflowError strikes at calls, and any call there may
 *       overflow again — and hands the task back: it stores the task and the Error in a slot reserved
 *       before the claim ({@code HandBacks}), then the Error goes on to the joiner. The worker finishes
 *       the task on a shallow frame with {@code completeExceptionally(error)}, which decides a cell the
 *       run left undecided (other joiners get TaskFailedException with that cause) and serves any
 *       release of waiters that a failed completion left owed (veloq-join, "Failures"). It does so
 *       when a runner gives its thread back (after every continuation) and before a runner counts the
 *       end of its own task, which the hand-back was made from: so that task keeps the runtime from
 *       quiescence until the hand-back is settled, and a joiner that parks on the handed-back task is
 *       woken.</li>
 * </ol>
 * Skip the claim and a stolen task could run twice (on the thief and inline); count the end at the
 * inline run as well and shutdown would declare quiescence with tasks still queued; let the handler
 * call anything and an overflow there leaves a claimed task undecided, its joiners parked for ever.
 *
 * <h2>The worker round ({@code WorkerLoop.round})</h2>
 * <ol>
 *   <li>Run phase: up to B items, alternating between the local queue and the stealable queue so
 *       neither starves the other; a {@code SpawnTask} is claimed (dropped if a joiner claimed it
 *       first) and starts on a runner (which may run further tasks inline, drawing on the same
 *       budget), a {@code Runnable} is a continuation and runs directly on the platform thread.</li>
 *   <li>Up to M mesh messages are moved into the local queues (stealable tasks into the
 *       stealable queue); they run in a later run phase.</li>
 *   <li>{@code driver.poll()} reaps completions (they resume tasks through {@code execute}).</li>
 *   <li>Up to B injector items are moved into the local queues, like mesh messages.</li>
 *   <li>Due timers run.</li>
 *   <li>Mesh overflow is flushed; a lifecycle change is acted on; the load hint is published; if
 *       stealable tasks are left over, one sleeping peer is woken to steal.</li>
 * </ol>
 * Skip step 1's alternation and a stream of continuations could starve stealable tasks; skip the
 * budgets and one busy source would starve the others. Between rounds a busy worker calls
 * {@code sched_yield} once per {@code cpuYieldInterval}: it never blocks while it has work, so a
 * thread sharing its CPU would otherwise wait for the kernel's preemption at a timer tick.
 *
 * <h2>Sleep and wake (invariant 4: no lost wake-up)</h2>
 * <ol>
 *   <li>A round that found nothing: try to steal; else spin (the idle strategy) for
 *       {@code idleSpinRounds} rounds.</li>
 *   <li>{@code SleepState.announceSleep()}: publish SLEEPING, then a full fence.</li>
 *   <li>Re-check every source: local and stealable queues, injector, mesh inbound, due timers, a
 *       lifecycle change. Anything → {@code awake()} and loop.</li>
 *   <li>{@code driver.park(deadline)}: the earliest timer; 50 µs while holding mesh overflow (the
 *       peer does not notify when its queue drains); 1 ms while shutting down (quiescence
 *       re-scan). Then {@code awake()}.</li>
 *   <li>Producers publish first (queue offer, release), then {@code notifyWork()} (full fence,
 *       then wake if SLEEPING). Either the re-check of step 3 sees the item, or the producer sees
 *       SLEEPING and wakes the driver, whose wake is sticky (a wake before park makes park return).</li>
 * </ol>
 * Skip the fence of step 2 or 5 and both sides can miss each other: the item sits in a queue
 * while its worker sleeps.
 *
 * <h2>Stealing (bounded, lock-free)</h2>
 * <ol>
 *   <li>Only not-yet-started {@code spawn} tasks are ever stealable: they live in the owner's SPMC
 *       stealable queue (capacity = {@code runQueueCapacity}; when full, new ones go to the local
 *       queue and are no longer stealable). Continuations and {@code spawnLocal}/{@code spawnOn}/
 *       {@code spawnBalanced} tasks never enter it.</li>
 *   <li>An idle worker visits the others once, round robin, and takes up to half of one victim's
 *       stealable tasks (at most 32), each with one CAS on the victim's consumer index.</li>
 *   <li>Stolen tasks go to the thief's stealable queue; they start on the thief's runners and are
 *       home-bound there. A started task is never in any stealable queue, so it can never move.</li>
 *   <li>A worker with leftover stealable tasks after its run phase, or that has spawned a long
 *       streak, wakes one sleeping peer so that it can steal.</li>
 * </ol>
 *
 * <h2>Shutdown ({@code Lifecycle})</h2>
 * {@code Scheduler} holds the lifecycle word, which every spawn reads, and the counters of threads
 * that are not workers; {@code Lifecycle} holds the steps below and alone advances the word. Tasks
 * are counted: {@code spawned} when queued, {@code ended} when they end (ran, failed, or
 * cancelled before start and dropped; for a task run inline by a joiner, when its queue entry is
 * consumed, see "Help while join"). Workers count in single-writer fields (release stores);
 * threads that are not workers count in {@code LongAdder}s.
 * <ol>
 *   <li>{@code shutdown()}: CAS RUNNING → SHUTDOWN; wake every worker. From then on a spawn from
 *       outside is rejected; a spawn from a running task is accepted (it can fan out and join) — a
 *       worker's task, a factory thread, or a {@code spawnBlocking} task on its pool thread.</li>
 *   <li>An outside spawner increments its counter (a CAS: full fence) and then reads the state;
 *       {@code shutdown} writes the state and then scans. One of them sees the other, so a task
 *       either is rejected or is seen by the scan.</li>
 *   <li>Quiescence scan: read every {@code ended} counter, then every {@code spawned} counter
 *       (acquire). A task whose end is seen has its spawn seen too (the spawn happens-before the end
 *       through the queue hand-off); so equal sums mean every task seen has ended, and a live task
 *       always shows up as spawned-not-ended (its parent chain reaches a counted root). Scanned by
 *       the caller of shutdown, after every task end while shutting down, and every 1 ms by idle
 *       workers (a safety net against an end whose store the scanner did not yet observe).</li>
 *   <li>Quiescent: CAS to TERMINATING and wake every worker. Only non-blocking steps here — the
 *       caller may be a runner that just ended the last task; a runner that parked now would be
 *       abandoned by its exiting worker.</li>
 *   <li>A worker that sees TERMINATING leaves its loop: it retires its idle runners (they end),
 *       marks itself terminated ({@code execute} from other threads is then rejected), runs what
 *       is left, drops its timers, shuts the blocking pool down and closes its driver, then runs once
 *       more whatever closing the driver resumed (so no waiter on the driver is left behind).</li>
 *   <li>{@code awaitTermination}: waits for every worker and the blocking pool, then joins their
 *       threads — afterwards no Veloq thread is alive.</li>
 * </ol>
 * {@code shutdownNow()}: CAS to STOP; the caller drains the stealable queues (returned, handles
 * cancelled) and the blocking pool's queue, and interrupts each worker's last-started runner (the
 * task that may be on the CPU, which its worker cannot reach) and the factory threads; each
 * worker, seeing STOP at its next round, interrupts every runner holding a task, and every
 * not-yet-started task it meets afterwards is cancelled instead of run. Interrupting is best
 * effort, as the ExecutorService contract allows: a CPU-bound task that starts at the very moment
 * of {@code shutdownNow} is interrupted only once it parks. Then as above from step 3.
 */
package io.veloq.core.sched;
