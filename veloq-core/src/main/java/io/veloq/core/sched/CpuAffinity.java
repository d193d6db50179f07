package io.veloq.core.sched;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU affinity of the calling thread through FFM: {@code sched_setaffinity(2)} and {@code
 * sched_getaffinity(2)} with pid 0 (the calling thread). Linux only; elsewhere every call reports
 * "unsupported" and the worker runs unpinned.
 *
 * <p>Threading: stateless; each call affects only the calling thread.
 */
final class CpuAffinity {

    /** {@code CPU_SETSIZE} of glibc: a {@code cpu_set_t} is 1024 bits; bigger CPU numbers get bigger masks. */
    private static final int DEFAULT_MASK_BITS = 1024;
    private static final int EINVAL = 22;

    private static final MethodHandle SET_AFFINITY; // int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask)
    private static final MethodHandle GET_AFFINITY; // int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)
    private static final ErrnoState CALL_STATE;
    private static final String UNSUPPORTED;

    static {
        MethodHandle set = null;
        MethodHandle get = null;
        ErrnoState state = null;
        String why = null;
        try {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                why = "CPU pinning needs Linux (sched_setaffinity), this is " + System.getProperty("os.name");
            } else {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                FunctionDescriptor descriptor = FunctionDescriptor.of(
                        ValueLayout.JAVA_INT,  // int return
                        ValueLayout.JAVA_INT,  // pid_t pid
                        ValueLayout.JAVA_LONG, // size_t cpusetsize
                        ValueLayout.ADDRESS);  // cpu_set_t *mask
                set = downcall(linker, libc, "sched_setaffinity", descriptor, errno);
                get = downcall(linker, libc, "sched_getaffinity", descriptor, errno);
                state = new ErrnoState(Linker.Option.captureStateLayout());
            }
        } catch (RuntimeException | LinkageError e) {
            why = "CPU pinning unavailable: " + e;
        }
        SET_AFFINITY = set;
        GET_AFFINITY = get;
        CALL_STATE = state;
        UNSUPPORTED = why;
    }

    private CpuAffinity() {
    }

    /** The one place this class binds a native function (restricted: needs --enable-native-access). */
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(Linker linker, SymbolLookup libc, String name,
            FunctionDescriptor descriptor, Linker.Option... options) {
        return linker.downcallHandle(libc.find(name).orElseThrow(), descriptor, options);
    }

    /** Null when pinning can be attempted, else why not. */
    static String unsupportedReason() {
        return UNSUPPORTED;
    }

    /**
     * Pins the calling thread to {@code cpu}.
     *
     * @return null on success, else a one-line reason (the errno by name where known)
     */
    static String pinCurrentThread(int cpu) {
        if (UNSUPPORTED != null) {
            return UNSUPPORTED;
        }
        if (cpu < 0) {
            return "CPU " + cpu + " is negative";
        }
        int bits = Math.max(DEFAULT_MASK_BITS, (cpu / 64 + 1) * 64);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(bits / 8, 8); // cpu_set_t: array of unsigned long
            long word = mask.getAtIndex(ValueLayout.JAVA_LONG, cpu / 64);
            mask.setAtIndex(ValueLayout.JAVA_LONG, cpu / 64, word | (1L << (cpu % 64)));
            MemorySegment callState = arena.allocate(CALL_STATE.layout);
            int rc = (int) SET_AFFINITY.invokeExact(callState, 0, (long) (bits / 8), mask);
            if (rc == 0) {
                return null;
            }
            int errno = CALL_STATE.errno(callState);
            return errno == EINVAL
                    ? "sched_setaffinity(cpu " + cpu + ") failed with EINVAL: no such CPU, or not in this process's allowed set"
                    : "sched_setaffinity(cpu " + cpu + ") failed with errno " + errno;
        } catch (Throwable e) {
            return "sched_setaffinity(cpu " + cpu + ") failed: " + e;
        }
    }

    /**
     * The CPUs the calling thread may run on, ascending; empty if unknown (then callers fall back
     * to 0..availableProcessors-1).
     */
    static List<Integer> allowedCpus() {
        List<Integer> cpus = new ArrayList<>();
        if (UNSUPPORTED != null) {
            return cpus;
        }
        int bytes = DEFAULT_MASK_BITS / 8;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(bytes, 8);
            MemorySegment callState = arena.allocate(CALL_STATE.layout);
            int rc = (int) GET_AFFINITY.invokeExact(callState, 0, (long) bytes, mask);
            if (rc < 0) {
                return cpus;
            }
            for (int w = 0; w < bytes / 8; w++) {
                long word = mask.getAtIndex(ValueLayout.JAVA_LONG, w);
                while (word != 0) {
                    int bit = Long.numberOfTrailingZeros(word);
                    cpus.add(w * 64 + bit);
                    word &= word - 1;
                }
            }
        } catch (Throwable e) {
            cpus.clear();
        }
        return cpus;
    }

    /** The captured-call-state struct and its {@code int errno} field. */
    private static final class ErrnoState {
        final MemoryLayout layout;
        private final VarHandle errno;

        ErrnoState(MemoryLayout layout) {
            this.layout = layout;
            this.errno = layout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        }

        int errno(MemorySegment state) {
            return (int) errno.get(state, 0L);
        }
    }
}
