package io.veloq.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workers on real threads through the mesh, bounded by {@code veloq.stress.seconds} (default 2)
 * plus a settle period; {@link SimWorker} checks order and counts on every message.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // last resort; the run itself is bounded by StressTime
class MeshStressTest {

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void pingPongWithTinyQueuesFullInBothDirections(boolean hints) throws Exception {
        SimWorker.Group group = new SimWorker.Group(2, 2, hints, 16, 0);
        assertEquals(4, group.mesh.queueCapacity());

        assertNull(group.run(), () -> summary(group));

        assertBalanced(group);
        for (SimWorker w : group.workers) {
            assertEquals(0, w.lostWakeups, () -> summary(group));
            assertTrue(w.roundsWithOverflow > 0,
                    () -> "bursts of 16 into 4 slots must have spilled at least once; " + summary(group));
        }
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void allToAllStormOfFourWorkers(boolean hints) throws Exception {
        SimWorker.Group group = new SimWorker.Group(4, 8, hints, 8, 0);

        assertNull(group.run(), () -> summary(group));

        assertBalanced(group);
        for (SimWorker w : group.workers) {
            assertEquals(0, w.lostWakeups, () -> summary(group));
        }
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void sparseAllToAllWithWorkersFallingAsleep(boolean hints) throws Exception {
        SimWorker.Group group = new SimWorker.Group(4, 64, hints, 4, TimeUnit.MICROSECONDS.toNanos(200));

        assertNull(group.run(), () -> summary(group));

        assertBalanced(group);
        long parks = 0;
        for (SimWorker w : group.workers) {
            assertEquals(0, w.lostWakeups, () -> summary(group));
            parks += w.parks;
        }
        assertTrue(parks > 0, () -> "workers never slept: the sleep path was not exercised; " + summary(group));
    }

    /** Every ping was received once and answered once, over the whole group. */
    private static void assertBalanced(SimWorker.Group group) {
        long pingsSent = 0;
        long pingsReceived = 0;
        long pongsReceived = 0;
        for (SimWorker w : group.workers) {
            assertTrue(w.finished(), () -> "worker ended without finishing; " + summary(group));
            pingsSent += w.pingsSent();
            pingsReceived += w.pingsReceived();
            pongsReceived += w.pongsReceived();
        }
        assertTrue(pingsSent > 0, () -> summary(group));
        assertEquals(pingsSent, pingsReceived, () -> summary(group));
        assertEquals(pingsSent, pongsReceived, () -> summary(group));
        // The worker threads have ended (join), so the test thread may act as every worker now.
        for (int i = 0; i < group.workers.length; i++) {
            assertTrue(!group.mesh.hasOverflow(i), "worker " + i + " left overflow behind");
            assertEquals(0, group.mesh.drain(i, Integer.MAX_VALUE, m -> { }), "left for worker " + i);
        }
    }

    /** The run's figures, for failure messages (the test is quiet when it passes). */
    private static String summary(SimWorker.Group group) {
        StringBuilder text = new StringBuilder();
        for (SimWorker w : group.workers) {
            text.append('\n').append(w.summary());
        }
        return text.toString();
    }
}
