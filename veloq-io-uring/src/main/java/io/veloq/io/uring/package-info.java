/**
 * The io_uring backend: each blocking call of the API is one SQE on the ring of the calling task's
 * worker, submitted with the ring helper's {@code IoUringDriver.submitAndAwaitRaw} (the task parks
 * until the CQE; an interrupt or a deadline sends ASYNC_CANCEL and still waits for the CQE, so the
 * kernel never writes into memory that was given back). Opcodes: OPENAT, CLOSE, READ, WRITE,
 * READ_FIXED, WRITE_FIXED, FSYNC, FALLOCATE, STATX, MKDIRAT, UNLINKAT, RENAMEAT, CONNECT (with a
 * LINK_TIMEOUT for connect timeouts), ACCEPT (multishot where the kernel has it), SEND, RECV,
 * SENDMSG, RECVMSG, SHUTDOWN and ASYNC_CANCEL; sockets are created with socket(2). Two calls
 * take another way: a file read first tries the page cache with a synchronous
 * {@code preadv2(RWF_NOWAIT)} from the task ({@code IoUringDriver.readNowait}; the ring READ only on
 * a miss), and a TCP read takes bytes a multishot RECV delivered ({@code ReceiveInbox}).
 *
 * <h2>Memory an operation names</h2>
 * <ol>
 *   <li>Registered buffers go to the kernel as they are (READ_FIXED / WRITE_FIXED for files).</li>
 *   <li>Direct {@code ByteBuffer}s and native segments go by address; the buffer is kept reachable
 *       until the CQE ({@code Reference.reachabilityFence}). Memory of a closed arena, or confined
 *       to another thread, is refused first ({@code NativeBuffers}), as the JDK's channels do:
 *       the kernel would write into freed memory.</li>
 *   <li>Heap memory is staged ({@code Staging}): a free registered buffer when the transfer fits,
 *       else a temporary allocation; taken before the operation enters its gate, given back after
 *       the CQE. Every pool buffer comes back (the tests check the pools after each test).</li>
 *   <li>Paths, socket addresses, message headers and statx results live in a confined arena that
 *       is closed after the CQE.</li>
 * </ol>
 *
 * <h2>Close and the descriptor's number ({@code OpGate}, {@code UringResource})</h2>
 * <ol>
 *   <li>Every operation, and every armed multishot ACCEPT, holds an entry of the object's gate.</li>
 *   <li>{@code close()} closes the gate; if entries are held, it spawns one task per worker that
 *       cancels the descriptor's requests on that worker's ring (ASYNC_CANCEL by fd, all) and closes
 *       what the object keeps armed there. When the runtime no longer takes tasks it falls back to
 *       shutdown(2), which wakes accepts and receives, and abandons what is armed: the
 *       connections an armed accept queued are closed at once (later ones by the worker as they
 *       arrive), and the gate entries are given up.</li>
 *   <li>The last entry out releases the descriptor (CLOSE on the ring from an io_uring task whose
 *       ring can take it, waited for without cancellation; else close(2)) — exactly once, and
 *       never while a request may still name the number: releasing earlier would let a new
 *       descriptor reuse the number and receive a cancel meant for the old.</li>
 *   <li>If the first operation registered the descriptor in its worker's registered-file table
 *       (that worker's operations then name it by index), the entry is emptied after the release,
 *       on that worker: at once when the release runs there, else by a task sent there (the table
 *       is its ring's alone, SINGLE_ISSUER). The entry holds the file open of its own, so the
 *       socket or file closes only then; a runtime that refuses the task is stopping, and the
 *       ring's close drops the entry.</li>
 * </ol>
 *
 * <h2>Multishot ACCEPT ({@code MultishotAcceptor})</h2>
 * <ol>
 *   <li>The first accept of a task on worker w arms one multishot ACCEPT on w's ring; it stays
 *       armed between accepts and queues the connections the kernel accepts for it.</li>
 *   <li>Tasks of w take connections one at a time (a lock: the driver's handle has one waiter).</li>
 *   <li>The operation ends with an error (close's cancel, shutdown, EMFILE...) or cleanly (CQ
 *       overflow); the acceptor closes it (the driver closes queued connections nobody took) and
 *       re-arms unless the listener is closed. Only EINVAL before the first connection — a kernel
 *       refusing the multishot flag (before 5.19) — turns the listener to single-shot for good;
 *       any other errno is thrown to the accepting task as a single-shot ACCEPT's would be, and
 *       the next accept arms a new operation. Treating every early error as a refusal would cost
 *       the listener its multishot ACCEPT for one moment of descriptor exhaustion.</li>
 *   <li>Connections queued and never taken are closed in every case: by the operation's close
 *       (a task of w), by its abandon (listener closed while the runtime refuses tasks), or by the
 *       driver's close (the runtime stopped with the listener open). UringListenerTest provokes all
 *       three and counts /proc/self/fd.</li>
 * </ol>
 */
package io.veloq.io.uring;
