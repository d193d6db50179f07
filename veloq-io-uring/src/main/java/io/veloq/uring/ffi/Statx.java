package io.veloq.uring.ffi;

import static io.veloq.uring.ffi.IoUringLayouts.handle;
import static io.veloq.uring.ffi.PosixLayouts.STATX;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.VarHandle;
import java.time.Instant;

/**
 * Typed reads of one {@code struct statx} ({@code <linux/stat.h>}), the output of IORING_OP_STATX:
 * each accessor names its member and C type, and widens unsigned members so that no value turns
 * negative. Which members the kernel filled is in {@link #mask()} ({@code STATX_*} bits).
 *
 * <p>Threading: a view over memory owned by the caller (the task of one STATX operation); the
 * kernel writes it until the operation's completion, so read it only after that.
 */
public final class Statx {

    /** sizeof(struct statx). */
    public static final long SIZE = STATX.byteSize();

    private static final VarHandle MASK = handle(STATX, "stx_mask");
    private static final VarHandle MODE = handle(STATX, "stx_mode");
    private static final VarHandle NLINK = handle(STATX, "stx_nlink");
    private static final VarHandle UID = handle(STATX, "stx_uid");
    private static final VarHandle GID = handle(STATX, "stx_gid");
    private static final VarHandle INO = handle(STATX, "stx_ino");
    private static final VarHandle FILE_SIZE = handle(STATX, "stx_size");
    private static final Timestamp ATIME = new Timestamp("stx_atime");
    private static final Timestamp BTIME = new Timestamp("stx_btime");
    private static final Timestamp CTIME = new Timestamp("stx_ctime");
    private static final Timestamp MTIME = new Timestamp("stx_mtime");

    private final MemorySegment segment;

    private Statx(MemorySegment segment) {
        if (segment.byteSize() < SIZE) {
            throw new IllegalArgumentException("a struct statx needs " + SIZE + " bytes, got " + segment.byteSize());
        }
        this.segment = segment;
    }

    /** A zeroed struct, suitably aligned, from {@code allocator}. */
    public static Statx allocate(SegmentAllocator allocator) {
        return new Statx(allocator.allocate(STATX));
    }

    /** A view of a struct statx already in {@code segment} (at least {@link #SIZE} bytes). */
    public static Statx of(MemorySegment segment) {
        return new Statx(segment);
    }

    /** Where the kernel writes it: STATX's {@code addr2}. */
    public long address() {
        return segment.address();
    }

    /** {@code __u32 stx_mask}: the STATX_* bits of the members the kernel filled. */
    public int mask() {
        return (int) MASK.get(segment, 0L);
    }

    /** {@code __u16 stx_mode}: file type (S_IFMT bits) and permissions, 0..0xffff. */
    public int mode() {
        return Short.toUnsignedInt((short) MODE.get(segment, 0L));
    }

    /** {@code __u32 stx_nlink}: the hard link count, unsigned. */
    public long nlink() {
        return Integer.toUnsignedLong((int) NLINK.get(segment, 0L));
    }

    /** {@code __u32 stx_uid}: the owner's user id (the bits; ids above 2^31 read negative, as in the JDK). */
    public int uid() {
        return (int) UID.get(segment, 0L);
    }

    /** {@code __u32 stx_gid}: the owner's group id (the bits, as {@link #uid()}). */
    public int gid() {
        return (int) GID.get(segment, 0L);
    }

    /** {@code __u64 stx_ino}: the inode number (the bits). */
    public long ino() {
        return (long) INO.get(segment, 0L);
    }

    /** {@code __u64 stx_size}: the size in bytes. */
    public long size() {
        return (long) FILE_SIZE.get(segment, 0L);
    }

    /** {@code struct statx_timestamp stx_atime}: last access. */
    public Instant atime() {
        return ATIME.read(segment);
    }

    /** {@code struct statx_timestamp stx_btime}: creation, valid only if {@link #mask()} has STATX_BTIME. */
    public Instant btime() {
        return BTIME.read(segment);
    }

    /** {@code struct statx_timestamp stx_ctime}: last status change. */
    public Instant ctime() {
        return CTIME.read(segment);
    }

    /** {@code struct statx_timestamp stx_mtime}: last modification. */
    public Instant mtime() {
        return MTIME.read(segment);
    }

    /** One {@code struct statx_timestamp} member: {@code __s64 tv_sec}, {@code __u32 tv_nsec}. */
    private record Timestamp(VarHandle seconds, VarHandle nanos) {
        Timestamp(String member) {
            this(handle(STATX, member, "tv_sec"), handle(STATX, member, "tv_nsec"));
        }

        Instant read(MemorySegment statx) {
            long s = (long) seconds.get(statx, 0L);
            long ns = Integer.toUnsignedLong((int) nanos.get(statx, 0L));
            return Instant.ofEpochSecond(s, ns);
        }
    }
}
