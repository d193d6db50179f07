package io.veloq.io.uring;

import static io.veloq.uring.ffi.PosixConstants.AF_INET;
import static io.veloq.uring.ffi.PosixConstants.AF_INET6;
import static io.veloq.uring.ffi.PosixConstants.SHUT_RDWR;
import static io.veloq.uring.ffi.PosixConstants.SOCK_CLOEXEC;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.IntCell;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Native;
import io.veloq.uring.ffi.SockAddrs;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;

/**
 * The synchronous socket calls of the io_uring backend (socket, bind, listen, options, names,
 * shutdown): none of them waits for the network, so they run directly on the calling thread
 * through the ring helper's {@link LibC} bindings. Sockets are created blocking: io_uring never
 * blocks on them (it polls internally), and a blocking socket keeps its semantics simple.
 *
 * <p>Also the one place where socket errnos become exceptions ({@link #error}), on top of
 * {@link Errno#exception}. Threading: stateless; each call allocates its own call-state segment.
 */
final class Sockets {

    private Sockets() {}

    static int family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? AF_INET6 : AF_INET;
    }

    /** socket(2), close-on-exec, blocking. */
    static int open(int family, int type) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibC.socket(Native.allocateCallState(arena), family, type | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Errno.exception(-fd, "socket(" + (family == AF_INET6 ? "AF_INET6" : "AF_INET") + ")");
            }
            return fd;
        }
    }

    static void setInt(int fd, int level, int name, int value, String context) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            IntCell v = IntCell.ofInt(arena, value);
            int r = LibC.setsockopt(Native.allocateCallState(arena), fd, level, name, v.segment(), v.byteSize());
            if (r < 0) {
                throw error(r, context);
            }
        }
    }

    static int getInt(int fd, int level, int name, String context) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            IntCell v = IntCell.ofInt(arena, 0);
            IntCell length = IntCell.ofSocklen(arena, v.byteSize());
            int r = LibC.getsockopt(Native.allocateCallState(arena), fd, level, name, v.segment(), length.segment());
            if (r < 0) {
                throw error(r, context);
            }
            return v.get();
        }
    }

    static void bind(int fd, InetSocketAddress local) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SockAddrs.allocate(arena);
            int length = SockAddrs.write(address, local);
            int r = LibC.bind(Native.allocateCallState(arena), fd, address, length);
            if (r < 0) {
                IOException e = Errno.exception(-r, local.toString());
                throw e instanceof BindException ? e : new BindException(Errno.describe(-r) + ": " + local);
            }
        }
    }

    static void listen(int fd, int backlog, InetSocketAddress local) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int r = LibC.listen(Native.allocateCallState(arena), fd, backlog);
            if (r < 0) {
                throw error(r, "listen on " + local);
            }
        }
    }

    /** connect(2) for UDP, which does not wait; {@code remote} null dissolves the association (AF_UNSPEC). */
    static void connectDatagram(int fd, InetSocketAddress remote) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SockAddrs.allocate(arena); // zeroed: family AF_UNSPEC
            int length = remote == null ? 16 : SockAddrs.write(address, remote);
            int r = LibC.connect(Native.allocateCallState(arena), fd, address, length);
            if (r < 0 && !(remote == null && r == -Errno.EAFNOSUPPORT)) {
                throw error(r, remote == null ? "disconnect" : remote.toString());
            }
        }
    }

    /** getsockname(2). */
    static InetSocketAddress localAddress(int fd) throws IOException {
        return name(fd, true);
    }

    /** getpeername(2), or null when not connected. */
    static InetSocketAddress remoteAddress(int fd) throws IOException {
        return name(fd, false);
    }

    private static InetSocketAddress name(int fd, boolean local) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = SockAddrs.allocate(arena);
            IntCell length = IntCell.ofSocklen(arena, (int) SockAddrs.STORAGE_SIZE);
            MemorySegment callState = Native.allocateCallState(arena);
            int r = local ? LibC.getsockname(callState, fd, address, length.segment())
                    : LibC.getpeername(callState, fd, address, length.segment());
            if (r == -Errno.ENOTCONN && !local) {
                return null;
            }
            if (r < 0) {
                throw error(r, local ? "getsockname" : "getpeername");
            }
            return SockAddrs.read(address);
        }
    }

    static void shutdown(int fd, int how, String context) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            int r = LibC.shutdown(Native.allocateCallState(arena), fd, how);
            if (r < 0 && r != -Errno.ENOTCONN) {
                throw error(r, context);
            }
        }
    }

    /** shutdown(SHUT_RDWR), ignoring errors: wakes the descriptor's waiters before a close. */
    static void shutdownQuietly(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            LibC.shutdown(Native.allocateCallState(arena), fd, SHUT_RDWR);
        }
    }

    static void closeQuietly(int fd) {
        LibC.close(fd);
    }

    /**
     * A socket errno as the JDK reports it: reset is {@code SocketException("Connection reset")},
     * a refused datagram is {@link PortUnreachableException}, the rest via {@link Errno#exception}.
     */
    static IOException error(int negativeResult, String context) {
        int errno = -negativeResult;
        return switch (errno) {
            case Errno.ECONNRESET -> new SocketException("Connection reset");
            case Errno.EPIPE -> new SocketException("Broken pipe: " + context);
            default -> Errno.exception(errno, context);
        };
    }

    static IOException datagramError(int negativeResult, String context) {
        if (-negativeResult == Errno.ECONNREFUSED) {
            return new PortUnreachableException("ICMP port unreachable: " + context);
        }
        return error(negativeResult, context);
    }
}
