package io.veloq.uring.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The linker, the C library lookup and the errno capture shared by every downcall of this package.
 *
 * <p>Every downcall here is made with {@code Linker.Option.captureCallState("errno")}: its method
 * handle takes a capture segment as first argument ({@link #allocateCallState}), and the wrappers
 * in {@link LibC} and {@link IoUringSyscalls} fold the C convention "-1 and errno" into a single
 * return value, {@code -errno}, the way the kernel itself reports errors in a CQE.
 *
 * <p>Threading: the handles are immutable and thread-safe; a call-state segment must not be shared
 * by two threads that make calls at the same time (each caller owns one, or allocates one per call).
 */
public final class Native {

    static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private Native() {}

    /** Allocates a segment for {@code captureCallState("errno")}; owned by one thread at a time. */
    public static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /** A downcall to the C library function {@code name} that captures errno. */
    @SuppressWarnings("restricted") // the bindings are this package's purpose; callers need --enable-native-access
    static MethodHandle downcallCapturingErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    /** A variadic downcall ({@code syscall(2)}, {@code open(2)}) that captures errno. */
    @SuppressWarnings("restricted")
    static MethodHandle variadicDowncallCapturingErrno(
            String name, FunctionDescriptor descriptor, int firstVariadicArg) {
        return LINKER.downcallHandle(
                symbol(name), descriptor, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(firstVariadicArg));
    }

    /** A downcall without errno capture, for functions that cannot fail in a way we act on. */
    @SuppressWarnings("restricted")
    static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no symbol " + name));
    }

    /** Wraps a failure of {@code invokeExact}; the downcalls here declare no checked exception. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
