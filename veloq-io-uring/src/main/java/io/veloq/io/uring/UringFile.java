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
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A file of the io_uring backend: READ / WRITE (READ_FIXED / WRITE_FIXED on registered buffers),
 * FSYNC, FALLOCATE and STATX on the descriptor, each one ring operation of the caller's worker;
 * a read tries the page cache first ({@link #READ_NOWAIT}). Threading and close: see
 * {@link UringResource}; {@link #nowaitRefused} is the only mutable field.
 */
final class UringFile extends UringResource implements FileIo {

    /**
     * Reads try the page cache first: {@code preadv2(RWF_NOWAIT)} from the task, synchronously on
     * its worker's OS thread ({@link IoUringDriver#readNowait}). Cached data is copied at once,
     * without the park, the resume and io_uring's per-operation work of a READ on the ring; data
     * that is not cached (EAGAIN) is read by the READ as before, so a miss costs one more short
     * system call. Never for O_DIRECT files (a direct read that needs the disk always answers
     * EAGAIN), nor, once refused, for a file whose file system cannot read without blocking.
     * {@code -Dveloq.io.readNowait=false} turns it off (for comparison).
     */
    static final boolean READ_NOWAIT = !"false".equals(System.getProperty("veloq.io.readNowait"));

    /** What {@link #readCached} answers when the read must go through the ring. */
    private static final int USE_RING = Integer.MIN_VALUE;

    private final Path path;
    /** Opened with O_DIRECT: an EINVAL from a transfer is almost always a misalignment, said so. */
    private final boolean direct;
    /**
     * The file system refused RWF_NOWAIT for this file: its reads go straight to the ring. Written
     * and read by tasks of every worker; volatile, and only ever set (a task that has not seen the
     * write yet makes one more refused try, which is harmless).
     */
    private volatile boolean nowaitRefused;

    UringFile(Path path, int fd, boolean direct) {
        super(fd, false);
        this.path = path;
        this.direct = direct;
    }

    @Override
    String describe() {
        return path.toString();
    }

    /** Whether reads of this file still try the page cache first (diagnostics and tests). */
    boolean readsTryPageCache() {
        return READ_NOWAIT && !direct && !nowaitRefused;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        int length = dst.remaining();
        int res;
        if (dst.isDirect()) {
            long address = NativeBuffers.address(dst);
            res = readCached(driver, address, length, position);
            if (res == USE_RING) {
                res = op(driver, sqe -> sqe.prepRead(fd, address, length, position), true);
            }
            Reference.reachabilityFence(dst); // the kernel wrote into its memory until the call or the completion
            if (res > 0) {
                dst.position(dst.position() + res);
            }
        } else {
            try (Staging staging = Staging.lease(driver, length)) {
                int n = Math.min(length, staging.capacity());
                res = readCached(driver, staging.address(), n, position);
                if (res == USE_RING) {
                    res = op(driver, sqe -> staging.prepareRead(sqe, fd, position, n), true);
                }
                if (res > 0) {
                    staging.copyTo(dst, res);
                }
            }
        }
        return res == 0 ? -1 : res;
    }

    @Override
    public int read(RegisteredBuffer buffer, int offset, int length, long position) throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        int res = USE_RING;
        // A range outside the buffer is left to the ring path, which refuses it with its own exception.
        if (offset >= 0 && length > 0 && (long) offset + length <= buffer.capacity()) {
            res = readCached(driver, buffer.address() + offset, length, position);
        }
        if (res == USE_RING) {
            res = op(driver, sqe -> buffer.prepareRead(sqe, fd, position, offset, length), true);
        }
        return res == 0 ? -1 : res;
    }

    /**
     * The page-cache try ({@link #READ_NOWAIT}) of a read into the native memory at {@code address}:
     * the count read (0 at end of file), or {@link #USE_RING} when the ring must serve the read —
     * the data is not cached (EAGAIN), a signal interrupted the call (EINTR), the try is off, or the
     * file (EOPNOTSUPP, EINVAL, ESPIPE: remembered here) or the worker (ENOSYS: remembered by the
     * driver) cannot do it. Inside the gate, with the ring path's exceptions: a closed file throws
     * {@code ClosedChannelException}; an interrupted task closes the file and gets
     * {@link ClosedByInterruptException}; another error is mapped as {@link #op} maps it.
     */
    private int readCached(IoUringDriver driver, long address, int length, long position) throws IOException {
        if (!READ_NOWAIT || direct || nowaitRefused) {
            return USE_RING;
        }
        int res;
        boolean closedMeanwhile;
        enterGate(); // as withFd: the descriptor stays open for the call, without boxing the count
        try {
            res = driver.readNowait(fd, address, length, position);
            closedMeanwhile = isClosedNow();
        } catch (InterruptedIOException interrupted) {
            exitGate();
            throw closeOnInterrupt(interrupted);
        } catch (Throwable t) {
            exitGate();
            throw t;
        }
        exitGate();
        if (res >= 0) {
            return res;
        }
        switch (-res) {
            case Errno.EAGAIN, Errno.EINTR, Errno.ENOSYS -> {
                return USE_RING;
            }
            case Errno.EOPNOTSUPP, Errno.EINVAL, Errno.ESPIPE -> {
                nowaitRefused = true; // volatile: the other workers' tasks stop trying too
                return USE_RING;
            }
            default -> {
                if (closedMeanwhile) {
                    throw new AsynchronousCloseException();
                }
                throw Errno.exception(-res, path.toString());
            }
        }
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
