package io.veloq.uring.buffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process holds CAP_IPC_LOCK where io_uring looks for it: in its effective set, in
 * the initial user namespace. A ring charges its registered buffers to the user's locked memory,
 * against RLIMIT_MEMLOCK, only when its creator lacks it ({@code io_uring_create}:
 * {@code if (!ns_capable_noaudit(&init_user_ns, CAP_IPC_LOCK)) ctx->user = ...}; older kernels
 * call {@code capable()}, which asks the same namespace). A capability granted inside a user
 * namespace (a rootless container's "root") does not exempt anything.
 *
 * <p>Read from procfs: the {@code CapEff} mask of /proc/self/status and the link /proc/self/ns/user.
 * Anything missing or unexpected answers "not held", which keeps the RLIMIT_MEMLOCK check in force:
 * erring that way refuses a pool the kernel would take, the other way lets a worker fail at
 * registration. The parsers take the text, so tests feed them samples.
 *
 * <p>Threading: stateless.
 */
final class IpcLockCapability {

    /** CAP_IPC_LOCK's bit in the capability masks ({@code <linux/capability.h>}). */
    static final int CAP_IPC_LOCK = 14;

    /**
     * What /proc/self/ns/user links to in the initial user namespace: its inode number is fixed
     * (PROC_USER_INIT_INO, {@code <linux/proc_ns.h>}).
     */
    static final String INITIAL_USER_NAMESPACE = "user:[4026531837]";

    private IpcLockCapability() {}

    /** Whether the kernel exempts rings this process creates now from RLIMIT_MEMLOCK. */
    static boolean heldByThisProcess() {
        try {
            return inInitialUserNamespace(Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString())
                    && inEffectiveSet(Files.readString(Path.of("/proc/self/status")), CAP_IPC_LOCK);
        } catch (IOException | RuntimeException unreadable) {
            return false; // no procfs (or a foreign one): apply the limit
        }
    }

    /**
     * Whether the {@code CapEff:} line of a /proc/[pid]/status text (a hexadecimal mask, e.g.
     * {@code CapEff:\t000001ffffffffff}) has {@code capability}'s bit set; false without a line
     * that parses.
     */
    static boolean inEffectiveSet(String status, int capability) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                try {
                    long mask = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                    return (mask >>> capability & 1) != 0;
                } catch (NumberFormatException malformed) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Whether {@code link}, the target of /proc/self/ns/user, names the initial user namespace. */
    static boolean inInitialUserNamespace(String link) {
        return INITIAL_USER_NAMESPACE.equals(link);
    }
}
