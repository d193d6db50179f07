package io.veloq.uring.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The C library calls the project makes outside the ring: memory mapping, descriptors, eventfd,
 * rlimits, the synchronous socket set-up calls (socket, bind, listen, options, names) that
 * io_uring does not offer on every kernel, and the page-cache read tried before a file READ
 * ({@link #preadv2} with {@code RWF_NOWAIT}).
 *
 * <p>Each wrapper returns the function's result, or {@code -errno} when it failed (for
 * {@link #mmap} a negative value is {@code -errno}, anything else is the mapping's address).
 * {@code callState} comes from {@link Native#allocateCallState} and must be owned by the calling
 * thread for the duration of the call.
 */
public final class LibC {

    private LibC() {}

    private static final MethodHandle CLOSE =
            Native.downcallCapturingErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MMAP = Native.downcallCapturingErrno("mmap",
            FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = Native.downcallCapturingErrno("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle EVENTFD = Native.downcallCapturingErrno("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = Native.downcallCapturingErrno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE = Native.downcallCapturingErrno("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE_PLAIN =
            Native.downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PREADV2 = Native.downcallCapturingErrno("preadv2",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PIPE2 = Native.downcallCapturingErrno("pipe2",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle OPEN = Native.variadicDowncallCapturingErrno("open",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle GETRLIMIT = Native.downcallCapturingErrno("getrlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle SYSCONF =
            Native.downcall("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle SOCKET = Native.downcallCapturingErrno("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Native.downcallCapturingErrno("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle LISTEN = Native.downcallCapturingErrno("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = Native.downcallCapturingErrno("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN = Native.downcallCapturingErrno("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Native.downcallCapturingErrno("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = Native.downcallCapturingErrno("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle GETSOCKNAME = Native.downcallCapturingErrno("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle GETPEERNAME = Native.downcallCapturingErrno("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));

    private static int result(int r, MemorySegment callState) {
        return r < 0 ? -Native.errno(callState) : r;
    }

    private static long result(long r, MemorySegment callState) {
        return r < 0 ? -Native.errno(callState) : r;
    }

    /** {@code close(2)}. */
    public static int close(MemorySegment callState, int fd) {
        try {
            return result((int) CLOSE.invokeExact(callState, fd), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code close(2)} for callers without a call-state segment of their own (cold paths). */
    public static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            return close(Native.allocateCallState(arena), fd);
        }
    }

    /** {@code mmap(2)}: the mapping's address, or -errno. */
    public static long mmap(MemorySegment callState, long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment r = (MemorySegment) MMAP.invokeExact(callState, 0L, length, prot, flags, fd, offset);
            return r.address() == -1L ? -Native.errno(callState) : r.address();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code munmap(2)}. */
    public static int munmap(MemorySegment callState, long address, long length) {
        try {
            return result((int) MUNMAP.invokeExact(callState, address, length), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code eventfd(2)}. */
    public static int eventfd(MemorySegment callState, int initialValue, int flags) {
        try {
            return result((int) EVENTFD.invokeExact(callState, initialValue, flags), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code read(2)} into {@code buffer}. */
    public static long read(MemorySegment callState, int fd, MemorySegment buffer, long count) {
        try {
            return result((long) READ.invokeExact(callState, fd, buffer.address(), count), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code write(2)} from {@code buffer}. */
    public static long write(MemorySegment callState, int fd, MemorySegment buffer, long count) {
        try {
            return result((long) WRITE.invokeExact(callState, fd, buffer.address(), count), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code write(2)} without errno capture, for callers on any thread that only need to know
     * whether it worked (the wake-up eventfd): the count written, or -1.
     */
    public static long write(int fd, MemorySegment buffer, long count) {
        try {
            return (long) WRITE_PLAIN.invokeExact(fd, buffer.address(), count);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code preadv2(2)} (glibc 2.26+): reads at {@code offset} into the {@code iovcnt} entries of
     * the {@code struct iovec} array {@code iov}, with {@code RWF_*} {@code flags}; the count read
     * (0 at end of file), or -errno.
     */
    public static long preadv2(MemorySegment callState, int fd, MemorySegment iov, int iovcnt, long offset,
                               int flags) {
        try {
            return result((long) PREADV2.invokeExact(callState, fd, iov.address(), iovcnt, offset, flags), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code pipe2(2)}: {@code fds} receives {@code int[2]}. */
    public static int pipe2(MemorySegment callState, MemorySegment fds, int flags) {
        try {
            return result((int) PIPE2.invokeExact(callState, fds.address(), flags), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code open(2)}; {@code path} is a NUL-terminated string. */
    public static int open(MemorySegment callState, MemorySegment path, int flags, int mode) {
        try {
            return result((int) OPEN.invokeExact(callState, path.address(), flags, mode), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code getrlimit(2)}: {@code rlimit} receives a {@link PosixLayouts#RLIMIT}. */
    public static int getrlimit(MemorySegment callState, int resource, MemorySegment rlimit) {
        try {
            return result((int) GETRLIMIT.invokeExact(callState, resource, rlimit.address()), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code sysconf(3)}. */
    public static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(name);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code socket(2)}. */
    public static int socket(MemorySegment callState, int domain, int type, int protocol) {
        try {
            return result((int) SOCKET.invokeExact(callState, domain, type, protocol), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code bind(2)}. */
    public static int bind(MemorySegment callState, int fd, MemorySegment address, int addressLength) {
        try {
            return result((int) BIND.invokeExact(callState, fd, address.address(), addressLength), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code listen(2)}. */
    public static int listen(MemorySegment callState, int fd, int backlog) {
        try {
            return result((int) LISTEN.invokeExact(callState, fd, backlog), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code connect(2)} (blocking unless the socket is non-blocking). */
    public static int connect(MemorySegment callState, int fd, MemorySegment address, int addressLength) {
        try {
            return result((int) CONNECT.invokeExact(callState, fd, address.address(), addressLength), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code shutdown(2)}. */
    public static int shutdown(MemorySegment callState, int fd, int how) {
        try {
            return result((int) SHUTDOWN.invokeExact(callState, fd, how), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code setsockopt(2)}. */
    public static int setsockopt(MemorySegment callState, int fd, int level, int name, MemorySegment value,
                                 int valueLength) {
        try {
            return result((int) SETSOCKOPT.invokeExact(callState, fd, level, name, value.address(), valueLength),
                    callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code getsockopt(2)}; {@code valueLength} is an in/out {@code socklen_t}. */
    public static int getsockopt(MemorySegment callState, int fd, int level, int name, MemorySegment value,
                                 MemorySegment valueLength) {
        try {
            return result((int) GETSOCKOPT.invokeExact(callState, fd, level, name, value.address(),
                    valueLength.address()), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code getsockname(2)}; {@code addressLength} is an in/out {@code socklen_t}. */
    public static int getsockname(MemorySegment callState, int fd, MemorySegment address,
                                  MemorySegment addressLength) {
        try {
            return result((int) GETSOCKNAME.invokeExact(callState, fd, address.address(),
                    addressLength.address()), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** {@code getpeername(2)}; {@code addressLength} is an in/out {@code socklen_t}. */
    public static int getpeername(MemorySegment callState, int fd, MemorySegment address,
                                  MemorySegment addressLength) {
        try {
            return result((int) GETPEERNAME.invokeExact(callState, fd, address.address(),
                    addressLength.address()), callState);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
