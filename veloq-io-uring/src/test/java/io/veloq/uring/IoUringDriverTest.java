package io.veloq.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_MSG_RING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.driver.DriverFactory;
import io.veloq.uring.ffi.IoUringConstants;
import io.veloq.uring.ring.RingOptions;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The driver end to end on a test worker: submission, completion, cancellation, close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoUringDriverTest {

    private static final IoUringConfig SMALL = IoUringConfig.defaults()
            .withBufferPool(new io.veloq.uring.buffer.BufferPoolConfig(4096, 4,
                    io.veloq.uring.buffer.ExhaustionPolicy.FAIL));

    @BeforeEach
    void requireIoUring() {
        TestSupport.assumeIoUring();
    }

    @Test
    void nopsRoundTripFromManyTasks() throws Exception {
        try (TestWorker worker = new TestWorker(SMALL)) {
            IoUringDriver driver = worker.driver();
            assertEquals(0, (int) worker.call(() -> IoUringDriver.current().submitAndAwait(sqe -> sqe.prepNop())));
            List<TestWorker.Task<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 300; t++) {
                tasks.add(worker.spawn(() -> {
                    int sum = 0;
                    for (int i = 0; i < 10; i++) {
                        sum += driver.submitAndAwait(sqe -> sqe.prepNop()) + 1;
                    }
                    return sum;
                }));
            }
            for (TestWorker.Task<Integer> task : tasks) {
                assertEquals(10, TestWorker.await(task.result()));
            }
            IoUringDriver.Stats stats = worker.call(driver::stats);
            assertEquals(0, stats.pending());
            assertEquals(0, stats.inFlight(), "every slot was returned");
            assertEquals(0, stats.staleCompletions());
            assertEquals(0, stats.duplicateCompletions());
        }
    }

    @Test
    void aTinyRingBatchesAndOverflowsWithoutLosingAnOperation() throws Exception {
        IoUringConfig tiny = SMALL.withRing(RingOptions.of(8).withCqEntries(16));
        try (TestWorker worker = new TestWorker(tiny)) {
            IoUringDriver driver = worker.driver();
            List<TestWorker.Task<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 400; t++) {
                tasks.add(worker.spawn(() -> driver.submitAndAwait(sqe -> sqe.prepNop()) + 1));
            }
            int done = 0;
            for (TestWorker.Task<Integer> task : tasks) {
                done += TestWorker.await(task.result());
            }
            assertEquals(400, done);
            IoUringDriver.Stats stats = worker.call(driver::stats);
            assertEquals(0, stats.pending());
            assertTrue(stats.overflowFlushes() > 0, "400 operations queued in one round must overflow a 16-entry CQ: " + stats);
        }
    }

    @Test
    void theLinkTimeoutCancelsAReadThatNeverCompletes() throws Exception {
        assertDeadlineCancels(SMALL);
    }

    @Test
    void aSelfTimedDeadlineCancelsWithAsyncCancel() throws Exception {
        assertDeadlineCancels(SMALL.withLinkTimeouts(false));
    }

    private static void assertDeadlineCancels(IoUringConfig config) throws Exception {
        try (TestWorker worker = new TestWorker(config); Pipe pipe = new Pipe()) {
            IoUringDriver driver = worker.driver();
            assertThrows(InterruptedByTimeoutException.class, () -> worker.call(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(16);
                    return driver.submitAndAwait(sqe -> sqe.prepRead(pipe.readFd, buffer, -1),
                            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30));
                }
            }));
            pipe.write("x");
            assertEquals("x", worker.call(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(16);
                    int n = driver.submitAndAwait(sqe -> sqe.prepRead(pipe.readFd, buffer, -1),
                            System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
                    return new String(buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                            StandardCharsets.UTF_8);
                }
            }), "a deadline that does not pass changes nothing");
            assertEquals(0, (int) worker.call(() -> driver.stats().pending()));
        }
    }

    @Test
    void anInterruptCancelsTheOperationAndKeepsTheInterruptStatus() throws Exception {
        try (TestWorker worker = new TestWorker(SMALL); Pipe pipe = new Pipe()) {
            IoUringDriver driver = worker.driver();
            TestWorker.Task<Boolean> task = worker.spawn(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(16);
                    InterruptedIOException e = assertThrows(InterruptedIOException.class,
                            () -> driver.submitAndAwait(sqe -> sqe.prepRead(pipe.readFd, buffer, -1)));
                    assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
                    return Thread.currentThread().isInterrupted();
                }
            });
            awaitPending(worker, 1);
            task.thread().interrupt();
            assertTrue(TestWorker.await(task.result()), "the interrupt status survives the cancellation");
            assertEquals(0, (int) worker.call(() -> driver.stats().pending()));
        }
    }

    @Test
    void aLateDescriptorOfAnInterruptedTaskIsClosed(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "data");
        try (TestWorker worker = new TestWorker(SMALL)) {
            IoUringDriver driver = worker.driver();
            worker.call(() -> driver.submitAndAwait(sqe -> sqe.prepNop())); // warm-up
            Set<String> before = TestSupport.openFds();
            for (int i = 0; i < 20; i++) {
                assertThrows(InterruptedIOException.class, () -> worker.call(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment path = arena.allocateFrom(file.toString());
                        return driver.submitAndAwaitRaw(sqe -> {
                            sqe.prepOpenat(-100, path.address(), 0, 0);
                            Thread.currentThread().interrupt(); // seen after submission: the open races its cancel
                        }, Long.MAX_VALUE, ResultKind.FD);
                    }
                }));
            }
            assertEquals(before, TestSupport.openFds(), "every descriptor opened for an interrupted task was closed");
        }
    }

    @Test
    void anInterruptBeforeSubmissionSubmitsNothing() throws Exception {
        try (TestWorker worker = new TestWorker(SMALL)) {
            IoUringDriver driver = worker.driver();
            assertThrows(InterruptedIOException.class, () -> worker.call(() -> {
                Thread.currentThread().interrupt();
                return driver.submitAndAwait(sqe -> sqe.prepNop());
            }));
            assertThrows(InterruptedByTimeoutException.class,
                    () -> worker.call(() -> driver.submitAndAwait(sqe -> sqe.prepNop(), System.nanoTime() - 1)));
        }
    }

    @Test
    void aStaleCompletionIsDetectedAndNotDelivered() throws Exception {
        try (TestWorker worker = new TestWorker(SMALL)) {
            IoUringDriver driver = worker.driver();
            assertTrue(driver.supports(IORING_OP_MSG_RING));
            int ringFd = worker.call(() -> driver.ring().fd());
            // The first operation uses slot 0, generation 1; the next one slot 0, generation 2.
            assertEquals(0, (int) worker.call(() -> driver.submitAndAwait(sqe -> sqe.prepNop())));
            long stale = UserData.pack(0, 1);
            assertEquals(0, (int) worker.call(() -> driver.submitAndAwait(
                    sqe -> sqe.prepMsgRing(ringFd, 77, stale, 0))), "the message itself succeeds");
            IoUringDriver.Stats stats = worker.call(driver::stats);
            assertEquals(1, stats.staleCompletions(), "the forged completion for generation 1 was recognised");
            assertEquals(0, stats.pending());
        }
    }

    @Test
    void aWriterThatThrowsLeavesNoOperationBehind() throws Exception {
        try (TestWorker worker = new TestWorker(SMALL)) {
            IoUringDriver driver = worker.driver();
            assertThrows(IllegalArgumentException.class, () -> worker.call(() -> driver.submitAndAwait(sqe -> {
                throw new IllegalArgumentException("bad operand");
            })));
            assertThrows(IllegalArgumentException.class, () -> worker.call(() -> driver.submitAndAwait(
                    sqe -> sqe.prepNop().flags(IoUringConstants.IOSQE_IO_LINK))));
            assertEquals(0, (int) worker.call(() -> driver.submitAndAwait(sqe -> sqe.prepNop())));
            assertEquals(0, (int) worker.call(() -> driver.stats().pending()));
        }
    }

    @Test
    void negativeResultsBecomeTheJdksExceptions() throws Exception {
        try (TestWorker worker = new TestWorker(SMALL)) {
            IoUringDriver driver = worker.driver();
            assertThrows(java.nio.channels.ClosedChannelException.class, () -> worker.call(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(8);
                    return driver.submitAndAwait(sqe -> sqe.prepRead(999_999, buffer, 0)); // no such fd: EBADF
                }
            }));
            assertEquals(-io.veloq.uring.ffi.Errno.ENOENT, (int) worker.call(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment path = arena.allocateFrom("/nonexistent/veloq");
                    return driver.submitAndAwaitRaw(sqe -> sqe.prepOpenat(-100, path.address(), 0, 0),
                            Long.MAX_VALUE, ResultKind.FD);
                }
            }));
        }
    }

    @Test
    void closingWithOperationsInFlightResumesEveryWaiterAndLeaksNothing() throws Exception {
        Set<String> before;
        long ringsBefore;
        try (TestWorker warm = new TestWorker(SMALL)) {
            warm.call(() -> warm.driver().submitAndAwait(sqe -> sqe.prepNop()));
        }
        try (Pipe pipe = new Pipe()) {
            before = TestSupport.openFds();
            ringsBefore = TestSupport.ringMappings();
            TestWorker worker = new TestWorker(SMALL);
            IoUringDriver driver = worker.driver();
            List<TestWorker.Task<Integer>> readers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                readers.add(worker.spawn(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment buffer = arena.allocate(8);
                        return driver.submitAndAwait(sqe -> sqe.prepRead(pipe.readFd, buffer, -1));
                    }
                }));
            }
            awaitPending(worker, 10);
            worker.closeNow();
            for (TestWorker.Task<Integer> reader : readers) {
                Exception e = assertThrows(Exception.class, () -> TestWorker.await(reader.result()));
                assertInstanceOf(DriverClosedException.class, e);
            }
            assertEquals(before, TestSupport.openFds());
            assertEquals(ringsBefore, TestSupport.ringMappings());
        }
    }

    @Test
    void callersOutsideTheWorkerAreRejected() throws Exception {
        try (TestWorker one = new TestWorker(0, SMALL); TestWorker two = new TestWorker(1, SMALL)) {
            IoUringDriver first = one.driver();
            assertThrows(IllegalStateException.class, () -> first.submitAndAwait(sqe -> sqe.prepNop()),
                    "a platform thread would block the worker");
            assertThrows(IllegalStateException.class, IoUringDriver::current);
            assertThrows(WrongThreadException.class, () -> two.call(() -> first.submitAndAwait(sqe -> sqe.prepNop())));
            assertThrows(IllegalStateException.class, first::poll, "poll is for the owner only");
            assertEquals(1, (int) two.call(() -> IoUringDriver.current().workerIndex()));
        }
    }

    @Test
    void theFactoryIsFoundByServiceLoaderAndDescribesItsChoice() throws Exception {
        List<DriverFactory> factories = new ArrayList<>();
        ServiceLoader.load(DriverFactory.class).forEach(factories::add);
        assertTrue(factories.stream().anyMatch(f -> f instanceof IoUringDriverFactory), factories.toString());
        IoUringDriverFactory factory = new IoUringDriverFactory(SMALL);
        String[] description = new String[1];
        Thread thread = Thread.ofPlatform().start(() -> {
            try (var driver = factory.create(3)) {
                description[0] = driver.description();
            } catch (Exception e) {
                description[0] = e.toString();
            }
        });
        thread.join();
        assertTrue(description[0].startsWith("io_uring worker 3: sq=256 cq=1024"), description[0]);
        assertTrue(description[0].contains("registered buffers 4 x 4096"), description[0]);
        assertFalse(description[0].contains("\n"));
    }

    @Test
    void theOldestKernelPathStillWorks() throws Exception {
        IoUringConfig oldest = SMALL.withRing(RingOptions.of(8).refusing(RingOptions.LADDER_FLAGS).withExtArg(false))
                .withLinkTimeouts(false).withMessageRingWakeups(false);
        try (TestWorker worker = new TestWorker(oldest); Pipe pipe = new Pipe()) {
            IoUringDriver driver = worker.driver();
            assertTrue(driver.description().contains("setup none"), driver.description());
            assertTrue(driver.description().contains("waits TIMEOUT entry"), driver.description());
            List<TestWorker.Task<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                tasks.add(worker.spawn(() -> driver.submitAndAwait(sqe -> sqe.prepNop()) + 1));
            }
            for (TestWorker.Task<Integer> task : tasks) {
                assertEquals(1, TestWorker.await(task.result()));
            }
            assertThrows(InterruptedByTimeoutException.class, () -> worker.call(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(8);
                    return driver.submitAndAwait(sqe -> sqe.prepRead(pipe.readFd, buffer, -1),
                            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
                }
            }));
            pipe.write("y");
            assertEquals(1, (int) worker.call(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(8);
                    return driver.submitAndAwait(sqe -> sqe.prepRead(pipe.readFd, buffer, -1));
                }
            }));
        }
    }

    static void awaitPending(TestWorker worker, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (worker.call(() -> worker.driver().stats().pending()) < expected) {
            assertTrue(System.nanoTime() < deadline, "operations did not start");
            Thread.sleep(2);
        }
    }

    /** A pipe whose read end never has data unless the test writes some. */
    static final class Pipe implements AutoCloseable {
        final int readFd;
        final int writeFd;

        Pipe() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment fds = arena.allocate(8);
                int r = io.veloq.uring.ffi.LibC.pipe2(io.veloq.uring.ffi.Native.allocateCallState(arena), fds,
                        io.veloq.uring.ffi.PosixConstants.O_CLOEXEC);
                assertEquals(0, r);
                readFd = fds.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
                writeFd = fds.get(java.lang.foreign.ValueLayout.JAVA_INT, 4);
            }
        }

        void write(String text) {
            try (Arena arena = Arena.ofConfined()) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                MemorySegment data = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, bytes);
                assertEquals(bytes.length, io.veloq.uring.ffi.LibC.write(writeFd, data, bytes.length));
            }
        }

        @Override
        public void close() {
            io.veloq.uring.ffi.LibC.close(readFd);
            io.veloq.uring.ffi.LibC.close(writeFd);
        }
    }
}
