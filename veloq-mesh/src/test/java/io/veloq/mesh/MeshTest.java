package io.veloq.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Single-threaded semantics, run against both the scanning and the hinted variant. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MeshTest {

    /** A message that remembers where it came from. */
    record Msg(int from, int seq) { }

    private AtomicInteger[] wakes;

    private Mesh<Msg> mesh(int workers, int capacity, boolean hints) {
        wakes = new AtomicInteger[workers];
        SleepState[] sleepers = new SleepState[workers];
        for (int i = 0; i < workers; i++) {
            AtomicInteger counter = new AtomicInteger();
            wakes[i] = counter;
            sleepers[i] = new SleepState(counter::incrementAndGet);
        }
        Mesh<Msg> mesh = new Mesh<>(workers, capacity, sleepers, hints);
        // Keep the sleepers reachable for the tests that announce sleep.
        this.sleepers = sleepers;
        return mesh;
    }

    private SleepState[] sleepers;

    private static List<Msg> drainAll(Mesh<Msg> mesh, int to) {
        List<Msg> out = new ArrayList<>();
        while (mesh.drain(to, 1_000, out::add) > 0) {
            // keep going until a drain comes back empty
        }
        return out;
    }

    private static List<Integer> seqsFrom(List<Msg> msgs, int from) {
        return msgs.stream().filter(m -> m.from() == from).map(Msg::seq).toList();
    }

    private static List<Integer> range(int fromInclusive, int toExclusive) {
        return IntStream.range(fromInclusive, toExclusive).boxed().toList();
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void keepsFifoPerPair(boolean hints) {
        Mesh<Msg> mesh = mesh(3, 64, hints);
        for (int i = 0; i < 20; i++) {
            mesh.send(0, 2, new Msg(0, i));
            mesh.send(1, 2, new Msg(1, i));
        }
        mesh.send(2, 0, new Msg(2, 0));
        List<Msg> got = drainAll(mesh, 2);
        assertEquals(40, got.size());
        assertEquals(range(0, 20), seqsFrom(got, 0));
        assertEquals(range(0, 20), seqsFrom(got, 1));
        assertEquals(List.of(new Msg(2, 0)), drainAll(mesh, 0));
        assertEquals(List.of(), drainAll(mesh, 1));
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void drainRespectsItsLimitAndReportsTheCount(boolean hints) {
        Mesh<Msg> mesh = mesh(2, 64, hints);
        for (int i = 0; i < 10; i++) {
            mesh.send(0, 1, new Msg(0, i));
        }
        List<Msg> got = new ArrayList<>();
        assertEquals(0, mesh.drain(1, 0, got::add));
        assertEquals(3, mesh.drain(1, 3, got::add));
        assertEquals(3, got.size());
        assertTrue(mesh.hasInbound(1));
        assertEquals(7, mesh.drain(1, 100, got::add));
        assertEquals(range(0, 10), seqsFrom(got, 0));
        assertEquals(0, mesh.drain(1, 100, got::add));
        assertFalse(mesh.hasInbound(1));
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void drainIsFairAcrossSources(boolean hints) {
        int workers = 5;
        Mesh<Msg> mesh = mesh(workers, 1024, hints);
        for (int from = 1; from < workers; from++) {
            for (int i = 0; i < 200; i++) {
                mesh.send(from, 0, new Msg(from, i));
            }
        }
        int limit = 8;
        int[] perSource = new int[workers];
        List<Msg> all = new ArrayList<>();
        for (int round = 0; round < 100; round++) {
            int n = mesh.drain(0, limit, m -> {
                perSource[m.from()]++;
                all.add(m);
            });
            assertEquals(limit, n);
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int from = 1; from < workers; from++) {
                min = Math.min(min, perSource[from]);
                max = Math.max(max, perSource[from]);
            }
            assertTrue(max - min <= limit, "round " + round + ": served " + java.util.Arrays.toString(perSource));
        }
        for (int from = 1; from < workers; from++) {
            assertEquals(range(0, 200), seqsFrom(all, from));
        }
        assertEquals(0, mesh.drain(0, 10, m -> { }));
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void aLoneMessageIsNotStarvedByABacklog(boolean hints) {
        Mesh<Msg> mesh = mesh(5, 4096, hints);
        for (int i = 0; i < 1000; i++) {
            mesh.send(1, 0, new Msg(1, i));
        }
        mesh.send(3, 0, new Msg(3, 0));
        List<Msg> first = new ArrayList<>();
        assertEquals(4, mesh.drain(0, 4, first::add));
        assertTrue(first.contains(new Msg(3, 0)), "served in the first drain: " + first);
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void theStartingSourceRotates(boolean hints) {
        Mesh<Msg> mesh = mesh(3, 64, hints);
        for (int i = 0; i < 10; i++) {
            mesh.send(1, 0, new Msg(1, i));
            mesh.send(2, 0, new Msg(2, i));
        }
        List<Integer> sources = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            assertEquals(1, mesh.drain(0, 1, m -> sources.add(m.from())));
        }
        for (int i = 1; i < sources.size(); i++) {
            assertTrue(!sources.get(i).equals(sources.get(i - 1)), "alternates: " + sources);
        }
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void spillsWhenFullAndFlushesInOrder(boolean hints) {
        Mesh<Msg> mesh = mesh(2, 4, hints);
        for (int i = 0; i < 10; i++) {
            mesh.send(0, 1, new Msg(0, i));
        }
        assertTrue(mesh.hasOverflow(0));
        assertEquals(6, mesh.overflowSize(0));
        assertFalse(mesh.flushOverflow(0), "queue still full");

        List<Msg> got = new ArrayList<>();
        assertEquals(2, mesh.drain(1, 2, got::add));
        assertFalse(mesh.flushOverflow(0), "two moved, four remain");
        assertEquals(4, mesh.overflowSize(0));

        // A new send while overflow remains must queue behind it.
        mesh.drain(1, 4, got::add);
        mesh.send(0, 1, new Msg(0, 10));
        assertEquals(1, mesh.overflowSize(0), "send flushed four older messages first, then spilled itself");

        while (got.size() < 11) {
            mesh.flushOverflow(0);
            mesh.drain(1, 3, got::add);
        }
        assertTrue(mesh.flushOverflow(0));
        assertFalse(mesh.hasOverflow(0));
        assertEquals(0, mesh.overflowSize(0));
        assertEquals(range(0, 11), seqsFrom(got, 0));
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void overflowOfOnePairDoesNotHoldBackAnother(boolean hints) {
        Mesh<Msg> mesh = mesh(3, 4, hints);
        for (int i = 0; i < 6; i++) {
            mesh.send(0, 1, new Msg(0, i));
        }
        mesh.send(0, 2, new Msg(0, 100));
        assertEquals(2, mesh.overflowSize(0));
        assertEquals(List.of(new Msg(0, 100)), drainAll(mesh, 2));
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void sendWakesASleepingDestinationOnce(boolean hints) {
        Mesh<Msg> mesh = mesh(3, 16, hints);
        mesh.send(0, 1, new Msg(0, 0));
        assertEquals(0, wakes[1].get(), "awake destination: no waker call");

        sleepers[1].announceSleep();
        mesh.send(0, 1, new Msg(0, 1));
        mesh.send(2, 1, new Msg(2, 0));
        assertEquals(1, wakes[1].get());
        assertEquals(0, wakes[0].get() + wakes[2].get());
        sleepers[1].awake();
        assertEquals(3, drainAll(mesh, 1).size());
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void flushingOverflowWakesTheDestination(boolean hints) {
        Mesh<Msg> mesh = mesh(2, 4, hints);
        for (int i = 0; i < 6; i++) {
            mesh.send(0, 1, new Msg(0, i));
        }
        drainAll(mesh, 1);
        sleepers[1].announceSleep();
        assertFalse(mesh.hasInbound(1), "the two spilled messages are the sender's, not yet inbound");
        assertTrue(mesh.flushOverflow(0));
        assertEquals(1, wakes[1].get());
        assertTrue(mesh.hasInbound(1));
        sleepers[1].awake();
        assertEquals(List.of(4, 5), seqsFrom(drainAll(mesh, 1), 0));
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void aThrowingSinkLeavesTheRestQueued(boolean hints) {
        Mesh<Msg> mesh = mesh(2, 16, hints);
        for (int i = 0; i < 5; i++) {
            mesh.send(0, 1, new Msg(0, i));
        }
        List<Msg> got = new ArrayList<>();
        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> mesh.drain(1, 10, m -> {
            got.add(m);
            if (m.seq() == 2) {
                throw new IllegalStateException("boom");
            }
        }));
        assertEquals("boom", boom.getMessage());
        assertEquals(3, got.size());
        assertTrue(mesh.hasInbound(1), "what the sink did not get is still announced");
        assertEquals(2, mesh.drain(1, 10, got::add));
        assertEquals(range(0, 5), seqsFrom(got, 0));
    }

    @ParameterizedTest(name = "hints={0}")
    @ValueSource(booleans = {false, true})
    void hasInboundFollowsTheQueues(boolean hints) {
        Mesh<Msg> mesh = mesh(4, 16, hints);
        for (int to = 0; to < 4; to++) {
            assertFalse(mesh.hasInbound(to));
        }
        mesh.send(3, 1, new Msg(3, 0));
        assertTrue(mesh.hasInbound(1));
        assertFalse(mesh.hasInbound(0));
        assertFalse(mesh.hasInbound(2));
        assertFalse(mesh.hasInbound(3));
        assertEquals(1, drainAll(mesh, 1).size());
        assertFalse(mesh.hasInbound(1));
    }
}
