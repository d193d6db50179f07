package io.veloq.io.uring;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Native;
import io.veloq.uring.ffi.PosixConstants;
import io.veloq.uring.ffi.PosixLayouts;
import io.veloq.uring.ffi.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Descriptor exhaustion (EMFILE) for fault-injection tests, without opening thousands of
 * descriptors: the soft RLIMIT_NOFILE is lowered to the lowest free descriptor number, so every
 * number below the limit is taken and the next allocation fails with EMFILE — in the kernel's
 * ACCEPT too, which takes the limit when its entry is submitted. {@link #close()} restores it.
 *
 * <p>The limit is the whole process's: while it is lowered nothing may open a descriptor, which
 * includes the class loader reading a class file for the first time. Run the code under test once
 * before, or load its classes. Threading: the test thread, one exhaustion at a time (the suite
 * does not run tests in parallel).
 */
final class DescriptorExhaustion implements AutoCloseable {

    /** RLIMIT_NOFILE (asm-generic numbering, as x86_64 and aarch64). */
    private static final int RLIMIT_NOFILE = 7;
    /** {@code int prlimit(pid_t pid, int resource, const struct rlimit *new, struct rlimit *old)}. */
    private static final MethodHandle PRLIMIT = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("prlimit").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final VarHandle RLIM_CUR = PosixLayouts.RLIMIT.varHandle(PathElement.groupElement("rlim_cur"));
    private static final VarHandle RLIM_MAX = PosixLayouts.RLIMIT.varHandle(PathElement.groupElement("rlim_max"));

    private final long softBefore;
    private final long hard;
    private boolean restored;

    private DescriptorExhaustion(long softBefore, long hard) {
        this.softBefore = softBefore;
        this.hard = hard;
    }

    /**
     * Lowers the soft limit until a probe allocation fails with EMFILE: a descriptor another thread
     * closes meanwhile leaves a free number below the limit, which the probe finds and the limit
     * then drops to.
     */
    static DescriptorExhaustion begin() {
        long[] before = current();
        DescriptorExhaustion exhaustion = new DescriptorExhaustion(before[0], before[1]);
        int limit = probe();
        if (limit < 0) {
            throw new AssertionError("cannot open a descriptor before lowering the limit: " + Errno.describe(-limit));
        }
        LibC.close(limit); // its number is now the lowest free one
        try {
            while (true) {
                exhaustion.setSoft(limit);
                int below = probe();
                if (below == -Errno.EMFILE) {
                    return exhaustion;
                }
                if (below < 0) {
                    throw new AssertionError("probing under a soft RLIMIT_NOFILE of " + limit + ": "
                            + Errno.describe(-below));
                }
                LibC.close(below);
                limit = below;
            }
        } catch (RuntimeException | Error e) {
            exhaustion.close();
            throw e;
        }
    }

    /** Restores the soft limit the process had; idempotent. */
    @Override
    public void close() {
        if (!restored) {
            restored = true;
            setSoft(softBefore);
        }
    }

    /** The lowest free descriptor number, held by a new eventfd, or -errno. */
    private static int probe() {
        try (Arena arena = Arena.ofConfined()) {
            return LibC.eventfd(Native.allocateCallState(arena), 0, PosixConstants.EFD_CLOEXEC);
        }
    }

    /** {soft, hard} RLIMIT_NOFILE. */
    private static long[] current() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(PosixLayouts.RLIMIT);
            int r = LibC.getrlimit(Native.allocateCallState(arena), RLIMIT_NOFILE, rlimit);
            if (r < 0) {
                throw new AssertionError("getrlimit(RLIMIT_NOFILE): " + Errno.describe(-r));
            }
            return new long[] {Structs.rlimitCurrent(rlimit), Structs.rlimitMaximum(rlimit)};
        }
    }

    private void setSoft(long soft) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rlimit = arena.allocate(PosixLayouts.RLIMIT);
            RLIM_CUR.set(rlimit, 0L, soft);
            RLIM_MAX.set(rlimit, 0L, hard);
            int r = (int) PRLIMIT.invokeExact(0, RLIMIT_NOFILE, rlimit, MemorySegment.NULL);
            if (r != 0) {
                throw new AssertionError("prlimit(RLIMIT_NOFILE, " + soft + ") failed");
            }
        } catch (Throwable t) {
            throw t instanceof Error e ? e : new AssertionError(t);
        }
    }
}
