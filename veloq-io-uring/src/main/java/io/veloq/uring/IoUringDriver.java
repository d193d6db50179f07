package io.veloq.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_ASYNC_CANCEL_ALL;
import static io.veloq.uring.ffi.IoUringConstants.IORING_ASYNC_CANCEL_ANY;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_LINK_TIMEOUT;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_SEND_ZC;

import io.veloq.core.driver.Driver;
import io.veloq.uring.buffer.ProvidedBuffers;
import io.veloq.uring.buffer.RegisteredBufferPool;
import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.IoUringLayouts;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Native;
import io.veloq.uring.ffi.PosixConstants;
import io.veloq.uring.ffi.Structs;
import io.veloq.uring.ring.Ring;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The io_uring {@link Driver} of one worker: its ring, op table, wake-up channel and registered
 * buffer pool, and the primitive every I/O operation goes through,
 * {@link #submitAndAwait(SqeWriter)}.
 *
 * <p>Threading contract:
 * <ul>
 *   <li>Created by {@link IoUringDriverFactory} on the worker thread, which becomes the owner
 *       (SINGLE_ISSUER). {@link #poll()}, {@link #park(long)} and {@link #close()}: owner only.</li>
 *   <li>{@link #wake()}: any thread. {@link #closeDescriptor}: any thread (close(2) unless the
 *       caller is a task of this worker).</li>
 *   <li>{@code submitAndAwait*}, {@link #readNowait}, {@link #bufferPool()}: tasks running on this
 *       worker only (virtual threads whose carrier is the owner); {@link #current()} finds the driver
 *       for them. They run on the owner's OS thread one at a time, so ring, op table and the scratch
 *       memory of {@link NowaitReads} need no locks.</li>
 * </ul>
 * The protocols (submission, completion, cancellation, wake-up, close) are in the package
 * documentation; each has its class: {@link Operations} (the task side of submission and
 * cancellation), {@link Completions} (reaping and dispatch), {@link Wakeups}, {@link DriverShutdown}.
 * This class holds the lifecycle, the worker's poll/park and the public primitive. Lifecycle: open, poll/park every round, close once after the worker loop stopped;
 * after close, the tasks it resumed must still be run so that they observe their exception.
 */
public final class IoUringDriver implements Driver {

    private static final System.Logger LOG = System.getLogger("io.veloq.uring");
    private static final AtomicBoolean LOGGED_CHOICE = new AtomicBoolean();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long CLOSE_WAIT_SLICE_NANOS = 50_000_000L;
    /** The buffer group id of the provided-buffer ring (one per ring, so any id would do). */
    private static final int RECEIVE_BUFFER_GROUP = 0;

    private final int workerIndex;
    private final int id;
    private final Thread owner;
    private final IoUringConfig config;
    private final Ring ring;
    private final Arena arena;
    private final MemorySegment parkTimespec;
    private final OpTable ops;
    private final RegisteredBufferPool pool;
    /** The provided-buffer ring of multishot RECVs; null when they are off or the kernel lacks them. */
    private final ProvidedBuffers receiveBuffers;
    /** The registered-file table (owner only); of no entries when off or refused. */
    private final FileTable files;
    private final Wakeups wakeups;
    private final Completions completions;
    private final Operations operations;
    private final NowaitReads nowaitReads;
    private final String description;

    /** Owner only. */
    private boolean closed;
    /** Owner only: calls of park, and those that blocked in the kernel (counters for diagnostics). */
    private long parks;
    private long blockingParks;
    /** Read by tasks and by wake() on other threads; written once by the owner in close(). */
    private volatile boolean closing;

    private IoUringDriver(int workerIndex, IoUringConfig config, Ring ring, Arena arena, int eventFd,
                          MemorySegment one, RegisteredBufferPool pool, ProvidedBuffers receiveBuffers,
                          String receiveChoice, FileTable files) {
        this.workerIndex = workerIndex;
        this.id = IDS.incrementAndGet();
        this.owner = Thread.currentThread();
        this.config = config;
        this.ring = ring;
        this.arena = arena;
        this.parkTimespec = arena.allocate(IoUringLayouts.KERNEL_TIMESPEC);
        // The first chunk never exceeds the limit: IoUringConfig.withMaxInFlight accepts any limit from 1.
        this.ops = new OpTable(arena, Math.min(256, config.maxInFlight()), config.maxInFlight());
        this.pool = pool;
        this.receiveBuffers = receiveBuffers;
        this.files = files;
        this.wakeups = new Wakeups(this, ring, arena, eventFd, one, config.messageRingWakeups());
        this.completions = new Completions(this, ring, ops, wakeups);
        this.operations = new Operations(this, ring, ops,
                config.linkTimeouts() && ring.opcodes().supports(IORING_OP_LINK_TIMEOUT));
        this.nowaitReads = new NowaitReads(this, arena);
        this.description = "io_uring worker " + workerIndex + ": " + ring.description()
                + ", deadlines " + (operations.linkTimeouts() ? "LINK_TIMEOUT" : "timed park + ASYNC_CANCEL ("
                        + (config.linkTimeouts() ? "kernel lacks LINK_TIMEOUT" : "LINK_TIMEOUT turned off") + ")")
                + ", wake-ups eventfd" + (wakeups.messageRing() ? " + MSG_RING between workers" : " only ("
                        + (config.messageRingWakeups() ? "kernel lacks MSG_RING" : "MSG_RING turned off") + ")")
                + ", registered buffers " + pool.capacity() + " x " + pool.bufferSize() + " B ("
                + pool.exhaustion() + " when exhausted), " + files.description() + ", TCP receives " + receiveChoice;
    }

    /**
     * Opens a driver owned by the calling thread (the worker), releasing everything it acquired
     * if a step fails.
     *
     * @throws IOException if the ring cannot be set up, or the buffer pool does not fit under
     *     RLIMIT_MEMLOCK (the message names the limit and how to raise it)
     */
    public static IoUringDriver open(int workerIndex, IoUringConfig config) throws IOException {
        return open(workerIndex, config, RegisteredBufferPool.memlockLimit());
    }

    /**
     * {@link #open(int, IoUringConfig)} with the buffer pool checked against {@code memlockLimit}
     * bytes ({@link Long#MAX_VALUE}: none) instead of {@link RegisteredBufferPool#memlockLimit()}.
     * Package-private for tests: a limit given here applies whatever RLIMIT_MEMLOCK and
     * CAP_IPC_LOCK the test process has.
     */
    static IoUringDriver open(int workerIndex, IoUringConfig config, long memlockLimit) throws IOException {
        Ring ring = Ring.open(config.ring());
        Arena arena = Arena.ofShared();
        int eventFd = -1;
        RegisteredBufferPool pool = null;
        IoUringDriver driver = null;
        try {
            MemorySegment callState = Native.allocateCallState(arena);
            eventFd = LibC.eventfd(callState, 0, PosixConstants.EFD_CLOEXEC);
            if (eventFd < 0) {
                throw new IOException("eventfd for the wake-ups of worker " + workerIndex + " failed: "
                        + Errno.describe(-eventFd));
            }
            MemorySegment one = Structs.allocateEventfdValue(arena, 1);
            Thread owner = Thread.currentThread();
            pool = RegisteredBufferPool.create(ring, config.bufferPool(), "worker " + workerIndex,
                    () -> Carriers.current() == owner, memlockLimit);
            ProvidedBuffers receiveBuffers = null;
            String receiveChoice;
            if (config.receiveBufferCount() == 0) {
                receiveChoice = "a RECV per read (provided buffers turned off)";
            } else if (!ring.opcodes().supports(IORING_OP_SEND_ZC)) {
                // Multishot RECV came in 6.0 with SEND_ZC; the opcode probe cannot see the flag itself.
                receiveChoice = "a RECV per read (multishot RECV needs Linux 6.0)";
            } else {
                // A refusal fails the driver rather than falling back here alone: workers reading one
                // socket with different receive paths could reorder its bytes.
                receiveBuffers = ProvidedBuffers.register(ring, arena, RECEIVE_BUFFER_GROUP,
                        config.receiveBufferCount(), config.receiveBufferSize());
                receiveChoice = "multishot RECV, provided buffers " + config.receiveBufferCount() + " x "
                        + config.receiveBufferSize() + " B";
            }
            FileTable files = FileTable.open(ring, arena, config.registeredFiles());
            driver = new IoUringDriver(workerIndex, config, ring, arena, eventFd, one, pool, receiveBuffers,
                    receiveChoice, files);
            driver.wakeups.armRead();
            driver.ring.submit();
            Carriers.register(owner, driver.id, driver);
            driver.logChoice();
            return driver;
        } catch (IOException | RuntimeException | Error e) {
            if (driver != null) {
                Carriers.unregister(driver.owner, driver.id, driver);
            }
            if (pool != null) {
                pool.close();
            }
            ring.close();
            if (eventFd >= 0) {
                LibC.close(eventFd);
            }
            arena.close();
            throw e;
        }
    }

    /**
     * The driver of the worker the calling task runs on.
     *
     * @throws IllegalStateException if the caller is not a task (or the thread) of a worker with an
     *     open io_uring driver
     */
    public static IoUringDriver current() {
        IoUringDriver driver = Carriers.driverOfCurrentWorker();
        if (driver == null) {
            throw new IllegalStateException("no io_uring driver on this thread (" + Thread.currentThread()
                    + "): I/O must run in a task of a Veloq runtime using IoUringDriverFactory");
        }
        return driver;
    }

    // ---- the primitive for the file / socket / time layer (see Operations) ----

    /**
     * Submits the operation {@code writer} describes and parks the calling task until it completes.
     *
     * @return the completion's result, at least 0
     * @throws IOException the errno of a negative result, mapped by {@link Errno#exception}; an
     *     {@link java.io.InterruptedIOException} if the task was interrupted (the operation was
     *     cancelled); a {@link DriverClosedException} if the driver closed
     */
    public int submitAndAwait(SqeWriter writer) throws IOException {
        return check(operations.submitAndAwait(writer, Long.MAX_VALUE, ResultKind.PLAIN, false));
    }

    /**
     * As {@link #submitAndAwait(SqeWriter)}, cancelling the operation if it has not completed by
     * {@code deadlineNanos} ({@link System#nanoTime()} clock; {@link Long#MAX_VALUE} for none).
     *
     * @throws java.nio.channels.InterruptedByTimeoutException if the deadline cancelled it
     */
    public int submitAndAwait(SqeWriter writer, long deadlineNanos) throws IOException {
        return check(operations.submitAndAwait(writer, deadlineNanos, ResultKind.PLAIN, false));
    }

    /**
     * The raw form: returns the completion's result as is, including {@code -errno}, so the caller
     * can map it with its own context ({@code Errno.fromResult(res, path)}). Cancellation, deadline
     * and close still throw as in {@link #submitAndAwait(SqeWriter, long)}. {@code kind}
     * {@link ResultKind#FD} makes the driver close a descriptor nobody can take any more.
     */
    public int submitAndAwaitRaw(SqeWriter writer, long deadlineNanos, ResultKind kind) throws IOException {
        return operations.submitAndAwait(writer, deadlineNanos, kind, false);
    }

    /**
     * As {@link #submitAndAwaitRaw}, but enters the kernel at once instead of leaving the entry
     * for the worker's next poll: for operations that usually complete without waiting (a send into
     * a socket with buffer room), which then return without parking the task at all — one
     * {@code io_uring_enter} instead of a park, a resume and the rest of the worker's round. Entries
     * other tasks of this worker queued go in the same enter, and completions that are ready are
     * dispatched as {@link #poll()} would. An operation that must wait parks as usual.
     */
    public int submitNowAndAwaitRaw(SqeWriter writer, long deadlineNanos, ResultKind kind) throws IOException {
        return operations.submitAndAwait(writer, deadlineNanos, kind, true);
    }

    /**
     * The general form of {@link #submitAndAwaitRaw} and {@link #submitNowAndAwaitRaw}: {@code eager}
     * chooses between them, and an entry that names {@code fd} names entry {@code fixedIndex} of this
     * ring's registered files instead (IOSQE_FIXED_FILE) where {@code fixedIndex} is not negative and
     * the opcode takes a registered file — {@code fixedIndex} must be what {@link #registerFile}
     * returned for {@code fd} on this driver.
     */
    public int submitAndAwaitRaw(SqeWriter writer, long deadlineNanos, ResultKind kind, boolean eager, int fd,
                                 int fixedIndex) throws IOException {
        return operations.submitAndAwait(writer, deadlineNanos, kind, eager, fd, fixedIndex);
    }

    /**
     * Registers {@code fd} in this ring's registered-file table, so that operations on it can name
     * the file by index ({@link #submitAndAwaitRaw(SqeWriter, long, ResultKind, boolean, int, int)}),
     * which spares the kernel a descriptor lookup and a reference count per operation. The entry
     * holds the file open of its own: pair every index with {@link #unregisterFile}, on this worker.
     *
     * @return the index, or -1 when the table is off, full or refused the descriptor (use it by number)
     * @throws WrongThreadException if the caller does not run on this worker (SINGLE_ISSUER)
     */
    public int registerFile(int fd) {
        checkOwnerThread("registerFile");
        return closing ? -1 : files.add(fd);
    }

    /**
     * Empties entry {@code index} of the registered-file table (from {@link #registerFile}); the
     * file closes once its descriptor is closed too. Nothing to do once the ring is closed (its
     * close dropped every entry).
     *
     * @throws WrongThreadException if the caller does not run on this worker (SINGLE_ISSUER)
     */
    public void unregisterFile(int index) {
        checkOwnerThread("unregisterFile");
        if (!ring.isClosed()) {
            files.remove(index);
        }
    }

    /** Whether the caller runs on this driver's worker: the worker thread itself or one of its tasks. */
    public boolean isCurrentWorker() {
        return Carriers.current() == owner;
    }

    private void checkOwnerThread(String what) {
        if (!isCurrentWorker()) {
            throw new WrongThreadException(what + " on the io_uring driver of worker " + workerIndex
                    + " from " + Thread.currentThread() + ": only its worker (or a task on it) may");
        }
    }

    /**
     * Submits a multishot operation (the writer sets the opcode's multishot flag, e.g.
     * {@code prepAccept(fd, 0, 0, flags, true)}); its completions are taken with
     * {@link MultishotOperation#next()}. Close the returned handle.
     */
    public MultishotOperation submitMultishot(SqeWriter writer, ResultKind kind) throws IOException {
        return operations.submitMultishot(writer, kind);
    }

    /**
     * Closes {@code fd} exactly once: IORING_OP_CLOSE on this ring when the caller is a task of this
     * worker and the ring can take it (the task parks until the CQE, not interruptibly: an interrupt
     * stays set for the caller), else close(2) — so a full op table, a closing driver or an interrupt
     * never leaves the descriptor open.
     *
     * @return 0 or -errno
     */
    public int closeDescriptor(int fd) {
        return operations.close(fd);
    }

    /**
     * Reads up to {@code length} bytes of file {@code fd} at {@code position} into the native memory
     * at {@code address} with {@code preadv2(RWF_NOWAIT)}, synchronously on this worker's OS thread:
     * data in the page cache is copied at once, without the ring and without parking the task. The
     * caller keeps {@code fd} open and the memory alive for the call (which returns before anything
     * else can run on this worker).
     *
     * @return the count read (0 at end of file; a short count when only part is cached), or -errno:
     *     {@code -EAGAIN} when the data is not cached or the read would block (read it through the
     *     ring instead), {@code -EOPNOTSUPP} or {@code -EINVAL} when the file cannot be read without
     *     blocking, {@code -ENOSYS} when the C library or kernel lacks preadv2 (this driver then
     *     answers it at once, without the call), or the read's own error
     * @throws java.io.InterruptedIOException if the task was interrupted (nothing was read)
     * @throws DriverClosedException if the driver is closing; other caller errors as
     *     {@link #submitAndAwait(SqeWriter)}
     */
    public int readNowait(int fd, long address, int length, long position) throws IOException {
        return nowaitReads.read(fd, address, length, position);
    }

    /** Whether {@link #armReceive} is available: provided buffers are on and the kernel has multishot RECV. */
    public boolean receivesMultishot() {
        return receiveBuffers != null;
    }

    /**
     * Arms a multishot RECV of {@code fd} into this worker's provided buffers: it stays armed,
     * delivering each arrival to {@code sink} on this worker, until it ends ({@link ReceiveSink#onEnd}
     * says why) — end of stream, an error, a cancel by fd (a close), the sink's own stop, or buffers
     * running out. Nothing is returned to wait on: the sink is the only way results come back.
     * A {@code fixedIndex} that is not negative (from {@link #registerFile} for {@code fd}) names
     * the registered file instead of {@code fd}.
     *
     * @throws IllegalStateException if {@link #receivesMultishot()} is false, or the op table is full
     * @throws WrongThreadException if the caller is not a task of this worker
     */
    public void armReceive(int fd, int fixedIndex, ReceiveSink sink) throws IOException {
        if (receiveBuffers == null) {
            throw new IllegalStateException("multishot receives are off on worker " + workerIndex + ": " + description);
        }
        operations.armReceive(fd, fixedIndex, receiveBuffers.groupId(), java.util.Objects.requireNonNull(sink, "sink"));
    }

    /** This worker's registered buffers (lease from tasks of this worker only). */
    public RegisteredBufferPool bufferPool() {
        return pool;
    }

    /** Whether the kernel supports {@code opcode} (IORING_REGISTER_PROBE). */
    public boolean supports(int opcode) {
        return ring.opcodes().supports(opcode);
    }

    public int workerIndex() {
        return workerIndex;
    }

    /** Counters for tests and diagnostics; owner thread or its tasks. */
    public Stats stats() {
        return new Stats(completions.completions(), ops.staleCompletions(), ops.duplicateCompletions(),
                ops.inFlight(), ops.pending(), completions.overflowFlushes(), wakeups.eventfdWakeups(),
                wakeups.messageWakeups(), operations.eagerSubmissions(), operations.eagerCompletedInline(), parks,
                blockingParks, nowaitReads.hits(), nowaitReads.misses(), files.inUse());
    }

    /**
     * @param completions CQEs reaped, internal ones included
     * @param staleCompletions CQEs for an earlier generation of a slot (never delivered)
     * @param duplicateCompletions CQEs for a slot that had already completed (never delivered)
     * @param inFlight operations acquired and not yet returned to the table
     * @param pending operations waiting for their completion
     * @param overflowFlushes times the CQ had overflowed (FEAT_NODROP kept the completions) and was flushed
     * @param eventfdWakeups wake-ups received through the eventfd read
     * @param messageWakeups wake-ups received as MSG_RING completions from other workers' rings
     * @param eagerSubmissions operations submitted with {@link #submitNowAndAwaitRaw}
     * @param eagerCompletedInline those of them that completed inside that enter, so that their task
     *     never parked
     * @param parks calls of {@link #park(long)} by the worker
     * @param blockingParks those that blocked in the kernel waiting for a completion (the others
     *     found work, a wake-up or a zero timeout and returned at once)
     * @param nowaitReads {@link #readNowait} calls that returned data or end of file (reads served
     *     from the page cache without the ring)
     * @param nowaitMisses {@link #readNowait} calls the kernel answered with EAGAIN (not cached or
     *     would block), after which file reads go through the ring
     * @param registeredFiles entries of the registered-file table in use ({@link #registerFile})
     */
    public record Stats(long completions, long staleCompletions, long duplicateCompletions, int inFlight,
                        int pending, long overflowFlushes, long eventfdWakeups, long messageWakeups,
                        long eagerSubmissions, long eagerCompletedInline, long parks, long blockingParks,
                        long nowaitReads, long nowaitMisses, int registeredFiles) {}

    private static int check(int result) throws IOException {
        if (result < 0) {
            throw Errno.fromResult(result, null);
        }
        return result;
    }

    // ---- Driver SPI ----

    @Override
    public int poll() {
        checkOwner();
        if (closed) {
            return 0;
        }
        wakeups.armReadIfWanted();
        handleEnter(ring.submit(), "submitting");
        return completions.reap();
    }

    @Override
    public void park(long deadlineNanos) {
        checkOwner();
        parks++;
        if (closed || wakeups.takeWoken()) {
            return; // a wake-up reaped outside a park ends the next one at once
        }
        wakeups.armReadIfWanted();
        long timeout = -1;
        if (deadlineNanos != Long.MAX_VALUE) {
            timeout = Math.max(0, deadlineNanos - System.nanoTime());
        }
        if (timeout == 0 || ring.cq().ready() > 0 || ring.completionsNeedFlush()) {
            handleEnter(ring.submit(), "submitting");
        } else {
            blockingParks++;
            waitForCompletion(timeout);
        }
        completions.reap();
        wakeups.takeWoken(); // wake-ups reaped here were for this park
    }

    /** Blocks in io_uring_enter for one completion or {@code timeout} ns (negative: no timeout). */
    private void waitForCompletion(long timeout) {
        if (timeout >= 0 && !ring.extArgWaits()) {
            reserve(1);
            Structs.setTimespec(parkTimespec, timeout);
            // count 1: the TIMEOUT also ends when any other completion arrives, so none outlives its wait
            ring.sq().next().prepTimeout(parkTimespec.address(), 1, 0).userData(UserData.PARK_TIMEOUT);
            completions.parkTimeoutQueued();
            timeout = -1;
        }
        handleEnter(ring.submitAndWait(1, timeout), "waiting");
    }

    @Override
    public void wake() {
        wakeups.wake();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        checkOwner();
        if (closed) {
            return;
        }
        new DriverShutdown(this).run();
    }

    // ---- internals shared with Operations, Completions, Wakeups and DriverShutdown (owner OS thread) ----

    Thread owner() { return owner; }
    int id() { return id; }
    boolean isClosing() { return closing; }
    void markClosing() { closing = true; }
    void markClosed() { closed = true; }
    boolean isFillingSqe() { return operations.isFilling(); }
    /** The settings this driver was opened with. */
    public IoUringConfig config() { return config; }
    Ring ring() { return ring; }
    OpTable ops() { return ops; }
    Arena arena() { return arena; }
    Wakeups wakeups() { return wakeups; }
    Completions completions() { return completions; }
    ProvidedBuffers providedBuffers() { return receiveBuffers; }
    Thread checkTaskCaller() throws IOException { return operations.checkCaller(); }

    /** Reserves SQ entries, reaping completions if the kernel will not take more (never loses an entry). */
    void reserve(int count) {
        while (!ring.tryReserve(count)) {
            completions.reap();
        }
    }

    /** Bounded wait used while closing: one completion or a slice of the remaining time. */
    void waitDuringClose(long remainingNanos) {
        waitForCompletion(Math.max(1, Math.min(remainingNanos, CLOSE_WAIT_SLICE_NANOS)));
    }

    /** Queues an ASYNC_CANCEL of every request; on kernels without CANCEL_ANY, of each one we know. */
    void queueCancelAll() {
        reserve(1);
        ring.sq().next().prepAsyncCancel(0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL)
                .userData(UserData.CANCEL_ALL);
    }

    void queueCancelEach() {
        ops.forEachPending(slot -> queueCancel(slot.userData()));
        if (wakeups.readArmed()) {
            queueCancel(UserData.WAKE_READ);
        }
    }

    void queueCancel(long target) {
        reserve(1);
        ring.sq().next().prepAsyncCancel(target, 0).userData(UserData.IGNORED);
    }

    /** The result of an io_uring_enter: the expected errnos by name, anything else is fatal for the worker. */
    void handleEnter(int result, String what) {
        if (enterAccepted(result)) {
            return;
        }
        throw new IllegalStateException("io_uring_enter failed while " + what + " on worker " + workerIndex
                + ": " + Errno.describe(-result));
    }

    /**
     * Whether an io_uring_enter result is one the driver goes on from: success, ETIME (the wait
     * timed out), EINTR (a signal), EBUSY/EAGAIN (reap, then retry).
     */
    static boolean enterAccepted(int result) {
        return result >= 0 || result == -Errno.ETIME || result == -Errno.EINTR || result == -Errno.EBUSY
                || result == -Errno.EAGAIN;
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("the io_uring driver of worker " + workerIndex + " belongs to " + owner
                    + "; poll, park and close were called from " + Thread.currentThread());
        }
    }

    private void logChoice() {
        LOG.log(LOGGED_CHOICE.compareAndSet(false, true) ? System.Logger.Level.INFO : System.Logger.Level.DEBUG,
                description);
    }
}
