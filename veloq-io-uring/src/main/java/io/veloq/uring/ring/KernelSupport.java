package io.veloq.uring.ring;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.IoUringParams;
import io.veloq.uring.ffi.IoUringSyscalls;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Native;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether io_uring can be used in this process, and if not, why — keeping "the kernel supports
 * it" apart from "it is enabled here". Probes once by setting up and closing a tiny ring.
 *
 * <p>The reasons it distinguishes: not Linux; the property {@value #DISABLE_PROPERTY}; no
 * io_uring in the kernel (ENOSYS); {@code kernel.io_uring_disabled} = 2 (off for everyone) or 1
 * (only for members of {@code kernel.io_uring_group}); EPERM with the sysctl at 0, which is a
 * seccomp filter (the default profile of container runtimes); ENOMEM (RLIMIT_MEMLOCK on kernels
 * before 5.12); native access unavailable to this code. Threading: immutable, thread-safe.
 */
public final class KernelSupport {

    /** Set to {@code true} to turn io_uring off (the portable backend is then chosen). */
    public static final String DISABLE_PROPERTY = "veloq.io_uring.disabled";

    static final Path DISABLED_SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

    /**
     * @param kernelSupported the running kernel has io_uring (a refusal by policy still counts)
     * @param enabled this process can set rings up now
     * @param reason why not, or what was found when it is enabled
     */
    public record Availability(boolean kernelSupported, boolean enabled, String reason) {}

    private static final class Holder {
        static final Availability AVAILABILITY = probe();
    }

    private KernelSupport() {}

    /** The cached probe result. */
    public static Availability availability() {
        return Holder.AVAILABILITY;
    }

    /** Probes afresh (the sysctl or a property may have changed). */
    public static Availability probe() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return new Availability(false, false, "io_uring is Linux-only; this is " + System.getProperty("os.name"));
        }
        boolean turnedOff = Boolean.getBoolean(DISABLE_PROPERTY);
        int result;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = Native.allocateCallState(arena);
            result = IoUringSyscalls.setup(callState, 2, new IoUringParams(arena).segment());
            if (result >= 0) {
                LibC.close(callState, result);
            }
        } catch (IllegalCallerException e) {
            return new Availability(false, false, "native access is not enabled for Veloq: run with "
                    + "--enable-native-access=ALL-UNNAMED (" + e.getMessage() + ")");
        } catch (LinkageError e) {
            return new Availability(false, false, "the C library's syscall(2) could not be linked: " + e);
        }
        if (result >= 0) {
            return turnedOff
                    ? new Availability(true, false, "turned off by -D" + DISABLE_PROPERTY + "=true")
                    : new Availability(true, true, "io_uring_setup works");
        }
        return explain(-result, readDisabledSysctl());
    }

    /** The reason for a failed io_uring_setup with {@code errno}, given the sysctl's value (or null). */
    static Availability explain(int errno, String disabledSysctl) {
        if (errno == Errno.ENOSYS) {
            return new Availability(false, false, "the kernel has no io_uring (io_uring_setup: ENOSYS): "
                    + "it is older than 5.1 or built without CONFIG_IO_URING");
        }
        if (errno == Errno.EPERM || errno == Errno.EACCES) {
            if ("2".equals(disabledSysctl)) {
                return new Availability(true, false,
                        "io_uring is disabled for all processes by sysctl kernel.io_uring_disabled=2");
            }
            if ("1".equals(disabledSysctl)) {
                return new Availability(true, false, "sysctl kernel.io_uring_disabled=1 allows io_uring only to "
                        + "members of the group in kernel.io_uring_group, and this process is not one");
            }
            return new Availability(true, false, "io_uring_setup was refused with " + Errno.name(errno)
                    + " although kernel.io_uring_disabled is " + (disabledSysctl == null ? "absent" : disabledSysctl)
                    + ": a seccomp filter blocks it (e.g. a container runtime's default profile; "
                    + "docker/podman: --security-opt seccomp=<profile allowing io_uring_*>)");
        }
        if (errno == Errno.ENOMEM) {
            return new Availability(true, false, "io_uring_setup failed with ENOMEM: on kernels before 5.12 "
                    + "rings count against RLIMIT_MEMLOCK; raise it (ulimit -l, LimitMEMLOCK=, --ulimit memlock=)");
        }
        return new Availability(true, false, "io_uring_setup failed: " + Errno.describe(errno));
    }

    private static String readDisabledSysctl() {
        try {
            return Files.readString(DISABLED_SYSCTL).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
