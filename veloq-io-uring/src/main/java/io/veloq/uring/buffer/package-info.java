/**
 * Registered buffers: per-worker page-aligned slabs registered with the ring once
 * ({@link io.veloq.uring.buffer.RegisteredBufferPool}), leased by tasks as owned handles
 * ({@link io.veloq.uring.buffer.RegisteredBuffer}) for READ_FIXED / WRITE_FIXED.
 *
 * <h2>Start-up</h2>
 * <ol>
 *   <li>RLIMIT_MEMLOCK is read ({@code getrlimit}), unless the process holds CAP_IPC_LOCK in its
 *       effective set in the initial user namespace ({@code CapEff} of /proc/self/status,
 *       /proc/self/ns/user): io_uring charges such a process nothing, so the limit is lifted. The
 *       pool's bytes are added to what this process's pools already hold, and if the sum exceeds
 *       the limit start-up fails with a message naming the limit and how to raise it
 *       ({@code ulimit -l}, {@code LimitMEMLOCK=}, {@code --ulimit memlock}) — before anything is
 *       mapped. Checking the limit for a process the kernel exempts would refuse pools that
 *       work; skipping it for one it charges (CAP_IPC_LOCK only inside a user namespace) would
 *       let a worker fail at registration instead, after others started.</li>
 *   <li>Slabs of up to 1 GiB are mapped anonymously (page-aligned) and registered with one
 *       IORING_REGISTER_BUFFERS (one iovec per slab: a buffer's {@code bufIndex} is its slab).
 *       A failure unmaps them and gives the budget back.</li>
 * </ol>
 *
 * <h2>Buffer ownership</h2>
 * <ol>
 *   <li>{@code lease()} (on a task of the owning worker only) hands out a free buffer as a new
 *       handle whose segment is a view scoped to a confined arena of the lease: only the leasing
 *       task can touch it.</li>
 *   <li>While an operation on it is in flight, the ring owns it: the task is parked inside
 *       {@code submitAndAwait}, which returns only after the completion, so it cannot release it.</li>
 *   <li>{@code close()} closes the lease's arena (the old segment now throws on any access: use
 *       after release is detected, not silently reading another task's data), advances the
 *       buffer's generation and returns it — straight to the first waiting task, if any.</li>
 *   <li>When every buffer is leased, the policy decides: WAIT parks the task (FIFO, interruptible),
 *       FALLBACK hands out unregistered page-aligned memory (plain READ/WRITE, freed on close),
 *       FAIL throws {@link io.veloq.uring.buffer.BufferPoolExhaustedException}.</li>
 *   <li>Closing the pool (with the driver) wakes waiters with an exception; the slabs are unmapped
 *       once the last leased buffer is returned, never under a task still holding one.</li>
 * </ol>
 */
package io.veloq.uring.buffer;
