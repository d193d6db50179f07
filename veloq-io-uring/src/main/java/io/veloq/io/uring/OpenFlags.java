package io.veloq.io.uring;

import static io.veloq.uring.ffi.PosixConstants.O_APPEND;
import static io.veloq.uring.ffi.PosixConstants.O_CLOEXEC;
import static io.veloq.uring.ffi.PosixConstants.O_CREAT;
import static io.veloq.uring.ffi.PosixConstants.O_DIRECT;
import static io.veloq.uring.ffi.PosixConstants.O_DSYNC;
import static io.veloq.uring.ffi.PosixConstants.O_EXCL;
import static io.veloq.uring.ffi.PosixConstants.O_RDONLY;
import static io.veloq.uring.ffi.PosixConstants.O_RDWR;
import static io.veloq.uring.ffi.PosixConstants.O_TRUNC;
import static io.veloq.uring.ffi.PosixConstants.O_WRONLY;

import io.veloq.io.file.FileOption;
import java.util.Set;

/** {@link FileOption}s (already normalised by the API) as open(2) flags. Stateless. */
final class OpenFlags {

    private OpenFlags() {}

    static int of(Set<FileOption> options) {
        boolean read = options.contains(FileOption.READ);
        boolean write = options.contains(FileOption.WRITE) || options.contains(FileOption.APPEND);
        int flags = O_CLOEXEC | (read && write ? O_RDWR : write ? O_WRONLY : O_RDONLY);
        if (options.contains(FileOption.CREATE_NEW)) {
            flags |= O_CREAT | O_EXCL; // CREATE is ignored when CREATE_NEW is present, as in the JDK
        } else if (options.contains(FileOption.CREATE)) {
            flags |= O_CREAT;
        }
        if (options.contains(FileOption.TRUNCATE)) {
            flags |= O_TRUNC;
        }
        if (options.contains(FileOption.APPEND)) {
            flags |= O_APPEND;
        }
        if (options.contains(FileOption.DIRECT)) {
            flags |= O_DIRECT;
        }
        if (options.contains(FileOption.DSYNC)) {
            flags |= O_DSYNC;
        }
        return flags;
    }
}
