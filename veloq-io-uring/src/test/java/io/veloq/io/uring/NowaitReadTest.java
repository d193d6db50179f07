package io.veloq.io.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_FADVISE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.io.file.FileOption;
import io.veloq.join.JoinHandle;
import io.veloq.uring.IoUring;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.IoUringDriverFactory;
import io.veloq.uring.TestSupport;
import io.veloq.uring.UncaughtReports;
import io.veloq.uring.buffer.RegisteredBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page-cache fast path of file reads ({@code UringFile.READ_NOWAIT}): cached data comes from
 * {@code preadv2(RWF_NOWAIT)} without the ring, data that is not cached from the READ on the ring,
 * for direct and heap {@code ByteBuffer}s and registered buffers alike; the close gate, interrupts
 * and O_DIRECT are treated as on the ring path. The driver's counters ({@code nowaitReads},
 * {@code nowaitMisses}) say which path served each read. Each test runs on a fresh runtime and
 * checks afterwards that no descriptor and no registered buffer was left behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NowaitReadTest {

    /** POSIX_FADV_DONTNEED (<fcntl.h>, Linux): drop the file's clean pages from the page cache. */
    private static final int POSIX_FADV_DONTNEED = 4;

    @TempDir
    Path dir;

    @BeforeEach
    void assumeTheFastPath() {
        Assumptions.assumeTrue(IoUring.isAvailable(),
                () -> "io_uring unavailable: " + IoUring.unavailabilityReason().orElse("?"));
        Assumptions.assumeTrue(UringFile.READ_NOWAIT, "turned off with -Dveloq.io.readNowait=false");
    }

    @Test
    void cachedReadsAtRandomPositionsReturnTheFileBytesWithEveryBufferKind() throws Exception {
        byte[] data = random(1 << 20, 1);
        Path file = Files.write(dir.resolve("cached.bin"), data); // just written: in the page cache
        inRuntime(1, runtime -> {
            IoUringDriver driver = IoUringDriver.current();
            UringFile f = open(file);
            try (RegisteredBuffer registered = driver.bufferPool().lease()) {
                assertTrue(f.readsTryPageCache());
                IoUringDriver.Stats before = driver.stats();
                SplittableRandom random = new SplittableRandom(11);
                ByteBuffer direct = ByteBuffer.allocateDirect(8192);
                ByteBuffer heap = ByteBuffer.allocate(8192 + 3);
                int reads = 300;
                for (int i = 0; i < reads; i++) {
                    long position = random.nextInt(data.length); // near the end: a short read up to it
                    switch (i % 3) {
                        case 0 -> {
                            int length = 1 + random.nextInt(8192);
                            direct.clear().limit(length);
                            int expected = expectedCount(data, position, length);
                            assertEquals(expected, f.read(direct, position));
                            assertEquals(expected, direct.position());
                            assertEquals(slice(data, position, expected), direct.flip());
                        }
                        case 1 -> {
                            int length = 1 + random.nextInt(8192);
                            heap.clear().position(3).limit(3 + length);
                            int expected = expectedCount(data, position, length);
                            assertEquals(expected, f.read(heap, position));
                            assertEquals(3 + expected, heap.position());
                            assertEquals(slice(data, position, expected), heap.flip().position(3));
                        }
                        default -> {
                            int length = 1 + random.nextInt(registered.capacity() - 16);
                            int offset = random.nextInt(16);
                            int expected = expectedCount(data, position, length);
                            assertEquals(expected, f.read(registered, offset, length, position));
                            assertEquals(slice(data, position, expected),
                                    registered.segment().asSlice(offset, expected).asByteBuffer());
                        }
                    }
                }
                IoUringDriver.Stats after = driver.stats();
                assertEquals(reads, after.nowaitReads() - before.nowaitReads(), "preadv2 served every cached read");
                assertEquals(0, after.nowaitMisses() - before.nowaitMisses());
                assertEquals(before.completions(), after.completions(), "and the ring none");
            } finally {
                f.close();
            }
        });
    }

    @Test
    void readsAtAndAfterTheEndReturnMinusOneAndAReadOverItIsShort() throws Exception {
        byte[] data = random(1000, 2);
        Path file = Files.write(dir.resolve("short.bin"), data);
        inRuntime(1, runtime -> {
            IoUringDriver driver = IoUringDriver.current();
            UringFile f = open(file);
            try (RegisteredBuffer registered = driver.bufferPool().lease()) {
                IoUringDriver.Stats before = driver.stats();
                ByteBuffer direct = ByteBuffer.allocateDirect(100);
                ByteBuffer heap = ByteBuffer.allocate(100);
                for (long position : new long[] {1000, 1001, 1 << 20}) {
                    assertEquals(-1, f.read(direct.clear(), position));
                    assertEquals(0, direct.position(), "nothing read, the buffer untouched");
                    assertEquals(-1, f.read(heap.clear(), position));
                    assertEquals(0, heap.position());
                    assertEquals(-1, f.read(registered, 0, 100, position));
                }
                assertEquals(10, f.read(direct.clear(), 990));
                assertEquals(slice(data, 990, 10), direct.flip());
                assertEquals(10, f.read(heap.clear(), 990));
                assertEquals(slice(data, 990, 10), heap.flip());
                assertEquals(10, f.read(registered, 5, 100, 990));
                assertEquals(slice(data, 990, 10), registered.segment().asSlice(5, 10).asByteBuffer());
                IoUringDriver.Stats after = driver.stats();
                assertEquals(12, after.nowaitReads() - before.nowaitReads(), "end of file is a result of the fast path");
                assertEquals(0, after.nowaitMisses() - before.nowaitMisses());
            } finally {
                f.close();
            }
        });
    }

    @Test
    void pagesNotInTheCacheAreReadThroughTheRing() throws Exception {
        byte[] data = random(256 * 1024, 3);
        Path file = dir.resolve("cold.bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(data));
            channel.force(true); // clean pages: the advice below can drop them
        }
        inRuntime(1, runtime -> {
            IoUringDriver driver = IoUringDriver.current();
            UringFile f = open(file);
            try (RegisteredBuffer registered = driver.bufferPool().lease()) {
                for (int kind = 0; kind < 3; kind++) {
                    dropCachedPages(f);
                    long position = 64L * 1024 * (kind + 1);
                    IoUringDriver.Stats before = driver.stats();
                    switch (kind) {
                        case 0 -> {
                            ByteBuffer direct = ByteBuffer.allocateDirect(4096);
                            assertEquals(4096, f.read(direct, position));
                            assertEquals(slice(data, position, 4096), direct.flip());
                        }
                        case 1 -> {
                            ByteBuffer heap = ByteBuffer.allocate(4096);
                            assertEquals(4096, f.read(heap, position));
                            assertEquals(slice(data, position, 4096), heap.flip());
                        }
                        default -> {
                            assertEquals(4096, f.read(registered, 0, 4096, position));
                            assertEquals(slice(data, position, 4096), registered.segment().asSlice(0, 4096).asByteBuffer());
                        }
                    }
                    IoUringDriver.Stats after = driver.stats();
                    String what = "buffer kind " + kind;
                    assertEquals(1, after.nowaitMisses() - before.nowaitMisses(), what + ": the try found nothing cached");
                    assertEquals(0, after.nowaitReads() - before.nowaitReads(), what);
                    assertTrue(after.completions() > before.completions(), what + ": the ring served it");
                    assertTrue(f.readsTryPageCache(), "a miss is no refusal: the next read tries again");
                }
            } finally {
                f.close();
            }
        });
    }

    @Test
    void aClosedFileThrowsClosedChannelExceptionBeforeAnyTry() throws Exception {
        Path file = Files.write(dir.resolve("closed.bin"), random(8192, 4));
        inRuntime(1, runtime -> {
            IoUringDriver driver = IoUringDriver.current();
            UringFile f = open(file);
            f.close();
            try (RegisteredBuffer registered = driver.bufferPool().lease()) {
                IoUringDriver.Stats before = driver.stats();
                assertThrows(ClosedChannelException.class, () -> f.read(ByteBuffer.allocateDirect(16), 0));
                assertThrows(ClosedChannelException.class, () -> f.read(ByteBuffer.allocate(16), 0));
                assertThrows(ClosedChannelException.class, () -> f.read(registered, 0, 16, 0));
                IoUringDriver.Stats after = driver.stats();
                assertEquals(before.nowaitReads(), after.nowaitReads());
                assertEquals(before.nowaitMisses(), after.nowaitMisses());
            }
        });
    }

    @Test
    void anInterruptedTaskGetsClosedByInterruptExceptionAndTheFileIsClosed() throws Exception {
        Path file = Files.write(dir.resolve("interrupted.bin"), random(8192, 5));
        inRuntime(1, runtime -> {
            IoUringDriver driver = IoUringDriver.current();
            try (RegisteredBuffer registered = driver.bufferPool().lease()) {
                List<ReadCall> kinds = List.of(
                        f -> f.read(ByteBuffer.allocateDirect(16), 0),
                        f -> f.read(ByteBuffer.allocate(16), 0),
                        f -> f.read(registered, 0, 16, 0));
                for (ReadCall read : kinds) {
                    UringFile f = open(file);
                    IoUringDriver.Stats before = driver.stats();
                    Thread.currentThread().interrupt();
                    assertThrows(ClosedByInterruptException.class, () -> read.on(f));
                    assertTrue(Thread.interrupted(), "the interrupt stays set, as with the JDK's channels");
                    assertFalse(f.isOpen(), "the interrupt closed the file");
                    IoUringDriver.Stats after = driver.stats();
                    assertEquals(before.nowaitReads(), after.nowaitReads(), "nothing was read");
                    assertEquals(before.nowaitMisses(), after.nowaitMisses());
                }
            }
        });
    }

    @Test
    void directFilesNeverTakeTheFastPath() throws Exception {
        byte[] data = random(64 * 1024, 6);
        Path file = Files.write(dir.resolve("direct.bin"), data); // cached: the try would succeed
        inRuntime(1, runtime -> {
            IoUringDriver driver = IoUringDriver.current();
            UringFile f = (UringFile) UringBackend.instance().openFile(file, Set.of(FileOption.READ, FileOption.DIRECT));
            try (RegisteredBuffer registered = driver.bufferPool().lease()) {
                assertFalse(f.readsTryPageCache());
                IoUringDriver.Stats before = driver.stats();
                assertEquals(4096, f.read(registered, 0, 4096, 8192));
                assertEquals(slice(data, 8192, 4096), registered.segment().asSlice(0, 4096).asByteBuffer());
                ByteBuffer aligned = ByteBuffer.allocateDirect(2 * 4096).alignedSlice(4096).limit(4096);
                assertEquals(4096, f.read(aligned, 4096));
                assertEquals(slice(data, 4096, 4096), aligned.flip());
                IoUringDriver.Stats after = driver.stats();
                assertEquals(before.nowaitReads(), after.nowaitReads());
                assertEquals(before.nowaitMisses(), after.nowaitMisses());
                assertTrue(after.completions() - before.completions() >= 2, "both reads went through the ring");
            } finally {
                f.close();
            }
        });
    }

    @Test
    void aFileThatRefusesRwfNowaitIsReadThroughTheRingFromThenOn() throws Exception {
        Path version = Path.of("/proc/version");
        Assumptions.assumeTrue(Files.isReadable(version), "no /proc/version to read");
        byte[] expected = Files.readAllBytes(version);
        inRuntime(1, runtime -> {
            IoUringDriver driver = IoUringDriver.current();
            UringFile f = open(version);
            try {
                IoUringDriver.Stats before = driver.stats();
                ByteBuffer heap = ByteBuffer.allocate(4096);
                assertEquals(expected.length, f.read(heap, 0));
                assertEquals(ByteBuffer.wrap(expected), heap.flip());
                Assumptions.assumeFalse(f.readsTryPageCache(), "procfs accepts RWF_NOWAIT on this kernel");
                ByteBuffer direct = ByteBuffer.allocateDirect(4096);
                assertEquals(expected.length, f.read(direct, 0));
                assertEquals(ByteBuffer.wrap(expected), direct.flip());
                IoUringDriver.Stats after = driver.stats();
                assertEquals(before.nowaitReads(), after.nowaitReads(), "EOPNOTSUPP is neither a hit nor a miss");
                assertEquals(before.nowaitMisses(), after.nowaitMisses());
            } finally {
                f.close();
            }
        });
    }

    @Test
    void tasksOfBothWorkersReadConcurrentlyThroughTheirOwnWorkersScratch() throws Exception {
        byte[] data = random(1 << 20, 7);
        Path file = Files.write(dir.resolve("shared.bin"), data);
        int tasks = 16;
        int readsPerTask = 200;
        inRuntime(2, runtime -> {
            long[] before = nowaitCounts(runtime);
            UringFile f = open(file);
            try {
                List<JoinHandle<Integer>> readers = new ArrayList<>();
                for (int t = 0; t < tasks; t++) {
                    long seed = t;
                    readers.add(runtime.spawnOn(t % 2, () -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
                        ByteBuffer heap = ByteBuffer.allocate(4096);
                        for (int i = 0; i < readsPerTask; i++) {
                            ByteBuffer block = (i & 1) == 0 ? direct : heap;
                            long position = random.nextInt(data.length - 4096 + 1);
                            assertEquals(4096, f.read(block.clear(), position));
                            assertEquals(slice(data, position, 4096), block.flip());
                            if (i % 8 == 0) {
                                Thread.yield(); // interleave the tasks of each worker
                            }
                        }
                        return readsPerTask;
                    }));
                }
                int reads = 0;
                for (JoinHandle<Integer> reader : readers) {
                    reads += reader.join();
                }
                assertEquals(tasks * readsPerTask, reads);
            } finally {
                f.close();
            }
            long[] after = nowaitCounts(runtime);
            assertEquals(tasks * readsPerTask, after[0] - before[0], "preadv2 served every read");
            assertEquals(0, after[1] - before[1]);
        });
    }

    // ---------------------------------------------------------------- helpers

    @FunctionalInterface
    private interface RuntimeBody {
        void run(Runtime runtime) throws Exception;
    }

    @FunctionalInterface
    private interface ReadCall {
        int on(UringFile file) throws IOException;
    }

    /**
     * Runs {@code body} as a task of a fresh runtime of {@code workers} io_uring workers; then checks
     * that every registered buffer is back in its pool and, once the runtime is closed, that no
     * descriptor was left open and no task failed unobserved.
     */
    private static void inRuntime(int workers, RuntimeBody body) throws Exception {
        Set<String> before = TestSupport.openFds();
        UncaughtReports reports = new UncaughtReports();
        try (Runtime runtime = Runtime.builder().workers(workers).pinning(false)
                .driverFactory(new IoUringDriverFactory(IoUringConfig.defaults()))
                .uncaughtExceptionHandler(reports).build()) {
            runtime.blockOn(() -> {
                body.run(runtime);
                return null;
            });
            for (int w = 0; w < workers; w++) {
                int worker = w;
                int leased = runtime.spawnOn(w, () -> IoUringDriver.current().bufferPool().leased()).join();
                assertEquals(0, leased, () -> leased + " registered buffer(s) of worker " + worker + " not given back");
            }
        }
        Set<String> leaked = new TreeSet<>(TestSupport.openFds());
        leaked.removeAll(before);
        leaked.removeIf(fd -> fd.endsWith("anon_inode:[eventpoll]")); // the JDK's own pollers, started once per JVM
        assertTrue(leaked.isEmpty(), () -> "descriptors leaked: " + leaked);
        reports.assertOnlyJoinedFailures();
    }

    private static UringFile open(Path file) throws IOException {
        return (UringFile) UringBackend.instance().openFile(file, Set.of(FileOption.READ));
    }

    /** IORING_OP_FADVISE(POSIX_FADV_DONTNEED) over the whole file: its clean pages leave the page cache. */
    private static void dropCachedPages(UringFile file) throws IOException {
        IoUringDriver.current().submitAndAwait(
                sqe -> sqe.prepRw(IORING_OP_FADVISE, file.fd, 0, 0, 0).opFlags(POSIX_FADV_DONTNEED));
    }

    /** {nowaitReads, nowaitMisses} summed over the workers. */
    private static long[] nowaitCounts(Runtime runtime) {
        long[] counts = new long[2];
        for (int w = 0; w < runtime.workerCount(); w++) {
            IoUringDriver.Stats stats = runtime.spawnOn(w, () -> IoUringDriver.current().stats()).join();
            counts[0] += stats.nowaitReads();
            counts[1] += stats.nowaitMisses();
        }
        return counts;
    }

    private static int expectedCount(byte[] data, long position, int length) {
        return (int) Math.min(length, data.length - position);
    }

    private static ByteBuffer slice(byte[] data, long position, int length) {
        return ByteBuffer.wrap(Arrays.copyOfRange(data, (int) position, (int) position + length));
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }
}
