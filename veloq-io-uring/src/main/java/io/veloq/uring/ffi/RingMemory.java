package io.veloq.uring.ffi;

import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_CQE;
import static io.veloq.uring.ffi.IoUringLayouts.handle;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Access to the mapped ring memory shared with the kernel: the {@code __u32} ring fields at the
 * offsets {@code io_uring_setup(2)} reported, and the CQE array.
 *
 * <p>The ordering modes are the caller's choice and the caller's comment says what each access
 * pairs with; in short (see the ring package's protocol): we read a tail the kernel publishes with
 * acquire (it stores with {@code smp_store_release}), and publish our tail/head with release (the
 * kernel loads with {@code smp_load_acquire}); fields only we write are accessed plainly.
 */
public final class RingMemory {

    private RingMemory() {}

    private static final VarHandle U32 = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle CQE_USER_DATA = handle(IO_URING_CQE, "user_data");
    private static final VarHandle CQE_RES = handle(IO_URING_CQE, "res");
    private static final VarHandle CQE_FLAGS = handle(IO_URING_CQE, "flags");

    /** sizeof(struct io_uring_cqe). */
    public static final long CQE_SIZE = IO_URING_CQE.byteSize();

    public static int getAcquire(MemorySegment ring, long offset) {
        return (int) U32.getAcquire(ring, offset);
    }

    public static void setRelease(MemorySegment ring, long offset, int value) {
        U32.setRelease(ring, offset, value);
    }

    /** A field the kernel may change at any time, read without ordering (flags, overflow counters). */
    public static int getOpaque(MemorySegment ring, long offset) {
        return (int) U32.getOpaque(ring, offset);
    }

    /** A field only the kernel or only we write, where no ordering is needed. */
    public static int getPlain(MemorySegment ring, long offset) {
        return (int) U32.get(ring, offset);
    }

    public static void setPlain(MemorySegment ring, long offset, int value) {
        U32.set(ring, offset, value);
    }

    /** user_data of CQE {@code index} of the CQE array {@code cqes}. */
    public static long cqeUserData(MemorySegment cqes, int index) {
        return (long) CQE_USER_DATA.get(cqes, index * CQE_SIZE);
    }

    /** res of CQE {@code index}. */
    public static int cqeRes(MemorySegment cqes, int index) {
        return (int) CQE_RES.get(cqes, index * CQE_SIZE);
    }

    /** flags of CQE {@code index}. */
    public static int cqeFlags(MemorySegment cqes, int index) {
        return (int) CQE_FLAGS.get(cqes, index * CQE_SIZE);
    }
}
