package io.veloq.uring;

import io.veloq.uring.ring.KernelSupport;
import java.util.Optional;

/**
 * Whether io_uring can be used by this process, and why not. The probe runs once, on first use,
 * by setting up and closing a two-entry ring; see {@link KernelSupport} for the reasons it tells
 * apart (ENOSYS, {@code kernel.io_uring_disabled}, seccomp, memlock, native access, the
 * {@value KernelSupport#DISABLE_PROPERTY} property). Thread-safe.
 */
public final class IoUring {

    private IoUring() {}

    /** Whether rings can be set up here now. */
    public static boolean isAvailable() {
        return KernelSupport.availability().enabled();
    }

    /** Whether the kernel has io_uring at all, even if policy refuses it to this process. */
    public static boolean isKernelSupported() {
        return KernelSupport.availability().kernelSupported();
    }

    /** Why io_uring cannot be used, or empty when it can. */
    public static Optional<String> unavailabilityReason() {
        KernelSupport.Availability availability = KernelSupport.availability();
        return availability.enabled() ? Optional.empty() : Optional.of(availability.reason());
    }
}
