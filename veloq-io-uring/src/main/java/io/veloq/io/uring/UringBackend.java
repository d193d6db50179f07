package io.veloq.io.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_MKDIRAT;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_RENAMEAT;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_UNLINKAT;
import static io.veloq.uring.ffi.PosixConstants.AT_FDCWD;
import static io.veloq.uring.ffi.PosixConstants.AT_REMOVEDIR;
import static io.veloq.uring.ffi.PosixConstants.AT_SYMLINK_NOFOLLOW;
import static io.veloq.uring.ffi.PosixConstants.SOCK_DGRAM;
import static io.veloq.uring.ffi.PosixConstants.SOCK_STREAM;
import static io.veloq.uring.ffi.PosixConstants.SOL_SOCKET;
import static io.veloq.uring.ffi.PosixConstants.SO_REUSEADDR;
import static io.veloq.uring.ffi.PosixConstants.SO_REUSEPORT;

import io.veloq.core.driver.Driver;
import io.veloq.io.FileIo;
import io.veloq.io.IoBackend;
import io.veloq.io.TcpListenerIo;
import io.veloq.io.TcpStreamIo;
import io.veloq.io.UdpIo;
import io.veloq.io.file.FileMetadata;
import io.veloq.io.file.FileOption;
import io.veloq.io.net.ListenOptions;
import io.veloq.io.portable.PortableBackend;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ResultKind;
import io.veloq.uring.SqeWriter;
import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.SockAddrs;
import io.veloq.uring.ffi.Statx;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The io_uring backend: every blocking operation is one SQE on the ring of the calling task's
 * worker, submitted through the ring helper's {@link IoUringDriver#submitAndAwaitRaw} primitive,
 * which parks the task until the CQE. Path operations are OPENAT, STATX, MKDIRAT, UNLINKAT and
 * RENAMEAT (falling back to the JDK where the kernel's opcode probe lacks one); sockets are
 * created with socket(2) and connected with CONNECT (with a LINK_TIMEOUT for connect timeouts).
 *
 * <p>Threading: a stateless singleton; its methods run on tasks of io_uring workers ({@link
 * io.veloq.io.IoBackends} only hands it to those).
 */
public final class UringBackend implements IoBackend {

    private static final UringBackend INSTANCE = new UringBackend();
    private static final int FILE_MODE = 0666;
    private static final int DIRECTORY_MODE = 0777;

    private UringBackend() {}

    public static IoBackend instance() {
        return INSTANCE;
    }

    /** Whether this backend can serve tasks of a worker with {@code driver}. */
    public static boolean serves(Driver driver) {
        return driver instanceof IoUringDriver;
    }

    @Override
    public String name() {
        return "io_uring";
    }

    // ---------------------------------------------------------------- files

    @Override
    public FileIo openFile(Path path, Set<FileOption> options) throws IOException {
        int flags = OpenFlags.of(options);
        int fd = pathOp(path, ResultKind.FD, p -> sqe -> sqe.prepOpenat(AT_FDCWD, p, flags, FILE_MODE));
        try {
            return new UringFile(path, fd, options.contains(FileOption.DIRECT));
        } catch (RuntimeException | Error e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public FileMetadata metadata(Path path, boolean followLinks) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Statx out = Statx.allocate(arena);
            int flags = followLinks ? 0 : AT_SYMLINK_NOFOLLOW;
            pathOp(path, ResultKind.PLAIN,
                    p -> sqe -> sqe.prepStatx(AT_FDCWD, p, flags, StatxMetadata.MASK, out.address()));
            return StatxMetadata.read(out);
        }
    }

    @Override
    public void createDirectory(Path directory) throws IOException {
        if (!IoUringDriver.current().supports(IORING_OP_MKDIRAT)) {
            PortableBackend.instance().createDirectory(directory);
            return;
        }
        pathOp(directory, ResultKind.PLAIN, p -> sqe -> sqe.prepMkdirat(AT_FDCWD, p, DIRECTORY_MODE));
    }

    @Override
    public void delete(Path path) throws IOException {
        if (!IoUringDriver.current().supports(IORING_OP_UNLINKAT)) {
            PortableBackend.instance().delete(path);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            long p = arena.allocateFrom(path.toString()).address();
            int res = raw(sqe -> sqe.prepUnlinkat(AT_FDCWD, p, 0), ResultKind.PLAIN);
            if (res == -Errno.EISDIR) {
                res = raw(sqe -> sqe.prepUnlinkat(AT_FDCWD, p, AT_REMOVEDIR), ResultKind.PLAIN);
            }
            if (res < 0) {
                throw Errno.exception(-res, path.toString());
            }
        }
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        if (!IoUringDriver.current().supports(IORING_OP_RENAMEAT)) {
            PortableBackend.instance().rename(source, target);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            long from = arena.allocateFrom(source.toString()).address();
            long to = arena.allocateFrom(target.toString()).address();
            int res = raw(sqe -> sqe.prepRenameat(AT_FDCWD, from, AT_FDCWD, to, 0), ResultKind.PLAIN);
            if (res == -Errno.ENOTEMPTY || res == -Errno.EEXIST) {
                throw new DirectoryNotEmptyException(target.toString());
            }
            if (res < 0) {
                throw Errno.exception(-res, source + " -> " + target);
            }
        }
    }

    /** One operation on a NUL-terminated copy of {@code path}; a failure names the path. */
    private static int pathOp(Path path, ResultKind kind, PathWriter writer) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            long p = arena.allocateFrom(path.toString()).address();
            int res = raw(writer.with(p), kind);
            if (res < 0) {
                throw Errno.exception(-res, path.toString());
            }
            return res;
        }
    }

    @FunctionalInterface
    private interface PathWriter {
        SqeWriter with(long pathAddress);
    }

    private static int raw(SqeWriter writer, ResultKind kind) throws IOException {
        return IoUringDriver.current().submitAndAwaitRaw(writer, Long.MAX_VALUE, kind);
    }

    // ---------------------------------------------------------------- sockets

    @Override
    public TcpListenerIo bindTcp(InetSocketAddress local, ListenOptions options) throws IOException {
        int fd = Sockets.open(Sockets.family(local), SOCK_STREAM);
        try {
            Sockets.setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
            if (options.reusePort()) {
                Sockets.setInt(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            Sockets.bind(fd, local);
            Sockets.listen(fd, options.backlog(), local);
            return new UringTcpListener(fd, Sockets.localAddress(fd), IoUringDriver.current());
        } catch (IOException | RuntimeException | Error e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public TcpStreamIo connectTcp(InetSocketAddress remote, long timeoutNanos) throws IOException {
        IoUringDriver driver = IoUringDriver.current();
        long now = System.nanoTime();
        // Saturated: a timeout past what the nanoTime clock can reach (TcpStream passes up to
        // Long.MAX_VALUE - 1) is no deadline, not one that wrapped into the past.
        long deadline = timeoutNanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeoutNanos;
        int fd = Sockets.open(Sockets.family(remote), SOCK_STREAM);
        UringTcpStream stream;
        try {
            stream = new UringTcpStream(fd, remote);
        } catch (RuntimeException | Error e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SockAddrs.allocate(arena);
            int length = SockAddrs.write(address, remote);
            int res = stream.run(driver, sqe -> sqe.prepConnect(fd, address.address(), length), ResultKind.PLAIN,
                    deadline);
            if (res < 0) {
                throw Sockets.error(res, remote.toString());
            }
            return stream;
        } catch (InterruptedByTimeoutException timedOut) {
            stream.close();
            SocketTimeoutException e = new SocketTimeoutException("connect to " + remote + " timed out after "
                    + (timeoutNanos / 1_000_000) + " ms");
            e.initCause(timedOut);
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            stream.close();
            throw e;
        }
    }

    @Override
    public UdpIo bindUdp(InetSocketAddress local) throws IOException {
        int fd = Sockets.open(Sockets.family(local), SOCK_DGRAM);
        try {
            Sockets.bind(fd, local);
            return new UringUdp(fd, Sockets.localAddress(fd));
        } catch (IOException | RuntimeException | Error e) {
            Sockets.closeQuietly(fd);
            throw e;
        }
    }
}
