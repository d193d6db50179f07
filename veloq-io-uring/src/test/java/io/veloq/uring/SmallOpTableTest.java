package io.veloq.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.buffer.ExhaustionPolicy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link IoUringConfig#withMaxInFlight} accepts any limit from 1: a driver with fewer slots than
 * the op table's first chunk opens, and enforces the limit with a clear exception.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmallOpTableTest {

    private static final IoUringConfig TWO_IN_FLIGHT = IoUringConfig.defaults()
            .withBufferPool(new BufferPoolConfig(4096, 2, ExhaustionPolicy.FAIL))
            .withMaxInFlight(2);

    @BeforeEach
    void assumeIoUring() {
        TestSupport.assumeIoUring();
    }

    @Test
    void aLimitBelowTheFirstChunkOpensAndIsEnforced() throws Exception {
        try (TestWorker worker = new TestWorker(TWO_IN_FLIGHT)) {
            IoUringDriver driver = worker.driver();
            String refusal = worker.call(() -> {
                assertEquals(0, driver.submitAndAwait(sqe -> sqe.prepNop()));
                return "ok";
            });
            assertEquals("ok", refusal);
            // Two operations parked on a pipe fill the table; the third is refused, not queued.
            try (IoUringDriverTest.Pipe pipe = new IoUringDriverTest.Pipe(); Arena arena = Arena.ofShared()) {
                MemorySegment one = arena.allocate(1);
                MemorySegment two = arena.allocate(1);
                TestWorker.Task<Integer> first = worker.spawn(
                        () -> driver.submitAndAwait(sqe -> sqe.prepRead(pipe.readFd, one, -1)));
                TestWorker.Task<Integer> second = worker.spawn(
                        () -> driver.submitAndAwait(sqe -> sqe.prepRead(pipe.readFd, two, -1)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (worker.call(() -> driver.stats().pending()) < 2) {
                    assertTrue(System.nanoTime() < deadline, "the two reads never parked");
                    Thread.sleep(1);
                }
                IllegalStateException full = worker.call(() -> assertThrows(IllegalStateException.class,
                        () -> driver.submitAndAwait(sqe -> sqe.prepNop())));
                assertTrue(full.getMessage().contains("2 operations already in flight"), full.getMessage());
                pipe.write("ab");
                assertEquals(1, (int) TestWorker.await(first.result()));
                assertEquals(1, (int) TestWorker.await(second.result()));
            }
        }
    }
}
