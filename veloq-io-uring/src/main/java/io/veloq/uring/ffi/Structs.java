package io.veloq.uring.ffi;

import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_GETEVENTS_ARG;
import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_PROBE;
import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_PROBE_OP;
import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_RSRC_UPDATE;
import static io.veloq.uring.ffi.IoUringLayouts.KERNEL_TIMESPEC;
import static io.veloq.uring.ffi.IoUringLayouts.handle;
import static io.veloq.uring.ffi.PosixLayouts.IOVEC;
import static io.veloq.uring.ffi.PosixLayouts.RLIMIT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.VarHandle;

/**
 * Readers and writers for the small argument structs: {@code __kernel_timespec},
 * {@code io_uring_getevents_arg}, {@code iovec} arrays, {@code rlimit}, {@code io_uring_probe},
 * {@code io_uring_rsrc_update} and the {@code eventfd_t} counter. Threading: stateless; the segments belong to the caller.
 */
public final class Structs {

    private Structs() {}

    private static final VarHandle TS_SEC = handle(KERNEL_TIMESPEC, "tv_sec");
    private static final VarHandle TS_NSEC = handle(KERNEL_TIMESPEC, "tv_nsec");
    private static final VarHandle ARG_SIGMASK = handle(IO_URING_GETEVENTS_ARG, "sigmask");
    private static final VarHandle ARG_SIGMASK_SZ = handle(IO_URING_GETEVENTS_ARG, "sigmask_sz");
    private static final VarHandle ARG_TS = handle(IO_URING_GETEVENTS_ARG, "ts");
    private static final VarHandle IOV_BASE = handle(IOVEC, "iov_base");
    private static final VarHandle IOV_LEN = handle(IOVEC, "iov_len");
    private static final VarHandle RLIM_CUR = handle(RLIMIT, "rlim_cur");
    private static final VarHandle RLIM_MAX = handle(RLIMIT, "rlim_max");
    private static final VarHandle PROBE_LAST_OP = handle(IO_URING_PROBE, "last_op");
    private static final VarHandle PROBE_OPS_LEN = handle(IO_URING_PROBE, "ops_len");
    private static final VarHandle PROBE_OP_FLAGS = handle(IO_URING_PROBE_OP, "flags");
    private static final VarHandle RSRC_OFFSET = handle(IO_URING_RSRC_UPDATE, "offset");
    private static final VarHandle RSRC_RESV = handle(IO_URING_RSRC_UPDATE, "resv");
    private static final VarHandle RSRC_DATA = handle(IO_URING_RSRC_UPDATE, "data");
    private static final long PROBE_OPS = IoUringLayouts.offset(IO_URING_PROBE, "ops");

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    // ---- __kernel_timespec ----

    /** Writes {@code nanos} (a duration, or a CLOCK_MONOTONIC instant for absolute timeouts). */
    public static void setTimespec(MemorySegment timespec, long nanos) {
        TS_SEC.set(timespec, 0L, Math.floorDiv(nanos, NANOS_PER_SECOND));
        TS_NSEC.set(timespec, 0L, Math.floorMod(nanos, NANOS_PER_SECOND));
    }

    public static long timespecNanos(MemorySegment timespec) {
        return (long) TS_SEC.get(timespec, 0L) * NANOS_PER_SECOND + (long) TS_NSEC.get(timespec, 0L);
    }

    // ---- io_uring_getevents_arg ----

    /** An EXT_ARG wait argument without a signal mask, waiting at most {@code timespec} (0 = no timeout). */
    public static void setGeteventsArg(MemorySegment arg, long timespecAddress) {
        ARG_SIGMASK.set(arg, 0L, 0L);
        ARG_SIGMASK_SZ.set(arg, 0L, 0);
        ARG_TS.set(arg, 0L, timespecAddress);
    }

    // ---- io_uring_rsrc_update (registered ring fds) ----

    /** Fills an update that registers {@code data} at {@code offset} (-1: the kernel picks it). */
    public static void setRsrcUpdate(MemorySegment update, int offset, long data) {
        RSRC_OFFSET.set(update, 0L, offset);
        RSRC_RESV.set(update, 0L, 0);
        RSRC_DATA.set(update, 0L, data);
    }

    /** The offset the kernel wrote back: the registered index. */
    public static int rsrcUpdateOffset(MemorySegment update) {
        return (int) RSRC_OFFSET.get(update, 0L);
    }

    // ---- iovec ----

    /** Fills entry {@code index} of an iovec array. */
    public static void setIovec(MemorySegment iovecs, int index, long base, long length) {
        long offset = index * IOVEC.byteSize();
        IOV_BASE.set(iovecs, offset, base);
        IOV_LEN.set(iovecs, offset, length);
    }

    // ---- eventfd_t ----

    /** An {@code eventfd_t} (uint64_t, host order) holding {@code value}: what an eventfd write adds. */
    public static MemorySegment allocateEventfdValue(SegmentAllocator allocator, long value) {
        return allocator.allocateFrom(PosixLayouts.EVENTFD_T, value);
    }

    // ---- rlimit ----

    public static long rlimitCurrent(MemorySegment rlimit) { return (long) RLIM_CUR.get(rlimit, 0L); }
    public static long rlimitMaximum(MemorySegment rlimit) { return (long) RLIM_MAX.get(rlimit, 0L); }

    // ---- io_uring_probe ----

    /** A zeroed probe with room for {@code ops} entries, as IORING_REGISTER_PROBE wants it. */
    public static MemorySegment allocateProbe(SegmentAllocator allocator, int ops) {
        return allocator.allocate(MemoryLayout.structLayout(
                IO_URING_PROBE, MemoryLayout.sequenceLayout(ops, IO_URING_PROBE_OP)));
    }

    public static int probeLastOp(MemorySegment probe) { return Byte.toUnsignedInt((byte) PROBE_LAST_OP.get(probe, 0L)); }
    public static int probeOpsLength(MemorySegment probe) { return Byte.toUnsignedInt((byte) PROBE_OPS_LEN.get(probe, 0L)); }

    /** The IO_URING_OP_* flags of entry {@code op} (entries are indexed by opcode). */
    public static int probeOpFlags(MemorySegment probe, int op) {
        return Short.toUnsignedInt((short) PROBE_OP_FLAGS.get(probe, PROBE_OPS + op * IO_URING_PROBE_OP.byteSize()));
    }
}
