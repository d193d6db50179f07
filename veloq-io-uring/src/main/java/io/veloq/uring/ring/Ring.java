package io.veloq.uring.ring;

import static io.veloq.uring.ffi.IoUringConstants.*;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.IoUringLayouts;
import io.veloq.uring.ffi.IoUringParams;
import io.veloq.uring.ffi.IoUringSyscalls;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Native;
import io.veloq.uring.ffi.PosixConstants;
import io.veloq.uring.ffi.RingMemory;
import io.veloq.uring.ffi.Sqe;
import io.veloq.uring.ffi.Structs;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.StringJoiner;

/**
 * One io_uring instance: the ring fd, its mapped SQ and CQ rings and SQE array, what setup chose
 * and what the kernel supports.
 *
 * <p>Threading: owned by the thread that opened it (with SINGLE_ISSUER the kernel enforces this
 * for {@code io_uring_enter}); every method is for that owner, or for a task running on it (same
 * OS thread). Lifecycle: {@link #open} (which releases everything it acquired if it fails),
 * use, {@link #close} once (idempotent).
 */
public final class Ring implements AutoCloseable {

    private static final long GETEVENTS_ARG_SIZE = IoUringLayouts.IO_URING_GETEVENTS_ARG.byteSize();

    private final Arena arena;
    private final MemorySegment callState;
    private final int fd;
    private final int setupFlags;
    private final int features;
    private final String refusals;
    private final int sqEntries;
    private final int cqEntries;
    private final Mapping sqRingMap;
    private final Mapping cqRingMap;
    private final Mapping sqesMap;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final OpcodeSupport opcodes;
    private final boolean extArgWaits;
    private final MemorySegment waitArg;
    private final MemorySegment waitTimespec;
    /**
     * What {@code io_uring_enter} is given: the ring's index in the owner thread's registered ring
     * fds (IORING_REGISTER_RING_FDS, 5.18; a platform owner only), which spares the kernel a file lookup and reference per
     * enter, or the plain fd when registration is refused or SINGLE_ISSUER is not in effect (then
     * another thread may enter, and the registration is valid only for the thread that made it).
     */
    private final int enterFd;
    private final int enterFlags;
    /** The thread whose registered ring fds hold {@link #enterFd}: the only one that may give it up. */
    private final Thread registeredBy;
    private boolean closed;

    /** A mapped region: its address and length, for munmap. */
    private record Mapping(MemorySegment segment, long length) {}

    private Ring(Arena arena, MemorySegment callState, RingSetup.Outcome outcome, IoUringParams params,
                 Mapping sqRingMap, Mapping cqRingMap, Mapping sqesMap, boolean useExtArg) {
        this.arena = arena;
        this.callState = callState;
        this.fd = outcome.ringFd();
        this.setupFlags = outcome.flags();
        this.refusals = outcome.refusals();
        this.features = params.features();
        this.sqEntries = params.sqEntries();
        this.cqEntries = params.cqEntries();
        this.sqRingMap = sqRingMap;
        this.cqRingMap = cqRingMap;
        this.sqesMap = sqesMap;
        this.sq = new SubmissionQueue(sqRingMap.segment(), sqesMap.segment(), params);
        this.cq = new CompletionQueue(cqRingMap.segment(), params);
        this.opcodes = OpcodeSupport.probe(callState, fd);
        this.extArgWaits = useExtArg && (features & IORING_FEAT_EXT_ARG) != 0;
        this.waitArg = arena.allocate(IoUringLayouts.IO_URING_GETEVENTS_ARG);
        this.waitTimespec = arena.allocate(IoUringLayouts.KERNEL_TIMESPEC);
        this.enterFd = (setupFlags & IORING_SETUP_SINGLE_ISSUER) != 0 && !Thread.currentThread().isVirtual()
                ? registerRingFd() : -1;
        this.enterFlags = enterFd >= 0 ? IORING_ENTER_REGISTERED_RING : 0;
        this.registeredBy = Thread.currentThread();
    }

    /** Registers the ring fd for the calling (owner) thread: its index, or -1 if the kernel refuses. */
    private int registerRingFd() {
        MemorySegment update = arena.allocate(IoUringLayouts.IO_URING_RSRC_UPDATE);
        Structs.setRsrcUpdate(update, -1, fd);
        int r = IoUringSyscalls.register(callState, fd, IORING_REGISTER_RING_FDS, update, 1);
        return r == 1 ? Structs.rsrcUpdateOffset(update) : -1;
    }

