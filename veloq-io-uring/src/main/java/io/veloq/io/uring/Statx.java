package io.veloq.io.uring;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import io.veloq.io.file.FileMetadata;
import io.veloq.uring.ffi.PosixConstants;
import io.veloq.uring.ffi.PosixLayouts;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code struct statx} (IORING_OP_STATX's output) into {@link FileMetadata}. The var
 * handles come from the ring helper's {@link PosixLayouts#STATX}, whose offsets the layout probe
 * checks; no offset is written here. Stateless.
 */
final class Statx {

    private Statx() {}

    static final long SIZE = PosixLayouts.STATX.byteSize();
    /** Everything {@link FileMetadata} needs, btime included where the file system has it. */
    static final int MASK = PosixConstants.STATX_BASIC_STATS | PosixConstants.STATX_BTIME;

    private static final VarHandle MASK_FIELD = field("stx_mask");
    private static final VarHandle MODE = field("stx_mode");
    private static final VarHandle NLINK = field("stx_nlink");
    private static final VarHandle UID = field("stx_uid");
    private static final VarHandle GID = field("stx_gid");
    private static final VarHandle INO = field("stx_ino");
    private static final VarHandle FILE_SIZE = field("stx_size");
    private static final Timestamp ATIME = new Timestamp("stx_atime");
    private static final Timestamp BTIME = new Timestamp("stx_btime");
    private static final Timestamp CTIME = new Timestamp("stx_ctime");
    private static final Timestamp MTIME = new Timestamp("stx_mtime");

    private static VarHandle field(String name) {
        return PosixLayouts.STATX.varHandle(groupElement(name));
    }

    static long size(MemorySegment statx) {
        return (long) FILE_SIZE.get(statx, 0L);
    }

    static FileMetadata read(MemorySegment statx) {
        int mask = (int) MASK_FIELD.get(statx, 0L);
        int mode = Short.toUnsignedInt((short) MODE.get(statx, 0L));
        FileTime modified = MTIME.read(statx);
        FileTime created = (mask & PosixConstants.STATX_BTIME) != 0 ? BTIME.read(statx) : modified;
        return new FileMetadata(FileMetadata.kindOfMode(mode), size(statx), mode & 07777, (long) INO.get(statx, 0L),
                Integer.toUnsignedLong((int) NLINK.get(statx, 0L)), (int) UID.get(statx, 0L), (int) GID.get(statx, 0L),
                modified, ATIME.read(statx), CTIME.read(statx), created);
    }

    /** One {@code struct statx_timestamp} member. */
    private record Timestamp(VarHandle seconds, VarHandle nanos) {
        Timestamp(String member) {
            this(PosixLayouts.STATX.varHandle(groupElement(member), groupElement("tv_sec")),
                    PosixLayouts.STATX.varHandle(groupElement(member), groupElement("tv_nsec")));
        }

        FileTime read(MemorySegment statx) {
            long s = (long) seconds.get(statx, 0L);
            long ns = Integer.toUnsignedLong((int) nanos.get(statx, 0L));
            return FileTime.from(TimeUnit.SECONDS.toNanos(s) + ns, TimeUnit.NANOSECONDS);
        }
    }
}
