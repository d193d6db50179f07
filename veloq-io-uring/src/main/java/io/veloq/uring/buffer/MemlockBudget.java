package io.veloq.uring.buffer;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Native;
import io.veloq.uring.ffi.PosixConstants;
import io.veloq.uring.ffi.PosixLayouts;
import io.veloq.uring.ffi.Structs;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RLIMIT_MEMLOCK and the registered memory this process accounts against it. The kernel charges
 * registered buffers to the locked memory of the user, checked against the limit of the process
 * registering them — unless the process holds CAP_IPC_LOCK ({@link #limit()}); pools are sized up
 * front so that all workers' pools fit under it, and a pool that would not fit fails start-up
 * with a message naming the limit and how to raise it.
 *
 * <p>Threading: thread-safe; the tally is shared by all workers of the process.
 */
final class MemlockBudget {

    private static final AtomicLong REGISTERED = new AtomicLong();

    private MemlockBudget() {}

    /**
     * The limit the kernel applies to this process's registered buffers, in bytes
     * ({@link Long#MAX_VALUE}: none): the soft RLIMIT_MEMLOCK, or none when the process holds
     * CAP_IPC_LOCK in the initial user namespace ({@link IpcLockCapability}) — io_uring then
     * charges the pinned pages to nobody, and checking RLIMIT_MEMLOCK anyway would refuse pools the
     * kernel accepts (a root service with the default 8 MiB limit).
     */
    static long limit() throws IOException {
        return effectiveLimit(rlimit(), IpcLockCapability.heldByThisProcess());
    }

    /** The rule of {@link #limit()}: CAP_IPC_LOCK ({@code exempt}) lifts {@code rlimit}. */
    static long effectiveLimit(long rlimit, boolean exempt) {
        return exempt ? Long.MAX_VALUE : rlimit;
    }

    /** The soft RLIMIT_MEMLOCK in bytes, {@link Long#MAX_VALUE} when unlimited. */
    static long rlimit() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(PosixLayouts.RLIMIT);
            int r = LibC.getrlimit(Native.allocateCallState(arena), PosixConstants.RLIMIT_MEMLOCK, rlimit);
            if (r < 0) {
                throw new IOException("getrlimit(RLIMIT_MEMLOCK) failed: " + Errno.describe(-r));
            }
            long current = Structs.rlimitCurrent(rlimit);
            return current == PosixConstants.RLIM_INFINITY ? Long.MAX_VALUE : current;
        }
    }

    /** Bytes currently registered by every pool of this process. */
    static long registered() {
        return REGISTERED.get();
    }

    /**
     * Accounts {@code bytes} more against {@code limit}, or fails saying what to change.
     *
     * @throws IOException naming RLIMIT_MEMLOCK, the numbers, and how to raise the limit
     */
    static void reserve(long bytes, long limit, String what) throws IOException {
        while (true) {
            long before = REGISTERED.get();
            failIfOver(bytes, before, limit, what);
            if (REGISTERED.compareAndSet(before, before + bytes)) {
                return;
            }
        }
    }

    /** Like {@link #reserve} but reserves nothing: would {@code bytes} more fit now? */
    static void check(long bytes, long limit, String what) throws IOException {
        failIfOver(bytes, REGISTERED.get(), limit, what);
    }

    private static void failIfOver(long bytes, long registered, long limit, String what) throws IOException {
        if (limit != Long.MAX_VALUE && registered + bytes > limit) {
            throw new IOException(what + " needs " + format(bytes) + " of locked memory"
                    + (registered > 0 ? " (this process has " + format(registered) + " registered already)" : "")
                    + ", but RLIMIT_MEMLOCK is " + format(limit) + ". " + HOW_TO_RAISE);
        }
    }

    static void release(long bytes) {
        REGISTERED.addAndGet(-bytes);
    }

    static final String HOW_TO_RAISE = "Raise the limit (shell: ulimit -l <KiB> or unlimited; systemd: "
            + "LimitMEMLOCK=; docker/podman: --ulimit memlock=<bytes>:<bytes>; /etc/security/limits.conf: "
            + "memlock) or shrink the pool (BufferPoolConfig bufferSize x bufferCount, per worker).";

    static String format(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "unlimited";
        }
        if (bytes >= (1L << 20) && bytes % (1L << 10) == 0) {
            return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
        }
        return bytes >= 1024 && bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
