package io.veloq.uring.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.TestSupport;
import io.veloq.uring.TestWorker;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.PosixConstants;
import io.veloq.uring.ring.Ring;
import io.veloq.uring.ring.RingOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lease, release, confinement, use after release, the three exhaustion policies and RLIMIT_MEMLOCK. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RegisteredBufferPoolTest {

    private static IoUringConfig pool(int count, ExhaustionPolicy policy) {
        return IoUringConfig.defaults().withBufferPool(new BufferPoolConfig(4096, count, policy));
    }

    @BeforeEach
    void requireIoUring() {
        TestSupport.assumeIoUring();
    }

    @Test
    void aLeasedBufferIsPageAlignedRegisteredAndReturnedOnClose() throws Exception {
        try (TestWorker worker = new TestWorker(pool(4, ExhaustionPolicy.FAIL))) {
            worker.call(() -> {
                RegisteredBufferPool pool = IoUringDriver.current().bufferPool();
                assertEquals(4, pool.available());
                try (RegisteredBuffer buffer = pool.lease()) {
                    assertTrue(buffer.isRegistered());
                    assertEquals(0, buffer.bufIndex(), "one slab, registered as iovec 0");
                    assertEquals(4096, buffer.capacity());
                    assertEquals(0, buffer.address() % LibC.sysconf(PosixConstants._SC_PAGESIZE));
                    buffer.segment().fill((byte) 7);
                    assertEquals(7, buffer.segment().get(ValueLayout.JAVA_BYTE, 4095));
                    assertEquals(3, pool.available());
                    assertEquals(1, pool.leased());
                }
                assertEquals(4, pool.available());
                assertEquals(0, pool.leased());
                return null;
            });
        }
    }

    @Test
    void useAfterReleaseIsDetectedAndDoubleCloseIsHarmless() throws Exception {
        try (TestWorker worker = new TestWorker(pool(2, ExhaustionPolicy.FAIL))) {
            worker.call(() -> {
                RegisteredBuffer buffer = IoUringDriver.current().bufferPool().lease();
                MemorySegment kept = buffer.segment();
                buffer.close();
                assertTrue(buffer.isReleased());
                assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_BYTE, 0),
                        "the segment's arena closed with the lease");
                assertThrows(IllegalStateException.class, buffer::segment);
                assertThrows(IllegalStateException.class, buffer::address);
                buffer.close();
                // the next lease of the same memory is a new, working handle
                try (RegisteredBuffer next = IoUringDriver.current().bufferPool().lease()) {
                    next.segment().set(ValueLayout.JAVA_LONG, 0, 42L);
                    assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_LONG, 0));
                }
                return null;
            });
        }
    }

    @Test
    void aBufferIsConfinedToItsTaskAndThePoolToItsWorker() throws Exception {
        try (TestWorker worker = new TestWorker(0, pool(2, ExhaustionPolicy.FAIL));
             TestWorker other = new TestWorker(1, pool(2, ExhaustionPolicy.FAIL))) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<RegisteredBuffer> leased = new CompletableFuture<>();
            CompletableFuture<MemorySegment> segment = new CompletableFuture<>();
            TestWorker.Task<Integer> owner = worker.spawn(() -> {
                try (RegisteredBuffer buffer = IoUringDriver.current().bufferPool().lease()) {
                    leased.complete(buffer);
                    segment.complete(buffer.segment());
                    done.get(20, TimeUnit.SECONDS);
                }
                return IoUringDriver.current().bufferPool().available();
            });
            RegisteredBuffer foreign = leased.get(20, TimeUnit.SECONDS);
            WrongThreadException e = assertThrows(WrongThreadException.class, foreign::segment);
            assertTrue(e.getMessage().contains("confined to the task"), e.getMessage());
            assertThrows(WrongThreadException.class, foreign::close);
            assertThrows(WrongThreadException.class, () -> segment.get().get(ValueLayout.JAVA_BYTE, 0));
            RegisteredBufferPool firstPool = worker.driver().bufferPool();
            Exception fromOtherWorker = assertThrows(WrongThreadException.class, () -> other.call(firstPool::lease));
            assertTrue(fromOtherWorker.getMessage().contains("worker 0"), fromOtherWorker.getMessage());
            assertThrows(WrongThreadException.class, firstPool::lease, "nor from a thread outside the runtime");
            done.complete(null);
            assertEquals(2, TestWorker.await(owner.result()));
        }
    }

    @Test
    void exhaustionFailsWhenThePolicyIsFail() throws Exception {
        try (TestWorker worker = new TestWorker(pool(2, ExhaustionPolicy.FAIL))) {
            worker.call(() -> {
                RegisteredBufferPool pool = IoUringDriver.current().bufferPool();
                try (RegisteredBuffer a = pool.lease(); RegisteredBuffer b = pool.lease()) {
                    assertTrue(a.bufIndex() == 0 && b.bufIndex() == 0 && a.address() != b.address());
                    assertNull(pool.tryLease());
                    BufferPoolExhaustedException e = assertThrows(BufferPoolExhaustedException.class, pool::lease);
                    assertTrue(e.getMessage().contains("all 2 registered buffers of worker 0"), e.getMessage());
                }
                assertEquals(2, pool.available());
                return null;
            });
        }
    }

    @Test
    void exhaustionFallsBackToUnregisteredMemory() throws Exception {
        try (TestWorker worker = new TestWorker(pool(1, ExhaustionPolicy.FALLBACK))) {
            worker.call(() -> {
                RegisteredBufferPool pool = IoUringDriver.current().bufferPool();
                try (RegisteredBuffer registered = pool.lease(); RegisteredBuffer fallback = pool.lease()) {
                    assertTrue(registered.isRegistered());
                    assertFalse(fallback.isRegistered());
                    assertEquals(-1, fallback.bufIndex());
                    assertEquals(4096, fallback.capacity());
                    assertEquals(0, fallback.address() % 4096);
                    fallback.segment().fill((byte) 1);
                    assertEquals(1, pool.fallbackLeases());
                }
                assertEquals(1, pool.available());
                return null;
            });
        }
    }

    @Test
    void exhaustionWaitsForAReturnedBuffer() throws Exception {
        try (TestWorker worker = new TestWorker(pool(1, ExhaustionPolicy.WAIT))) {
            RegisteredBufferPool pool = worker.driver().bufferPool();
            CompletableFuture<Void> release = new CompletableFuture<>();
            CompletableFuture<Long> holderAddress = new CompletableFuture<>();
            TestWorker.Task<Void> holder = worker.spawn(() -> {
                try (RegisteredBuffer buffer = pool.lease()) {
                    holderAddress.complete(buffer.address());
                    release.get(20, TimeUnit.SECONDS);
                }
                return null;
            });
            long address = holderAddress.get(20, TimeUnit.SECONDS);
            TestWorker.Task<Long> waiter = worker.spawn(() -> {
                try (RegisteredBuffer buffer = pool.lease()) {
                    return buffer.address();
                }
            });
            awaitWaiting(worker, pool, 1);
            assertFalse(waiter.result().isDone(), "no buffer is free until the holder returns its own");
            release.complete(null);
            assertEquals(address, TestWorker.await(waiter.result()), "the returned buffer went to the waiter");
            TestWorker.await(holder.result());
            assertEquals(1, (int) worker.call(pool::available));
        }
    }

    @Test
    void aWaitingLeaseCanBeInterrupted() throws Exception {
        try (TestWorker worker = new TestWorker(pool(1, ExhaustionPolicy.WAIT))) {
            RegisteredBufferPool pool = worker.driver().bufferPool();
            CompletableFuture<Void> release = new CompletableFuture<>();
            CompletableFuture<Void> holding = new CompletableFuture<>();
            TestWorker.Task<Void> holder = worker.spawn(() -> {
                try (RegisteredBuffer ignored = pool.lease()) {
                    holding.complete(null);
                    release.get(20, TimeUnit.SECONDS);
                }
                return null;
            });
            holding.get(20, TimeUnit.SECONDS);
            TestWorker.Task<Boolean> waiter = worker.spawn(() -> {
                assertThrows(InterruptedIOException.class, pool::lease);
                return Thread.currentThread().isInterrupted();
            });
            awaitWaiting(worker, pool, 1);
            waiter.thread().interrupt();
            assertTrue(TestWorker.await(waiter.result()), "the interrupt status is kept");
            assertEquals(0, (int) worker.call(pool::waiting));
            release.complete(null);
            TestWorker.await(holder.result());
            assertEquals(1, (int) worker.call(pool::available));
        }
    }

    /**
     * The driver's start-up against a limit it is given: 8 MiB, the default RLIMIT_MEMLOCK of
     * current kernels. Given rather than read, so that the check runs here whatever this process's
     * own limit is (CAP_IPC_LOCK lifts it for root; some machines leave it unlimited).
     * {@link MemlockLimitTest} covers where the limit comes from; {@code DriverChoiceTest} and
     * {@code IoGuideExamplesTest} meet the real one.
     */
    @Test
    void aPoolAboveRlimitMemlockFailsStartUpNamingTheLimit() throws Exception {
        long limit = 8L << 20;
        int count = (int) (limit / (1 << 20) + 1);
        IoUringConfig tooBig = IoUringConfig.defaults()
                .withBufferPool(new BufferPoolConfig(1 << 20, count, ExhaustionPolicy.FAIL));
        new TestWorker(pool(1, ExhaustionPolicy.FAIL)).close(); // warm-up
        Set<String> before = TestSupport.openFds();
        IOException e = assertThrows(IOException.class, () -> TestWorker.withMemlockLimit(tooBig, limit));
        assertTrue(e.getMessage().contains("The registered buffer pool of worker 0 (9 x 1 MiB) needs 9 MiB"),
                e.getMessage());
        assertTrue(e.getMessage().contains("RLIMIT_MEMLOCK is 8 MiB"), e.getMessage());
        for (String hint : new String[] {"ulimit -l", "LimitMEMLOCK", "--ulimit memlock"}) {
            assertTrue(e.getMessage().contains(hint), e.getMessage());
        }
        assertEquals(before, TestSupport.openFds(), "the failed start-up released its ring and eventfd");
    }

    @Test
    void poolsAreAccountedTogetherAgainstTheLimit() throws Exception {
        BufferPoolConfig sixtyFourKiB = new BufferPoolConfig(4096, 16, ExhaustionPolicy.FAIL);
        long limit = MemlockBudget.registered() + 100 * 1024;
        try (Ring first = Ring.open(RingOptions.of(8)); Ring second = Ring.open(RingOptions.of(8))) {
            RegisteredBufferPool a = RegisteredBufferPool.create(first, sixtyFourKiB, "worker 0", () -> true, limit);
            try {
                IOException e = assertThrows(IOException.class,
                        () -> RegisteredBufferPool.create(second, sixtyFourKiB, "worker 1", () -> true, limit));
                assertTrue(e.getMessage().contains("worker 1"), e.getMessage());
                assertTrue(e.getMessage().contains("registered already"), e.getMessage());
                assertTrue(e.getMessage().contains("RLIMIT_MEMLOCK"), e.getMessage());
            } finally {
                a.close();
            }
            RegisteredBufferPool b = RegisteredBufferPool.create(second, sixtyFourKiB, "worker 1", () -> true, limit);
            assertEquals(64 * 1024, b.registeredBytes(), "fits once the first pool released its share");
            b.close();
        }
    }

    private static void awaitWaiting(TestWorker worker, RegisteredBufferPool pool, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (worker.call(pool::waiting) < expected) {
            assertTrue(System.nanoTime() < deadline, "the lease did not start waiting");
            Thread.sleep(2);
        }
    }
}