    /**
     * Sets a ring up on the calling thread, which becomes its owner.
     *
     * @throws IOException naming the errno when the kernel refuses (see {@link KernelSupport} for
     *     the reasons io_uring may be unavailable altogether)
     */
    public static Ring open(RingOptions options) throws IOException {
        // Shared, not confined: tasks (virtual threads) running on the owner use these segments too.
        Arena arena = Arena.ofShared();
        int fd = -1;
        Mapping sqRing = null;
        Mapping cqRing = null;
        Mapping sqes = null;
        try {
            MemorySegment callState = Native.allocateCallState(arena);
            IoUringParams params = new IoUringParams(arena);
            RingSetup.Outcome outcome = RingSetup.setUp(callState, params, options);
            fd = outcome.ringFd();
            long sqRingLength = params.sqOffset("array") + (long) params.sqEntries() * Integer.BYTES;
            long cqRingLength = params.cqOffset("cqes") + (long) params.cqEntries() * RingMemory.CQE_SIZE;
            if ((params.features() & IORING_FEAT_SINGLE_MMAP) != 0) {
                sqRing = map(callState, fd, Math.max(sqRingLength, cqRingLength), IORING_OFF_SQ_RING, "SQ/CQ rings");
                cqRing = sqRing;
            } else {
                sqRing = map(callState, fd, sqRingLength, IORING_OFF_SQ_RING, "SQ ring");
                cqRing = map(callState, fd, cqRingLength, IORING_OFF_CQ_RING, "CQ ring");
            }
            sqes = map(callState, fd, params.sqEntries() * Sqe.SIZE, IORING_OFF_SQES, "SQE array");
            return new Ring(arena, callState, outcome, params, sqRing, cqRing, sqes, options.useExtArg());
        } catch (IOException | RuntimeException | Error e) {
            unmapQuietly(sqes);
            if (cqRing != sqRing) {
                unmapQuietly(cqRing);
            }
            unmapQuietly(sqRing);
            if (fd >= 0) {
                LibC.close(fd);
            }
            arena.close();
            throw e;
        }
    }

    @SuppressWarnings("restricted") // mmap's result is a raw address; its length is ours
    private static Mapping map(MemorySegment callState, int fd, long length, long offset, String what)
            throws IOException {
        long address = LibC.mmap(callState, length, PosixConstants.PROT_READ | PosixConstants.PROT_WRITE,
                PosixConstants.MAP_SHARED | PosixConstants.MAP_POPULATE, fd, offset);
        if (address < 0) {
            throw new IOException("mmap of the io_uring " + what + " (" + length + " bytes) failed: "
                    + Errno.describe((int) -address));
        }
        return new Mapping(MemorySegment.ofAddress(address).reinterpret(length), length);
    }

    private static void unmapQuietly(Mapping mapping) {
        if (mapping != null) {
            try (Arena temporary = Arena.ofConfined()) {
                LibC.munmap(Native.allocateCallState(temporary), mapping.segment().address(), mapping.length());
            }
        }
    }

    public SubmissionQueue sq() { return sq; }
    public CompletionQueue cq() { return cq; }
    public int fd() { return fd; }
    public int setupFlags() { return setupFlags; }
    public int features() { return features; }
    public boolean hasFeature(int feature) { return (features & feature) == feature; }
    public OpcodeSupport opcodes() { return opcodes; }
    /** Whether {@code io_uring_enter} goes through the owner's registered ring fd (see {@link #enterFd}). */
    public boolean entersRegistered() { return enterFd >= 0; }
    /** Whether timed waits use IORING_ENTER_EXT_ARG (else the caller bounds a wait with a TIMEOUT entry). */
    public boolean extArgWaits() { return extArgWaits; }
    /** Whether the kernel raises IORING_SQ_TASKRUN when completions wait for us to enter. */
    public boolean taskrunFlag() { return (setupFlags & IORING_SETUP_TASKRUN_FLAG) != 0; }
    public int sqEntries() { return sqEntries; }
    public int cqEntries() { return cqEntries; }

    /**
     * Makes room for {@code count} entries, submitting what is pending if the queue is too full.
     *
     * @return false if the kernel would not take the pending entries (CQ overflow backpressure on
     *     older kernels): the caller reaps completions and tries again
     */
    public boolean tryReserve(int count) {
        if (count > sq.capacity()) {
            throw new IllegalArgumentException("cannot reserve " + count + " of " + sq.capacity() + " entries");
        }
        if (sq.free() >= count) {
            return true;
        }
        submit();
        return sq.free() >= count;
    }

