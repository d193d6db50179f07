/**
 * The per-worker io_uring driver: {@link io.veloq.uring.IoUringDriver} (veloq-core's
 * {@code Driver}), its factory {@link io.veloq.uring.IoUringDriverFactory} (also found by
 * {@code ServiceLoader}), the availability check {@link io.veloq.uring.IoUring}, and the primitive
 * the file, socket and time API is built on:
 *
 * <pre>{@code
 * IoUringDriver driver = IoUringDriver.current();          // the worker this task runs on
 * int n = driver.submitAndAwait(sqe -> sqe.prepRead(fd, buffer, offset));              // res >= 0 or throws
 * int r = driver.submitAndAwaitRaw(sqe -> sqe.prepOpenat(AT_FDCWD, path, flags, mode),
 *                                  deadlineNanos, ResultKind.FD);                      // res or -errno
 * }</pre>
 *
 * <h2>Who may call what</h2>
 * The worker thread owns the driver: {@code poll}, {@code park}, {@code close}. Its tasks (virtual
 * threads whose carrier is the worker) call {@code submitAndAwait*} and lease buffers; they run on
 * the worker's OS thread one at a time, so the ring, the op table and the pool need no locks and
 * SINGLE_ISSUER holds. {@code wake} is the only driver method for any thread (and
 * {@link io.veloq.uring.MultishotOperation#abandon()} the only one of a multishot handle). A task
 * of another worker, or a platform thread, is refused with an exception that says so.
 *
 * <p>One class per concept: {@code Operations} (the task side: submit, park, cancel, outcome),
 * {@code Completions} (reap and dispatch), {@code Wakeups} and {@code WakeSignal}, {@code OpTable}
 * and {@code UserData}, {@code DriverShutdown}; {@link io.veloq.uring.IoUringDriver} ties them
 * together with the worker's poll/park and the public primitive.
 *
 * <h2>Submission</h2>
 * <ol>
 *   <li>The task takes a slot of the op table; the slot's generation advances, and
 *       {@code user_data = generation << 32 | slot} ({@code UserData}).</li>
 *   <li>It reserves one SQ entry (two with a deadline), submitting what is pending if the SQ is
 *       full — a full SQ is flushed, never overwritten — and reaping if the kernel will not take
 *       more. The {@link io.veloq.uring.SqeWriter} fills the entry; the driver sets user_data and,
 *       for a deadline, IOSQE_IO_LINK plus a LINK_TIMEOUT with the absolute deadline
 *       (CLOCK_MONOTONIC, the clock of {@code System.nanoTime()}).</li>
 *   <li>The task parks in its slot ({@code LockSupport.park}); its carrier goes on with other work.
 *       The worker's next {@code poll()} or {@code park()} submits every queued entry in one
 *       {@code io_uring_enter}: operations of many tasks are batched.</li>
 *   <li>(3a) Eager submission ({@code submitNowAndAwaitRaw}), for operations that usually
 *       complete without waiting, such as sends under {@code IoUringConfig.withEagerSends(true)}
 *       (off by default): before parking, the task enters the kernel with every queued entry and
 *       reaps what is ready (dispatching as {@code poll()} does, except that a task never unparks
 *       itself). If its own slot completed inline it returns at once; else it parks as in step 3.</li>
 * </ol>
 *
 * <h2>Completion</h2>
 * <ol>
 *   <li>{@code poll()} drains the CQ without blocking; with DEFER_TASKRUN it enters the kernel
 *       (GETEVENTS) only when the ring's IORING_SQ_TASKRUN or CQ_OVERFLOW flag says completions are
 *       held back, so overflowed completions (FEAT_NODROP) are flushed, never lost.</li>
 *   <li>Each CQE is matched to its slot by index and generation. A stale one (an earlier
 *       generation) or a duplicate (the slot already completed) is counted and dropped, never
 *       delivered.</li>
 *   <li>The result is stored, the slot marked COMPLETED with release, the waiter unparked — from
 *       the worker thread, so the scheduler resumes it on the same worker.</li>
 *   <li>The task reads the result (acquire), returns the slot, and returns the result or throws
 *       the mapped exception ({@link io.veloq.uring.ffi.Errno}).</li>
 * </ol>
 *
 * <h2>Cancellation</h2>
 * <ol>
 *   <li>An interrupt of the waiting task (this is what {@code JoinHandle.cancel(true)} does), or a
 *       deadline the task enforces itself (when LINK_TIMEOUT is off), queues an ASYNC_CANCEL for the
 *       operation's user_data. A linked LINK_TIMEOUT cancels in the kernel without the task.</li>
 *   <li>The task keeps waiting for the operation's own completion: until then the kernel owns the
 *       buffer and every address in the SQE, so the caller's memory is never freed under it.</li>
 *   <li>-ECANCELED (or -EINTR after a cancel) becomes {@link java.io.InterruptedIOException}
 *       (interrupt; the interrupt status is kept) or
 *       {@link java.nio.channels.InterruptedByTimeoutException} (deadline).</li>
 *   <li>A completion that won the race is delivered if it is a transfer (data cannot be un-read);
 *       if it is a new descriptor ({@link io.veloq.uring.ResultKind#FD}) and the task was
 *       interrupted, the driver closes it and reports the interrupt — an orphaned accepted socket
 *       or opened file never leaks.</li>
 * </ol>
 *
 * <h2>Wake-up</h2>
 * An eventfd read is always armed on the ring. {@code wake()} claims a PENDING bit and, if it was
 * clear, sends one wake-up: a MSG_RING from the caller's own ring when the caller is another
 * worker, else an eventfd write; the owner clears PENDING when it reaps the wake-up's completion
 * ({@code WakeSignal} has the protocol and why none is lost). A wake-up reaped outside a park makes
 * the next park return at once.
 *
 * <h2>Multishot RECV into provided buffers</h2>
 * <ol>
 *   <li>{@link io.veloq.uring.IoUringDriver#armReceive} queues a RECV with IORING_RECV_MULTISHOT
 *       and IOSQE_BUFFER_SELECT on the worker's buffer group ({@code ProvidedBuffers}); its slot
 *       carries a {@link io.veloq.uring.ReceiveSink} and no waiter.</li>
 *   <li>Each CQE with data names a buffer (IORING_CQE_F_BUFFER, id in the high 16 flag bits): the
 *       sink copies the bytes, then the buffer goes back to the ring (entry written, tail stored
 *       with release) before the next CQE is dispatched. Skip the copy and the kernel may
 *       overwrite bytes nobody read; skip the recycle and the ring runs dry.</li>
 *   <li>A sink that wants no more returns false: the cancel is queued after the drain
 *       ({@code Completions.cancelAfterDrain}), since queueing an entry may reap, and reaping
 *       inside a drain would dispatch the same CQEs twice.</li>
 *   <li>The CQE without IORING_CQE_F_MORE ends it: the slot is completed and returned there, then
 *       the sink hears why — end of stream, an errno, {@code ENDED} (our own stop, -ENOBUFS, or a
 *       last CQE with data) or {@code DRIVER_CLOSED}.</li>
 * </ol>
 *
 * <h2>Multishot results nobody takes</h2>
 * <ol>
 *   <li>A multishot operation's descriptors ({@link io.veloq.uring.ResultKind#FD}, e.g. accepted
 *       connections) are owned by its queue until a task takes one with {@code next()}.</li>
 *   <li>Discarding the queue closes what it holds and makes every later arrival close on the
 *       spot; taking and discarding exclude each other (the queue's monitor), so each descriptor
 *       is handed out once or closed once.</li>
 *   <li>The queue is discarded by {@code MultishotOperation.close()} (a task of the worker), by
 *       {@code abandon()} (any thread, when no task can run there any more), and for every
 *       unreleased multishot slot — pending or already ended — when the driver closes. Skipping
 *       the last one leaks the connections of an operation the kernel ended (e.g. its listener was
 *       shut down) that no task closed.</li>
 * </ol>
 *
 * <h2>Close</h2>
 * See {@code DriverShutdown}: discard multishot results, cancel everything, wait (bounded) for
 * every completion, resume every waiter with {@link io.veloq.uring.DriverClosedException}, close
 * descriptors that arrive, then release the pool, the ring and the eventfd. The runtime must run
 * the tasks close resumed, so their handles end.
 */
package io.veloq.uring;
