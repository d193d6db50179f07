package io.veloq.uring.ffi;

import static io.veloq.uring.ffi.PosixLayouts.C_INT;
import static io.veloq.uring.ffi.PosixLayouts.SOCKLEN_T;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * One 32-bit C scalar passed by pointer: an {@code int} socket option value
 * ({@code setsockopt}/{@code getsockopt}), or a {@code socklen_t} length the kernel reads and
 * updates ({@code getsockopt}, {@code getsockname}, {@code getpeername}).
 *
 * <p>Threading: owned by the thread making the call; allocated in the caller's arena.
 */
public final class IntCell {

    private final ValueLayout.OfInt type;
    private final MemorySegment cell;

    private IntCell(ValueLayout.OfInt type, MemorySegment cell) {
        this.type = type;
        this.cell = cell;
    }

    /** An {@code int} holding {@code value}. */
    public static IntCell ofInt(SegmentAllocator allocator, int value) {
        return new IntCell(C_INT, allocator.allocateFrom(C_INT, value));
    }

    /** A {@code socklen_t} holding {@code length}. */
    public static IntCell ofSocklen(SegmentAllocator allocator, int length) {
        return new IntCell(SOCKLEN_T, allocator.allocateFrom(SOCKLEN_T, length));
    }

    /** The value, as the kernel left it after the call. */
    public int get() {
        return cell.get(type, 0L);
    }

    /** sizeof the C type, for the length argument that goes with an option value. */
    public int byteSize() {
        return (int) type.byteSize();
    }

    /** The pointer to pass. */
    public MemorySegment segment() {
        return cell;
    }
}
