/**
 * One io_uring instance as safe Java objects: {@link io.veloq.uring.ring.Ring} (setup, mappings,
 * enter, register, close), {@link io.veloq.uring.ring.SubmissionQueue},
 * {@link io.veloq.uring.ring.CompletionQueue}, the opcode probe
 * ({@link io.veloq.uring.ring.OpcodeSupport}) and the availability probe
 * ({@link io.veloq.uring.ring.KernelSupport}). Internal to veloq-io-uring; the driver is the user.
 *
 * <p>Ownership: a ring belongs to the thread that opened it (the worker). Tasks running on that
 * worker use it too: they execute on the same OS thread, one at a time, so the ring needs no
 * locks, and SINGLE_ISSUER holds. No other thread may touch a ring.
 *
 * <h2>Setup</h2>
 * <ol>
 *   <li>{@code io_uring_setup} is tried down the flag ladder of {@code RingSetup}, stepping down
 *       only on EINVAL; the refusals are kept for the description line.</li>
 *   <li>The SQ and CQ rings are mapped once when the kernel has FEAT_SINGLE_MMAP, else twice; the
 *       SQE array is mapped separately. The SQ index array is set to the identity once.</li>
 *   <li>The opcode probe runs (IORING_REGISTER_PROBE).</li>
 *   <li>Any failure unmaps what was mapped and closes the fd before the exception leaves.</li>
 * </ol>
 *
 * <h2>Submission</h2>
 * <ol>
 *   <li>{@code Ring.tryReserve(n)} makes sure {@code n} entries are free, submitting the pending
 *       ones when the queue is full (so a full SQ is flushed, never overwritten). It answers false
 *       only if the kernel will not consume them (EBUSY on older kernels while the CQ overflows);
 *       the caller then reaps completions and tries again.</li>
 *   <li>{@code sq().next()} hands out the next entry, zeroed; the caller fills it. Entries that
 *       must reach the kernel together (an operation and its LINK_TIMEOUT) are reserved together.</li>
 *   <li>{@code submit()} stores the tail with release (the kernel loads it with acquire, so it
 *       sees whole entries) and calls {@code io_uring_enter}. The kernel publishes its head with
 *       release once it has read the entries; {@code free()} loads it with acquire, so a slot is
 *       refilled only after the kernel is done with it.</li>
 * </ol>
 *
 * <h2>Completion</h2>
 * <ol>
 *   <li>{@code cq().drain(handler)} loads the kernel's tail with acquire (it was stored with
 *       release after the CQEs were written), hands each CQE over, then stores the head with
 *       release (the kernel reuses a slot only after loading the head).</li>
 *   <li>With DEFER_TASKRUN (and TASKRUN_FLAG) completions wait in the kernel until the owner
 *       enters with GETEVENTS; the kernel raises IORING_SQ_TASKRUN to say so. A CQ overflow
 *       (FEAT_NODROP keeps the entries) raises IORING_SQ_CQ_OVERFLOW. {@code completionsNeedFlush()}
 *       reads both; {@code submit()} then enters with GETEVENTS, which flushes them into the CQ.
 *       Skipping this step would leave completions in the kernel forever.</li>
 *   <li>A timed wait uses IORING_ENTER_EXT_ARG with a relative {@code __kernel_timespec}; without
 *       it the caller bounds the wait with a TIMEOUT entry of its own.</li>
 * </ol>
 */
package io.veloq.uring.ring;
