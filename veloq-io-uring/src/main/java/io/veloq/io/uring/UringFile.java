package io.veloq.io.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_FSYNC_DATASYNC;
import static io.veloq.uring.ffi.PosixConstants.AT_EMPTY_PATH;
import static io.veloq.uring.ffi.PosixConstants.STATX_SIZE;

import io.veloq.io.FileIo;
import io.veloq.io.file.FileMetadata;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ResultKind;
import io.veloq.uring.SqeWriter;
import io.veloq.uring.buffer.RegisteredBuffer;
import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.Statx;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A file of the io_uring backend: READ / WRITE (READ_FIXED / WRITE_FIXED on registered buffers),
 * FSYNC, FALLOCATE and STATX on the descriptor, each one ring operation of the caller's worker.
 * Threading and close: see {@link UringResource}.
 */
final class UringFile extends UringResource implements FileIo {

    private final Path path;
    /** Opened with O_DIRECT: an EINVAL from a transfer is almost always a misalignment, said so. */
    private final boolean direct;

    UringFile(Path path, int fd, boolean direct) {
        super(fd, false);
        this.path = path;
        this.direct = direct;
    }

    @Override
    String describe() {
        return path.toString();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        int length = dst.remaining();
        int res;
        if (dst.isDirect()) {
            long address = NativeBuffers.address(dst);
            res = op(driver, sqe -> sqe.prepRead(fd, address, length, position), true);
            Reference.reachabilityFence(dst); // the kernel wrote into its memory until the completion
            if (res > 0) {
                dst.position(dst.position() + res);
            }
        } else {
            try (Staging staging = Staging.lease(driver, length)) {
                int n = Math.min(length, staging.capacity());
                res = op(driver, sqe -> staging.prepareRead(sqe, fd, position, n), true);
                if (res > 0) {
                    staging.copyTo(dst, res);
                }
            }
        }
        return res == 0 ? -1 : res;
    }

    @Override
    public int read(RegisteredBuffer buffer, int offset, int length, long position) throws IOException {
        int res = op(IoUringDriver.current(), sqe -> buffer.prepareRead(sqe, fd, position, offset, length), true);
        return res == 0 ? -1 : res;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        long offset = position < 0 ? -1 : position; // -1: the file position, i.e. the end under O_APPEND
        int res;
        if (src.isDirect()) {
            long address = NativeBuffers.address(src);
            int length = src.remaining();
            res = op(driver, sqe -> sqe.prepWrite(fd, address, length, offset), true);
            Reference.reachabilityFence(src);
        } else {
            try (Staging staging = Staging.lease(driver, src.remaining())) {
                int n = staging.copyFrom(src);
                res = op(driver, sqe -> staging.prepareWrite(sqe, fd, offset, n), true);
            }
        }
        src.position(src.position() + res);
        return res;
    }

    @Override
    public int write(RegisteredBuffer buffer, int offset, int length, long position) throws IOException {
        long fileOffset = position < 0 ? -1 : position;
        return op(IoUringDriver.current(), sqe -> buffer.prepareWrite(sqe, fd, fileOffset, offset, length), true);
    }

    @Override
    public void sync(boolean dataOnly) throws IOException {
        op(IoUringDriver.current(), sqe -> sqe.prepFsync(fd, dataOnly ? IORING_FSYNC_DATASYNC : 0));
    }

    @Override
    public void allocate(long position, long length) throws IOException {
        op(IoUringDriver.current(), sqe -> sqe.prepFallocate(fd, 0, position, length));
    }

    @Override
    public long size() throws IOException {
        return statx(STATX_SIZE, Statx::size);
    }

    @Override
    public FileMetadata metadata() throws IOException {
        return statx(StatxMetadata.MASK, StatxMetadata::read);
    }

    /** STATX of the descriptor itself (empty path, AT_EMPTY_PATH): right even after a rename. */
    private <T> T statx(int mask, Function<Statx, T> reader) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Statx out = Statx.allocate(arena);
            MemorySegment empty = arena.allocateFrom("");
            op(IoUringDriver.current(), sqe -> sqe.prepStatx(fd, empty.address(), AT_EMPTY_PATH, mask, out.address()));
            return reader.apply(out);
        }
    }

    /** One operation; a negative result becomes the JDK's exception naming the path. */
    private int op(IoUringDriver driver, SqeWriter writer) throws IOException {
        return op(driver, writer, false);
    }

    /** As {@link #op(IoUringDriver, SqeWriter)}; {@code transfer}: a read or write, subject to O_DIRECT's alignment. */
    private int op(IoUringDriver driver, SqeWriter writer, boolean transfer) throws IOException {
        int res = run(driver, writer, ResultKind.PLAIN, NO_DEADLINE);
        if (res == -Errno.EINVAL && direct && transfer) {
            throw new IOException(Errno.describe(Errno.EINVAL) + ": " + path + " is open with O_DIRECT (FileOption.DIRECT): "
                    + "the buffer's address, the file position and the length must be multiples of the file "
                    + "system's block size (registered buffers are page-aligned)");
        }
        if (res < 0) {
            throw Errno.exception(-res, path.toString());
        }
        return res;
    }
}
