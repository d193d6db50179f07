package io.veloq.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.core.RuntimeContext;
import io.veloq.join.JoinHandle;
import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.buffer.ExhaustionPolicy;
import io.veloq.uring.buffer.RegisteredBuffer;
import io.veloq.uring.ffi.PosixConstants;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The driver inside veloq-core's runtime: I/O from tasks on every worker, cancellation, clean shutdown. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RuntimeIntegrationTest {

    private static final IoUringDriverFactory FACTORY = new IoUringDriverFactory(IoUringConfig.defaults()
            .withBufferPool(new BufferPoolConfig(4096, 8, ExhaustionPolicy.FALLBACK)));

    /** What this test's runtimes report to their uncaught-exception handler: nothing is expected. */
    private final UncaughtReports reports = new UncaughtReports();

    @BeforeEach
    void requireIoUring() {
        TestSupport.assumeIoUring();
    }

    @AfterEach
    void nothingWasReported() {
        reports.assertOnlyJoinedFailures();
    }

    private Runtime runtime() {
        return Runtime.builder().workers(2).pinning(false).driverFactory(FACTORY).uncaughtExceptionHandler(reports)
                .build();
    }

    @Test
    void tasksOnEveryWorkerDoIoAndShutdownLeavesNoRingBehind(@TempDir Path dir) throws Exception {
        byte[] content = new byte[2 * 4096];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("data"), content);
        try (Runtime warmUp = runtime()) {
            warmUp.spawnOn(0, () -> IoUringDriver.current().submitAndAwait(sqe -> sqe.prepNop())).join();
        }
        Set<String> fdsBefore = TestSupport.openFds();
        long ringsBefore = TestSupport.ringFds();
        try (Runtime runtime = runtime()) {
            List<JoinHandle<Integer>> nops = new ArrayList<>();
            for (int worker = 0; worker < 2; worker++) {
                int expected = worker;
                nops.add(runtime.spawnOn(worker, () -> {
                    IoUringDriver driver = IoUringDriver.current();
                    assertSame(RuntimeContext.current().driver(), driver, "core's context and the carrier lookup agree");
                    assertEquals(expected, driver.workerIndex());
                    int completed = 0;
                    for (int i = 0; i < 200; i++) {
                        completed += driver.submitAndAwait(sqe -> sqe.prepNop()) + 1;
                    }
                    return completed;
                }));
            }
            for (JoinHandle<Integer> handle : nops) {
                assertEquals(200, handle.join());
            }
            byte[] second = runtime.spawnOn(1, () -> readFixed(file, 4096)).join();
            assertArrayEquals(Arrays.copyOfRange(content, 4096, 8192), second);
            assertEquals(ringsBefore + 2, TestSupport.ringFds(), "one ring per worker while running");
        }
        awaitDescriptors(fdsBefore, ringsBefore);
    }

    @Test
    void cancellingATaskCancelsItsOperation() throws Exception {
        try (Runtime runtime = runtime(); IoUringDriverTest.Pipe pipe = new IoUringDriverTest.Pipe()) {
            JoinHandle<Integer> reader = runtime.spawnOn(0, () -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(8);
                    return IoUringDriver.current().submitAndAwait(sqe -> sqe.prepRead(pipe.readFd, buffer, -1));
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (runtime.spawnOn(0, () -> IoUringDriver.current().stats().pending()).join() == 0) {
                assertTrue(System.nanoTime() < deadline, "the read did not start");
                Thread.sleep(2);
            }
            reader.cancel(true);
            assertThrows(CancellationException.class, reader::join);
            while (runtime.spawnOn(0, () -> IoUringDriver.current().stats().pending()).join() != 0) {
                assertTrue(System.nanoTime() < deadline, "the cancelled read is still in flight");
                Thread.sleep(2);
            }
        }
    }

    private static byte[] readFixed(Path file, long offset) throws Exception {
        IoUringDriver driver = IoUringDriver.current();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(file.toString());
            fd = driver.submitAndAwaitRaw(sqe -> sqe.prepOpenat(PosixConstants.AT_FDCWD, path.address(),
                    PosixConstants.O_RDONLY | PosixConstants.O_CLOEXEC, 0), Long.MAX_VALUE, ResultKind.FD);
        }
        assertTrue(fd >= 0, "open: " + fd);
        try (RegisteredBuffer buffer = driver.bufferPool().lease()) {
            assertTrue(buffer.isRegistered());
            int n = driver.submitAndAwait(sqe -> buffer.prepareRead(sqe, fd, offset, 4096));
            return buffer.segment().asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } finally {
            driver.submitAndAwait(sqe -> sqe.prepClose(fd));
        }
    }

    /** Waits (bounded) for the workers' drivers to be closed, then compares descriptors exactly. */
    private static void awaitDescriptors(Set<String> fdsBefore, long ringsBefore) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (TestSupport.ringFds() != ringsBefore && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(ringsBefore, TestSupport.ringFds(), "every ring was closed");
        assertEquals(fdsBefore, TestSupport.openFds(), "no descriptor leaked");
    }
}
