package io.veloq.uring.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The limit registered buffers are checked against: RLIMIT_MEMLOCK, lifted when the process holds
 * CAP_IPC_LOCK in the initial user namespace. Pure functions fed with /proc samples, so the result
 * does not depend on whether the test runs as root.
 */
class MemlockLimitTest {

    private static final long EIGHT_MIB = 8L << 20;

    /** A /proc/self/status of a JVM, up to the capability lines and past them, with {@code capEff} as its mask. */
    private static String status(String capPrm, String capEff) {
        return """
                Name:\tjava
                Umask:\t0022
                State:\tS (sleeping)
                Tgid:\t41187
                Pid:\t41187
                PPid:\t41160
                Uid:\t1000\t1000\t1000\t1000
                Gid:\t1000\t1000\t1000\t1000
                FDSize:\t256
                VmLck:\t       0 kB
                VmPin:\t       0 kB
                Threads:\t31
                SigQ:\t0/96365
                SigBlk:\t0000000000000000
                SigIgn:\t0000000000000000
                SigCgt:\t0000000000000000
                CapInh:\t0000000000000000
                CapPrm:\t%s
                CapEff:\t%s
                CapBnd:\t000001ffffffffff
                CapAmb:\t0000000000000000
                NoNewPrivs:\t0
                Seccomp:\t0
                Cpus_allowed_list:\t0-7
                voluntary_ctxt_switches:\t12
                """.formatted(capPrm, capEff);
    }

    @Test
    void capIpcLockIsBit14OfTheEffectiveMask() {
        assertEquals(14, IpcLockCapability.CAP_IPC_LOCK);
        // root outside a user namespace: every capability of a 6.x kernel (0..40)
        assertTrue(IpcLockCapability.inEffectiveSet(status("000001ffffffffff", "000001ffffffffff"), 14));
        // root under a bounding set without CAP_SYS_RESOURCE (bit 24): CAP_IPC_LOCK is still there
        assertTrue(IpcLockCapability.inEffectiveSet(status("000001fffeffffff", "000001fffeffffff"), 14));
        // a service given AmbientCapabilities=CAP_IPC_LOCK alone
        assertTrue(IpcLockCapability.inEffectiveSet(status("0000000000004000", "0000000000004000"), 14));
    }

    @Test
    void withoutBit14TheCapabilityIsNotHeld() {
        // an ordinary user
        assertFalse(IpcLockCapability.inEffectiveSet(status("0000000000000000", "0000000000000000"), 14));
        // docker's default capability set (CHOWN ... SETFCAP) has no CAP_IPC_LOCK
        assertFalse(IpcLockCapability.inEffectiveSet(status("00000000a80425fb", "00000000a80425fb"), 14));
        // every capability but CAP_IPC_LOCK
        assertFalse(IpcLockCapability.inEffectiveSet(status("000001ffffffbfff", "000001ffffffbfff"), 14));
        // permitted but not effective (dropped from the effective set): the kernel checks the effective one
        assertFalse(IpcLockCapability.inEffectiveSet(status("000001ffffffffff", "0000000000000000"), 14));
    }

    @Test
    void aStatusWithoutAReadableCapEffLineHoldsNothing() {
        assertFalse(IpcLockCapability.inEffectiveSet("", 14));
        assertFalse(IpcLockCapability.inEffectiveSet("Name:\tjava\nCapPrm:\t000001ffffffffff\n", 14));
        assertFalse(IpcLockCapability.inEffectiveSet(status("000001ffffffffff", "not-hex"), 14));
        assertFalse(IpcLockCapability.inEffectiveSet(status("000001ffffffffff", ""), 14));
    }

    @Test
    void otherBitsAreReadFromTheSameMask() {
        String rootWithoutSysResource = status("000001fffeffffff", "000001fffeffffff");
        assertFalse(IpcLockCapability.inEffectiveSet(rootWithoutSysResource, 24), "CAP_SYS_RESOURCE");
        assertTrue(IpcLockCapability.inEffectiveSet(rootWithoutSysResource, 21), "CAP_SYS_ADMIN");
        assertTrue(IpcLockCapability.inEffectiveSet(rootWithoutSysResource, 40), "CAP_CHECKPOINT_RESTORE");
        assertFalse(IpcLockCapability.inEffectiveSet(rootWithoutSysResource, 41), "no capability 41 yet");
    }

    @Test
    void onlyTheInitialUserNamespaceCounts() {
        assertTrue(IpcLockCapability.inInitialUserNamespace("user:[4026531837]"));
        assertFalse(IpcLockCapability.inInitialUserNamespace("user:[4026532451]"), "a container's own namespace");
        assertFalse(IpcLockCapability.inInitialUserNamespace(""));
    }

    @Test
    void theCapabilityLiftsTheLimitAndNothingElseDoes() {
        assertEquals(EIGHT_MIB, MemlockBudget.effectiveLimit(EIGHT_MIB, false));
        assertEquals(Long.MAX_VALUE, MemlockBudget.effectiveLimit(EIGHT_MIB, true));
        assertEquals(Long.MAX_VALUE, MemlockBudget.effectiveLimit(Long.MAX_VALUE, false), "unlimited stays unlimited");
        assertEquals(64 * 1024, MemlockBudget.effectiveLimit(64 * 1024, false));
    }

    @Test
    void aPoolOverTheRlimitFitsOnlyWhenTheCapabilityLiftsIt() throws IOException {
        long pools = 4 * EIGHT_MIB;
        IOException e = assertThrows(IOException.class, () -> MemlockBudget.check(pools,
                MemlockBudget.effectiveLimit(EIGHT_MIB, false), "four pools"));
        assertTrue(e.getMessage().contains("RLIMIT_MEMLOCK is 8 MiB"), e.getMessage());
        MemlockBudget.check(pools, MemlockBudget.effectiveLimit(EIGHT_MIB, true), "four pools");
    }
}