    /**
     * Submits the pending entries without waiting, entering with GETEVENTS when the kernel has
     * completions to flush (CQ overflow) or deferred task work to run (IORING_SQ_TASKRUN).
     *
     * @return entries consumed, or -errno (EBUSY / EAGAIN: reap completions and retry)
     */
    public int submit() {
        int flags = completionsNeedFlush() ? IORING_ENTER_GETEVENTS : 0;
        sq.publish();
        int pending = sq.pending();
        if (pending == 0 && flags == 0) {
            return 0;
        }
        return enter(pending, 0, flags, MemorySegment.NULL, 0);
    }

    /** Submits the pending entries and flushes completions (runs deferred task work) regardless of flags. */
    public int submitAndGetEvents() {
        sq.publish();
        return enter(sq.pending(), 0, IORING_ENTER_GETEVENTS, MemorySegment.NULL, 0);
    }

    /**
     * Submits the pending entries and blocks until {@code minComplete} completions are present,
     * or {@code timeoutNanos} passed (requires {@link #extArgWaits()}; negative means no timeout).
     *
     * @return entries consumed, or -errno: -ETIME on timeout, -EINTR on a signal
     */
    public int submitAndWait(int minComplete, long timeoutNanos) {
        sq.publish();
        if (timeoutNanos < 0) {
            return enter(sq.pending(), minComplete, IORING_ENTER_GETEVENTS, MemorySegment.NULL, 0);
        }
        if (!extArgWaits) {
            throw new IllegalStateException("timed waits need IORING_FEAT_EXT_ARG, which is not in use");
        }
        Structs.setTimespec(waitTimespec, timeoutNanos);
        Structs.setGeteventsArg(waitArg, waitTimespec.address());
        return enter(sq.pending(), minComplete, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG, waitArg,
                GETEVENTS_ARG_SIZE);
    }

    /** Whether the kernel holds completions or task work that only an io_uring_enter with GETEVENTS releases. */
    public boolean completionsNeedFlush() {
        return (sq.kernelFlags() & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN)) != 0;
    }

    /** Whether completions overflowed the CQ and wait in the kernel (FEAT_NODROP keeps them). */
    public boolean cqOverflowPending() {
        return (sq.kernelFlags() & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /** {@code io_uring_register(2)} on this ring: the result or -errno. */
    public int register(int opcode, MemorySegment arg, int nrArgs) {
        return IoUringSyscalls.register(callState, fd, opcode, arg, nrArgs);
    }

    private int enter(int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
        int r;
        do {
            r = IoUringSyscalls.enter(callState, enterFd >= 0 ? enterFd : fd, toSubmit, minComplete,
                    flags | enterFlags, arg, argSize);
        } while (r == -Errno.EINTR && minComplete == 0);
        return r;
    }

    /** One line: sizes, chosen flags (and refusals), kernel features, opcode probe, wait mode. */
    public String description() {
        StringJoiner line = new StringJoiner(", ");
        line.add("sq=" + sqEntries + " cq=" + cqEntries);
        line.add("setup " + RingSetup.describeFlags(setupFlags)
                + (refusals.isEmpty() ? " (first choice)" : " (" + refusals + ")"));
        line.add("features 0x" + Integer.toHexString(features)
                + (hasFeature(IORING_FEAT_NODROP) ? " NODROP" : " no NODROP")
                + (hasFeature(IORING_FEAT_FAST_POLL) ? " FAST_POLL" : ""));
        line.add("waits " + (extArgWaits ? "EXT_ARG" : hasFeature(IORING_FEAT_EXT_ARG)
                ? "TIMEOUT entry (EXT_ARG turned off)" : "TIMEOUT entry (kernel lacks FEAT_EXT_ARG)"));
        line.add(opcodes.toString());
        if (enterFd >= 0) {
            line.add("registered ring fd");
        }
        return line.toString();
    }

    /**
     * Unmaps the rings and closes the ring fd (the kernel then cancels whatever is still in flight).
     * The registered ring fd holds a reference to the ring and is given up first, by the owner; a
     * close from another thread cannot reach the owner's table (the same index there may name
     * another ring), so the kernel releases the ring when the owner thread exits.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (enterFd >= 0 && Thread.currentThread() == registeredBy) {
            MemorySegment update = arena.allocate(IoUringLayouts.IO_URING_RSRC_UPDATE);
            Structs.setRsrcUpdate(update, enterFd, 0);
            IoUringSyscalls.register(callState, fd, IORING_UNREGISTER_RING_FDS, update, 1);
        }
        unmapQuietly(sqesMap);
        if (cqRingMap != sqRingMap) {
            unmapQuietly(cqRingMap);
        }
        unmapQuietly(sqRingMap);
        LibC.close(callState, fd);
        arena.close();
    }

    public boolean isClosed() {
        return closed;
    }
}
