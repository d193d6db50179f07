package io.veloq.uring.ffi;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The three io_uring system calls, made through glibc's variadic {@code syscall(2)} since glibc
 * has no wrappers for them. Every argument is passed as a full 64-bit {@code long} (the kernel
 * truncates each to its declared type), and every wrapper returns the call's result, or
 * {@code -errno} when it failed.
 *
 * <p>Threading: stateless; {@code callState} (from {@link Native#allocateCallState}) must be owned
 * by the calling thread for the duration of the call.
 */
public final class IoUringSyscalls {

    private IoUringSyscalls() {}

    // long syscall(long number, ...): 2, 4 and 6 variadic arguments.
    private static final MethodHandle SYSCALL_2 = Native.variadicDowncallCapturingErrno(
            "syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final MethodHandle SYSCALL_4 = Native.variadicDowncallCapturingErrno(
            "syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            1);
    private static final MethodHandle SYSCALL_6 = Native.variadicDowncallCapturingErrno(
            "syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG, JAVA_LONG),
            1);

    /** {@code int io_uring_setup(u32 entries, struct io_uring_params *p)}: the ring fd or -errno. */
    public static int setup(MemorySegment callState, int entries, MemorySegment params) {
        try {
            long r = (long) SYSCALL_2.invokeExact(callState, (long) IoUringConstants.NR_IO_URING_SETUP,
                    Integer.toUnsignedLong(entries), params.address());
            return r < 0 ? -Native.errno(callState) : (int) r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code int io_uring_enter(unsigned fd, u32 to_submit, u32 min_complete, u32 flags,
     * const void *argp, size_t argsz)}: the number of SQEs consumed, or -errno.
     * {@code arg} may be {@link MemorySegment#NULL}.
     */
    public static int enter(MemorySegment callState, int ringFd, int toSubmit, int minComplete,
                            int flags, MemorySegment arg, long argSize) {
        try {
            long r = (long) SYSCALL_6.invokeExact(callState, (long) IoUringConstants.NR_IO_URING_ENTER,
                    Integer.toUnsignedLong(ringFd), Integer.toUnsignedLong(toSubmit),
                    Integer.toUnsignedLong(minComplete), Integer.toUnsignedLong(flags),
                    arg.address(), argSize);
            return r < 0 ? -Native.errno(callState) : (int) r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * {@code int io_uring_register(unsigned fd, unsigned opcode, void *arg, unsigned nr_args)}:
     * the opcode's result, or -errno. {@code arg} may be {@link MemorySegment#NULL}.
     */
    public static int register(MemorySegment callState, int ringFd, int opcode, MemorySegment arg,
                               int nrArgs) {
        try {
            long r = (long) SYSCALL_4.invokeExact(callState, (long) IoUringConstants.NR_IO_URING_REGISTER,
                    Integer.toUnsignedLong(ringFd), Integer.toUnsignedLong(opcode), arg.address(),
                    Integer.toUnsignedLong(nrArgs));
            return r < 0 ? -Native.errno(callState) : (int) r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
