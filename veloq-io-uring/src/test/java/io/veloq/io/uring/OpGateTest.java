package io.veloq.io.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The close gate: each transition, and "released exactly once" under concurrent users and closers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpGateTest {

    @Test
    void closeWithoutUsersReleasesAtOnce() throws Exception {
        OpGate gate = new OpGate();
        gate.enter();
        assertFalse(gate.exit(), "an open gate is never released by a user");
        assertEquals(OpGate.CloseAction.RELEASE, gate.close());
        assertEquals(OpGate.CloseAction.NOTHING, gate.close());
        assertTrue(gate.isClosed());
        assertThrows(ClosedChannelException.class, gate::enter);
        assertFalse(gate.enterToCancel(), "released: a cancel must not name the descriptor");
    }

    @Test
    void theLastUserOutReleases() throws Exception {
        OpGate gate = new OpGate();
        gate.enter();
        gate.enter();
        assertEquals(OpGate.CloseAction.CANCEL_USERS, gate.close());
        assertTrue(gate.enterToCancel(), "users inside: the descriptor is still ours");
        assertFalse(gate.exit());
        assertFalse(gate.exit());
        assertTrue(gate.exit(), "the last one out releases");
        assertEquals(0, gate.users());
        assertFalse(gate.enterToCancel());
    }

    @Test
    void releasedExactlyOnceUnderConcurrency() throws Exception {
        int rounds = 2000;
        int threads = 3;
        for (int round = 0; round < rounds; round++) {
            OpGate gate = new OpGate();
            AtomicInteger releases = new AtomicInteger();
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            Thread[] users = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                users[t] = Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 50; i++) {
                            try {
                                gate.enter();
                            } catch (ClosedChannelException closed) {
                                return;
                            }
                            if (gate.exit()) {
                                releases.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
            }
            start.await();
            if (gate.close() == OpGate.CloseAction.RELEASE) {
                releases.incrementAndGet();
            }
            for (Thread u : users) {
                u.join();
            }
            assertEquals(1, releases.get(), "round " + round);
            assertEquals(0, gate.users());
        }
    }
}
