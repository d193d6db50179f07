package io.veloq.uring.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.uring.IoUring;
import io.veloq.uring.ffi.Errno;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The availability probe keeps "the kernel has it" apart from "it is enabled here", and says why. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KernelSupportTest {

    @Test
    void enosysMeansTheKernelLacksIoUring() {
        KernelSupport.Availability a = KernelSupport.explain(Errno.ENOSYS, "0");
        assertFalse(a.kernelSupported());
        assertFalse(a.enabled());
        assertTrue(a.reason().contains("ENOSYS"), a.reason());
    }

    @Test
    void epermIsExplainedByTheSysctlOrBySeccomp() {
        KernelSupport.Availability off = KernelSupport.explain(Errno.EPERM, "2");
        assertTrue(off.kernelSupported());
        assertFalse(off.enabled());
        assertTrue(off.reason().contains("kernel.io_uring_disabled=2"), off.reason());

        KernelSupport.Availability group = KernelSupport.explain(Errno.EPERM, "1");
        assertTrue(group.reason().contains("io_uring_group"), group.reason());

        KernelSupport.Availability seccomp = KernelSupport.explain(Errno.EPERM, "0");
        assertTrue(seccomp.kernelSupported());
        assertTrue(seccomp.reason().contains("seccomp"), seccomp.reason());
    }

    @Test
    void enomemPointsAtTheMemlockLimit() {
        KernelSupport.Availability a = KernelSupport.explain(Errno.ENOMEM, null);
        assertTrue(a.reason().contains("RLIMIT_MEMLOCK"), a.reason());
    }

    @Test
    void theDisableProperty() {
        String previous = System.getProperty(KernelSupport.DISABLE_PROPERTY);
        System.setProperty(KernelSupport.DISABLE_PROPERTY, "true");
        try {
            KernelSupport.Availability a = KernelSupport.probe();
            assertFalse(a.enabled());
            assertTrue(a.reason().contains(KernelSupport.DISABLE_PROPERTY), a.reason());
        } finally {
            if (previous == null) {
                System.clearProperty(KernelSupport.DISABLE_PROPERTY);
            } else {
                System.setProperty(KernelSupport.DISABLE_PROPERTY, previous);
            }
        }
    }

    @Test
    void thisMachineIsConsistentWithItsSysctl() throws Exception {
        KernelSupport.Availability a = KernelSupport.probe();
        assertEquals(a.enabled(), IoUring.isAvailable() || Boolean.getBoolean(KernelSupport.DISABLE_PROPERTY));
        if (a.enabled()) {
            assertTrue(a.kernelSupported());
            assertTrue(IoUring.unavailabilityReason().isEmpty());
        } else {
            assertFalse(a.reason().isBlank());
        }
        if (Files.isReadable(KernelSupport.DISABLED_SYSCTL)
                && Files.readString(KernelSupport.DISABLED_SYSCTL).trim().equals("2")) {
            assertFalse(a.enabled(), "io_uring_disabled=2 must make io_uring unavailable");
        }
    }
}
