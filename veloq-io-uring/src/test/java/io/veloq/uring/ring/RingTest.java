package io.veloq.uring.ring;

import static io.veloq.uring.ffi.IoUringConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.uring.TestSupport;
import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.IoUringLayouts;
import io.veloq.uring.ffi.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ring on its own: setup, the flag ladder, submission, reaping, full SQ and CQ overflow. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RingTest {

    @BeforeEach
    void requireIoUring() {
        TestSupport.assumeIoUring();
    }

    @Test
    void openingAndClosingLeavesNoDescriptorOrMappingBehind() throws Exception {
        Ring.open(RingOptions.of(8)).close(); // warm-up: classes, lazily opened JDK descriptors
        Set<String> before = TestSupport.openFds();
        long mappingsBefore = TestSupport.ringMappings();
        for (int i = 0; i < 20; i++) {
            try (Ring ring = Ring.open(RingOptions.of(64))) {
                assertTrue(ring.fd() >= 0);
                assertTrue(TestSupport.ringMappings() > mappingsBefore, "the rings are mapped while open");
            }
        }
        assertEquals(before, TestSupport.openFds());
        assertEquals(mappingsBefore, TestSupport.ringMappings());
    }

    @Test
    void theOwnerEntersThroughARegisteredRingFdAndCloseGivesItUp() throws Exception {
        // A thread has 16 registered ring fds (IO_RINGFD_REG_MAX): 40 rings in turn only all get one
        // if each close gives its entry back.
        for (int i = 0; i < 40; i++) {
            try (Ring ring = Ring.open(RingOptions.of(8))) {
                assertTrue((ring.setupFlags() & IORING_SETUP_SINGLE_ISSUER) != 0, "this kernel has SINGLE_ISSUER");
                assertTrue(ring.entersRegistered(), "ring " + i + " enters through a registered ring fd");
                assertTrue(ring.description().contains("registered ring fd"), ring.description());
                nopRoundTrip(ring, i);
            }
        }
    }

    @Test
    void aRingBeyondTheThreadsRegisteredRingFdsEntersThroughItsPlainFd() throws Exception {
        List<Ring> open = new ArrayList<>();
        try {
            Ring last;
            do {
                last = Ring.open(RingOptions.of(8));
                open.add(last);
            } while (last.entersRegistered() && open.size() <= 64);
            assertFalse(last.entersRegistered(), "the thread's table filled up");
            for (int i = 0; i < open.size(); i++) {
                nopRoundTrip(open.get(i), i);
            }
        } finally {
            open.forEach(Ring::close);
        }
    }

    @Test
    void aRingOpenedOnAVirtualThreadEntersThroughItsPlainFd() throws Exception {
        Thread.ofVirtual().start(() -> {
            try (Ring ring = Ring.open(RingOptions.of(8))) {
                assertFalse(ring.entersRegistered(), "a virtual thread may move between OS threads");
                nopRoundTrip(ring, 7);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).join();
    }

    private static void nopRoundTrip(Ring ring, long userData) {
        assertTrue(ring.tryReserve(1));
        ring.sq().next().prepNop().userData(userData);
        assertEquals(1, ring.submit(), "the enter took the entry");
        List<long[]> seen = drainUntil(ring, 1);
        assertEquals(userData, seen.get(0)[0]);
        assertEquals(0, seen.get(0)[1]);
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Ring ring = Ring.open(RingOptions.of(8));
        ring.close();
        ring.close();
        assertTrue(ring.isClosed());
    }

    @Test
    void nopRoundTripCarriesUserData() throws Exception {
        try (Ring ring = Ring.open(RingOptions.of(8))) {
            assertTrue(ring.tryReserve(2));
            ring.sq().next().prepNop().userData(0x1234_5678_9abcL);
            ring.sq().next().prepNop().userData(-7L);
            assertEquals(2, ring.submit());
            List<long[]> seen = drainUntil(ring, 2);
            assertEquals(0x1234_5678_9abcL, seen.get(0)[0]);
            assertEquals(0, seen.get(0)[1]);
            assertEquals(-7L, seen.get(1)[0]);
        }
    }

    @Test
    void aFullSubmissionQueueIsSubmittedAndNothingIsLost() throws Exception {
        try (Ring ring = Ring.open(RingOptions.of(8))) {
            List<long[]> seen = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                while (!ring.tryReserve(1)) {
                    ring.cq().drain((u, r, f) -> seen.add(new long[] {u, r}));
                }
                ring.sq().next().prepNop().userData(i);
                if (i % 50 == 0) {
                    ring.cq().drain((u, r, f) -> seen.add(new long[] {u, r}));
                }
            }
            ring.submit();
            seen.addAll(drainUntil(ring, 1000 - seen.size()));
            assertAllDistinct(seen, 1000);
        }
    }

    @Test
    void completionQueueOverflowLosesNoCompletion() throws Exception {
        try (Ring ring = Ring.open(RingOptions.of(8).withCqEntries(16))) {
            assertTrue(ring.hasFeature(IORING_FEAT_NODROP), "this test needs FEAT_NODROP (5.5+)");
            int total = 200;
            for (int i = 0; i < total; i++) {
                assertTrue(ring.tryReserve(1), "the kernel refused submissions while the CQ overflowed");
                ring.sq().next().prepNop().userData(i);
            }
            ring.submit();
            assertTrue(ring.cqOverflowPending(), "200 inline completions must overflow a 16-entry CQ");
            List<long[]> seen = drainUntil(ring, total);
            assertAllDistinct(seen, total);
            assertEquals(0, ring.cq().overflowCount(), "no completion may be dropped");
            assertFalse(ring.cqOverflowPending());
        }
    }

    @Test
    void theLadderStepsDownWhenFlagsAreRefused() throws Exception {
        try (Ring best = Ring.open(RingOptions.of(8))) {
            assertTrue((best.setupFlags() & IORING_SETUP_SINGLE_ISSUER) != 0, best.description());
        }
        try (Ring coop = Ring.open(RingOptions.of(8).refusing(IORING_SETUP_DEFER_TASKRUN))) {
            assertEquals(0, coop.setupFlags() & IORING_SETUP_DEFER_TASKRUN);
            assertTrue((coop.setupFlags() & IORING_SETUP_COOP_TASKRUN) != 0, coop.description());
            roundTrip(coop);
        }
        try (Ring bare = Ring.open(RingOptions.of(8).refusing(RingOptions.LADDER_FLAGS))) {
            assertEquals(0, bare.setupFlags());
            assertFalse(bare.taskrunFlag());
            roundTrip(bare);
        }
    }

    @Test
    void ladderCandidatesNeverPairFlagsTheKernelRejects() {
        for (int refused : new int[] {0, IORING_SETUP_SINGLE_ISSUER, IORING_SETUP_COOP_TASKRUN,
                IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN, RingOptions.LADDER_FLAGS}) {
            List<Integer> candidates = RingSetup.candidates(refused);
            assertEquals(0, candidates.get(candidates.size() - 1), "the ladder ends with no flags");
            for (int flags : candidates) {
                assertEquals(0, flags & refused);
                if ((flags & IORING_SETUP_TASKRUN_FLAG) != 0) {
                    assertTrue((flags & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN)) != 0);
                }
                if ((flags & IORING_SETUP_DEFER_TASKRUN) != 0) {
                    assertTrue((flags & IORING_SETUP_SINGLE_ISSUER) != 0);
                }
            }
        }
    }

    @Test
    void opcodeProbeReportsWhatThisDriverUses() throws Exception {
        try (Ring ring = Ring.open(RingOptions.of(8))) {
            OpcodeSupport ops = ring.opcodes();
            assertTrue(ops.probed(), ops.toString());
            for (int op : new int[] {IORING_OP_NOP, IORING_OP_READ, IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED,
                    IORING_OP_ASYNC_CANCEL, IORING_OP_LINK_TIMEOUT, IORING_OP_TIMEOUT}) {
                assertTrue(ops.supports(op), "opcode " + op);
            }
            assertFalse(ops.supports(255), "no kernel has 255 opcodes");
        }
    }

    @Test
    void anExtArgWaitEndsWithEtimeWhenNothingCompletes() throws Exception {
        try (Ring ring = Ring.open(RingOptions.of(8))) {
            assertTrue(ring.extArgWaits(), ring.description());
            assertEquals(-Errno.ETIME, ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(20)));
        }
    }

    @Test
    void withoutExtArgATimeoutEntryBoundsTheWait() throws Exception {
        try (Ring ring = Ring.open(RingOptions.of(8).withExtArg(false)); Arena arena = Arena.ofConfined()) {
            assertFalse(ring.extArgWaits());
            assertThrows(IllegalStateException.class, () -> ring.submitAndWait(1, 1_000));
            MemorySegment ts = arena.allocate(IoUringLayouts.KERNEL_TIMESPEC);
            Structs.setTimespec(ts, TimeUnit.MILLISECONDS.toNanos(10));
            assertTrue(ring.tryReserve(1));
            ring.sq().next().prepTimeout(ts.address(), 0, 0).userData(99);
            assertEquals(1, ring.submitAndWait(1, -1));
            List<long[]> seen = drainUntil(ring, 1);
            assertEquals(99, seen.get(0)[0]);
            assertEquals(-Errno.ETIME, seen.get(0)[1]);
        }
    }

    @Test
    void descriptionSaysWhatWasChosen() throws Exception {
        try (Ring ring = Ring.open(RingOptions.of(16))) {
            String line = ring.description();
            assertTrue(line.contains("sq=16"), line);
            assertTrue(line.contains("setup "), line);
            assertTrue(line.contains("waits EXT_ARG"), line);
            assertFalse(line.contains("\n"));
        }
    }

    private static void roundTrip(Ring ring) {
        assertTrue(ring.tryReserve(1));
        ring.sq().next().prepNop().userData(5);
        ring.submit();
        assertEquals(5, drainUntil(ring, 1).get(0)[0]);
    }

    /** Drains until {@code count} completions were seen, entering the kernel when it holds more. */
    static List<long[]> drainUntil(Ring ring, int count) {
        List<long[]> seen = new ArrayList<>();
        while (seen.size() < count) {
            ring.cq().drain((u, r, f) -> seen.add(new long[] {u, r, f}));
            if (seen.size() < count) {
                int r = ring.completionsNeedFlush() ? ring.submitAndGetEvents() : ring.submitAndWait(1, -1);
                assertTrue(r >= 0 || r == -Errno.EINTR, "io_uring_enter: " + Errno.describe(-r));
            }
        }
        return seen;
    }

    private static void assertAllDistinct(List<long[]> seen, int expected) {
        Set<Long> userData = new HashSet<>();
        for (long[] c : seen) {
            assertEquals(0, c[1], "NOP result");
            assertTrue(userData.add(c[0]), "duplicate completion " + c[0]);
        }
        assertEquals(expected, userData.size());
        for (long i = 0; i < expected; i++) {
            assertTrue(userData.contains(i), "missing completion " + i);
        }
    }
}
