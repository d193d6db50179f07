package io.veloq.uring.ffi;

import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_PARAMS;
import static io.veloq.uring.ffi.IoUringLayouts.handle;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A {@code struct io_uring_params}: filled with the requested sizes and flags before
 * {@code io_uring_setup(2)}, read back afterwards for the granted sizes, the kernel's features
 * and the ring offsets. Threading: confined to the thread setting the ring up.
 */
public final class IoUringParams {

    private static final VarHandle SQ_ENTRIES = handle(IO_URING_PARAMS, "sq_entries");
    private static final VarHandle CQ_ENTRIES = handle(IO_URING_PARAMS, "cq_entries");
    private static final VarHandle FLAGS = handle(IO_URING_PARAMS, "flags");
    private static final VarHandle FEATURES = handle(IO_URING_PARAMS, "features");

    private final MemorySegment segment;

    /** A zeroed params struct allocated in {@code arena}. */
    public IoUringParams(Arena arena) {
        this.segment = arena.allocate(IO_URING_PARAMS);
    }

    public MemorySegment segment() { return segment; }

    /** Zeroes the struct, as a retried io_uring_setup(2) needs (the kernel writes into it). */
    public IoUringParams clear() {
        segment.fill((byte) 0);
        return this;
    }

    public IoUringParams cqEntries(int entries) { CQ_ENTRIES.set(segment, 0L, entries); return this; }
    public IoUringParams flags(int flags) { FLAGS.set(segment, 0L, flags); return this; }

    public int sqEntries() { return (int) SQ_ENTRIES.get(segment, 0L); }
    public int cqEntries() { return (int) CQ_ENTRIES.get(segment, 0L); }
    public int flags() { return (int) FLAGS.get(segment, 0L); }
    public int features() { return (int) FEATURES.get(segment, 0L); }

    /** A {@code __u32} member of {@code sq_off} (io_sqring_offsets), e.g. "head", "array". */
    public int sqOffset(String member) {
        return segment.get(java.lang.foreign.ValueLayout.JAVA_INT,
                IoUringLayouts.offset(IO_URING_PARAMS, "sq_off", member));
    }

    /** A {@code __u32} member of {@code cq_off} (io_cqring_offsets), e.g. "head", "cqes". */
    public int cqOffset(String member) {
        return segment.get(java.lang.foreign.ValueLayout.JAVA_INT,
                IoUringLayouts.offset(IO_URING_PARAMS, "cq_off", member));
    }
}
