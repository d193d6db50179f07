package io.veloq.io.uring;

import io.veloq.io.file.FileMetadata;
import io.veloq.uring.ffi.PosixConstants;
import io.veloq.uring.ffi.Statx;
import java.nio.file.attribute.FileTime;

/**
 * {@link FileMetadata} from the {@code struct statx} IORING_OP_STATX filled in, read through the
 * binding layer's typed {@link Statx} accessors. Stateless.
 */
final class StatxMetadata {

    private StatxMetadata() {}

    /** Everything {@link FileMetadata} needs, btime included where the file system has it. */
    static final int MASK = PosixConstants.STATX_BASIC_STATS | PosixConstants.STATX_BTIME;

    static FileMetadata read(Statx statx) {
        int mode = statx.mode();
        FileTime modified = FileTime.from(statx.mtime());
        FileTime created = (statx.mask() & PosixConstants.STATX_BTIME) != 0 ? FileTime.from(statx.btime()) : modified;
        return new FileMetadata(FileMetadata.kindOfMode(mode), statx.size(), mode & 07777, statx.ino(), statx.nlink(),
                statx.uid(), statx.gid(), modified, FileTime.from(statx.atime()), FileTime.from(statx.ctime()), created);
    }
}
