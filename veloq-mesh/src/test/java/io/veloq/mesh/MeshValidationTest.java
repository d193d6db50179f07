package io.veloq.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MeshValidationTest {

    static SleepState[] sleepers(int n) {
        SleepState[] s = new SleepState[n];
        for (int i = 0; i < n; i++) {
            s[i] = new SleepState(() -> { });
        }
        return s;
    }

    private static void assertMessage(Class<? extends Throwable> type, String expected, Executable call) {
        Throwable t = assertThrows(type, call);
        assertEquals(expected, t.getMessage());
    }

    @Test
    void rejectsBadWorkerCounts() {
        assertMessage(IllegalArgumentException.class, "workers must be in [1, 1024], was 0",
                () -> new Mesh<String>(0, 4, sleepers(0)));
        assertMessage(IllegalArgumentException.class, "workers must be in [1, 1024], was -3",
                () -> new Mesh<String>(-3, 4, sleepers(0)));
        assertMessage(IllegalArgumentException.class, "workers must be in [1, 1024], was 1025",
                () -> new Mesh<String>(1025, 4, sleepers(1)));
    }

    @Test
    void rejectsBadQueueCapacities() {
        assertMessage(IllegalArgumentException.class, "queueCapacity must be > 0, was 0",
                () -> new Mesh<String>(2, 0, sleepers(2)));
        assertMessage(IllegalArgumentException.class, "queueCapacity must be > 0, was -1",
                () -> new Mesh<String>(2, -1, sleepers(2)));
        assertMessage(IllegalArgumentException.class,
                "queueCapacity must be <= 1073741824, was 1073741825",
                () -> new Mesh<String>(2, (1 << 30) + 1, sleepers(2)));
    }

    @Test
    void rejectsBadSleepers() {
        assertMessage(NullPointerException.class, "sleepers", () -> new Mesh<String>(2, 4, null));
        assertMessage(IllegalArgumentException.class, "sleepers.length must equal workers (3), was 2",
                () -> new Mesh<String>(3, 4, sleepers(2)));
        SleepState[] withHole = sleepers(3);
        withHole[1] = null;
        assertMessage(NullPointerException.class, "sleepers[1] is null",
                () -> new Mesh<String>(3, 4, withHole));
    }

    @Test
    void roundsCapacityUpToAPowerOfTwo() {
        assertEquals(8, new Mesh<String>(2, 5, sleepers(2)).queueCapacity());
        assertEquals(16, new Mesh<String>(2, 16, sleepers(2)).queueCapacity());
        assertEquals(1024, new Mesh<String>(2, 1000, sleepers(2)).queueCapacity());
        // JCTools' SPSC array queue holds at least 4.
        assertEquals(4, new Mesh<String>(2, 1, sleepers(2)).queueCapacity());
        assertEquals(4, new Mesh<String>(2, 3, sleepers(2)).queueCapacity());
    }

    @Test
    void copiesTheSleepersArray() {
        SleepState[] s = sleepers(2);
        SleepState original = s[1];
        Mesh<String> mesh = new Mesh<>(2, 4, s);
        s[1] = null; // must not affect the mesh
        original.announceSleep();
        mesh.send(0, 1, "x");
        assertFalse(original.isSleeping(), "the mesh notified the sleeper it was built with");
    }

    @Test
    void hintsFollowTheWorkerCountByDefault() {
        assertFalse(new Mesh<String>(Mesh.HINT_THRESHOLD - 1, 4, sleepers(Mesh.HINT_THRESHOLD - 1))
                .usesInboundHints());
        assertTrue(new Mesh<String>(Mesh.HINT_THRESHOLD, 4, sleepers(Mesh.HINT_THRESHOLD))
                .usesInboundHints());
        assertEquals("Mesh[workers=2, queueCapacity=4]", new Mesh<String>(2, 4, sleepers(2)).toString());
        assertEquals("Mesh[workers=8, queueCapacity=4, inboundHints]",
                new Mesh<String>(8, 4, sleepers(8)).toString());
    }

    @Test
    void rejectsWorkerIndicesOutOfRange() {
        Mesh<String> mesh = new Mesh<>(4, 4, sleepers(4));
        assertEquals(4, mesh.workers());
        assertMessage(IndexOutOfBoundsException.class,
                "worker index from=-1 out of range [0, 4) for 4 workers", () -> mesh.send(-1, 0, "x"));
        assertMessage(IndexOutOfBoundsException.class,
                "worker index to=4 out of range [0, 4) for 4 workers", () -> mesh.send(0, 4, "x"));
        assertMessage(IndexOutOfBoundsException.class,
                "worker index from=7 out of range [0, 4) for 4 workers", () -> mesh.flushOverflow(7));
        assertMessage(IndexOutOfBoundsException.class,
                "worker index from=4 out of range [0, 4) for 4 workers", () -> mesh.hasOverflow(4));
        assertMessage(IndexOutOfBoundsException.class,
                "worker index to=-2 out of range [0, 4) for 4 workers", () -> mesh.drain(-2, 1, m -> { }));
        assertMessage(IndexOutOfBoundsException.class,
                "worker index to=9 out of range [0, 4) for 4 workers", () -> mesh.hasInbound(9));
    }

    @Test
    void rejectsSendToSelfAndNulls() {
        Mesh<String> mesh = new Mesh<>(3, 4, sleepers(3));
        assertMessage(IllegalArgumentException.class,
                "send from worker 2 to itself: local work goes to the worker's own run queue, not the mesh",
                () -> mesh.send(2, 2, "x"));
        assertMessage(NullPointerException.class, "message", () -> mesh.send(0, 1, null));
        assertMessage(NullPointerException.class, "sink", () -> mesh.drain(1, 1, null));
        assertMessage(IllegalArgumentException.class, "limit must be >= 0, was -1",
                () -> mesh.drain(1, -1, m -> { }));
        assertFalse(mesh.hasInbound(1), "rejected sends published nothing");
    }

    @Test
    void aSingleWorkerMeshIsEmpty() {
        Mesh<String> mesh = new Mesh<>(1, 4, sleepers(1));
        assertEquals(0, mesh.drain(0, 10, m -> { }));
        assertFalse(mesh.hasInbound(0));
        assertFalse(mesh.hasOverflow(0));
        assertTrue(mesh.flushOverflow(0));
    }
}
