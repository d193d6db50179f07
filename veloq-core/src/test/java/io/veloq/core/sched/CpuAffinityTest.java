package io.veloq.core.sched;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CpuAffinityTest {

    @Test
    void pinsToAnAllowedCpuAndExplainsARefusal() throws Exception {
        Assumptions.assumeTrue(CpuAffinity.unsupportedReason() == null, "CPU pinning needs Linux");
        List<Integer> allowed = CpuAffinity.allowedCpus();
        assertFalse(allowed.isEmpty());
        int cpu = allowed.get(allowed.size() - 1);
        String[] result = new String[2];
        Thread t = Thread.ofPlatform().start(() -> {
            result[0] = CpuAffinity.pinCurrentThread(cpu);
            result[1] = String.valueOf(CpuAffinity.allowedCpus());
        });
        t.join();
        assertNull(result[0]);
        assertEquals("[" + cpu + "]", result[1]);
        Thread bad = Thread.ofPlatform().start(() -> result[0] = CpuAffinity.pinCurrentThread(4000));
        bad.join();
        assertNotNull(result[0]);
        assertTrue(result[0].contains("EINVAL"), result[0]);
        assertTrue(CpuAffinity.pinCurrentThread(-1).contains("negative"));
    }

    @Test
    void defaultCpusFollowTheAffinityMaskAndWrapAround() {
        Assumptions.assumeTrue(CpuAffinity.unsupportedReason() == null, "CPU pinning needs Linux");
        List<Integer> allowed = CpuAffinity.allowedCpus();
        int[] cpus = Scheduler.defaultCpus(allowed.size() * 2 + 1);
        for (int i = 0; i < cpus.length; i++) {
            assertEquals(allowed.get(i % allowed.size()), cpus[i]);
        }
    }
}
