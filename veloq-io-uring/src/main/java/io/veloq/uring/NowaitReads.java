package io.veloq.uring;

import static io.veloq.uring.ffi.PosixConstants.RWF_NOWAIT;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Native;
import io.veloq.uring.ffi.PosixLayouts;
import io.veloq.uring.ffi.Structs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The page-cache reads of one worker: {@code preadv2(fd, iov, 1, offset, RWF_NOWAIT)} made
 * synchronously by a task, for file reads whose data is usually cached. The kernel copies cached
 * data at once and answers {@code -EAGAIN} instead of waiting for anything (a disk read, a lock);
 * the caller then reads through the ring. A hit costs one short system call, where a READ on the
 * ring costs a park, a resume and io_uring's own work per operation.
 *
 * <p>Threading contract: tasks of the owning worker only, checked like a submission (a virtual
 * thread whose carrier is the owner; not once the driver is closing). The {@code struct iovec}
 * and the errno capture are this worker's, reused by every call: a downcall pins the task's
 * virtual thread to the worker's OS thread until it returns, so no other task of the worker can
 * run — and use them — meanwhile. Both live in the driver's arena, which outlives every call: a
 * closing driver refuses the call before they are touched. All fields other than the segments
 * are owner-thread only (plain, like the other counters of {@link IoUringDriver#stats()}).
 */
final class NowaitReads {

    private final IoUringDriver driver;
    private final MemorySegment iovec;
    private final MemorySegment callState;
    /** preadv2 answered ENOSYS (a C library or kernel without it): every later call answers so at once. */
    private boolean unsupported;
    /** Calls that returned data or end of file, and calls the kernel answered with EAGAIN. */
    private long hits;
    private long misses;

    NowaitReads(IoUringDriver driver, Arena arena) {
        this.driver = driver;
        this.iovec = arena.allocate(PosixLayouts.IOVEC);
        this.callState = Native.allocateCallState(arena);
    }

    /** See {@link IoUringDriver#readNowait}. */
    int read(int fd, long address, int length, long position) throws IOException {
        Thread task = driver.checkTaskCaller(); // the checks of a submission, with the same exceptions
        if (task.isInterrupted()) {
            throw new InterruptedIOException("interrupted before the operation was submitted");
        }
        if (unsupported) {
            return -Errno.ENOSYS;
        }
        Structs.setIovec(iovec, 0, address, length);
        int res = (int) LibC.preadv2(callState, fd, iovec, 1, position, RWF_NOWAIT); // at most length: an int
        if (res >= 0) {
            hits++;
        } else if (res == -Errno.EAGAIN) {
            misses++;
        } else if (res == -Errno.ENOSYS) {
            unsupported = true;
        }
        return res;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }
}
