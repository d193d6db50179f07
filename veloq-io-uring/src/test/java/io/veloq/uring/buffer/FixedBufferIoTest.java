package io.veloq.uring.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ResultKind;
import io.veloq.uring.TestSupport;
import io.veloq.uring.TestWorker;
import io.veloq.uring.ffi.PosixConstants;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** READ_FIXED / WRITE_FIXED of a real file through registered buffers, and the fallback's plain READ/WRITE. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FixedBufferIoTest {

    @TempDir
    Path dir;

    @BeforeEach
    void requireIoUring() {
        TestSupport.assumeIoUring();
    }

    @Test
    void readFixedAndWriteFixedMoveTheFilesBytes() throws Exception {
        byte[] content = new byte[3 * 4096];
        new Random(42).nextBytes(content);
        Path file = Files.write(dir.resolve("data"), content);
        IoUringConfig config = IoUringConfig.defaults()
                .withBufferPool(new BufferPoolConfig(4096, 8, ExhaustionPolicy.FAIL));
        try (TestWorker worker = new TestWorker(config)) {
            Set<String> before = TestSupport.openFds();
            byte[] middle = worker.call(() -> {
                IoUringDriver driver = IoUringDriver.current();
                int fd = open(driver, file, PosixConstants.O_RDWR);
                try (RegisteredBuffer buffer = driver.bufferPool().lease()) {
                    assertTrue(buffer.isRegistered());
                    int n = driver.submitAndAwait(sqe -> buffer.prepareRead(sqe, fd, 4096, 4096));
                    assertEquals(4096, n);
                    byte[] read = buffer.segment().toArray(ValueLayout.JAVA_BYTE);

                    buffer.segment().fill((byte) 0x5a);
                    assertEquals(100, driver.submitAndAwait(sqe -> buffer.prepareWrite(sqe, fd, 8192, 10, 100)));
                    return read;
                } finally {
                    driver.submitAndAwait(sqe -> sqe.prepClose(fd));
                }
            });
            assertArrayEquals(Arrays.copyOfRange(content, 4096, 8192), middle);
            byte[] after = Files.readAllBytes(file);
            for (int i = 0; i < after.length; i++) {
                byte expected = i >= 8192 && i < 8292 ? (byte) 0x5a : content[i];
                assertEquals(expected, after[i], "byte " + i);
            }
            assertEquals(before, TestSupport.openFds());
        }
    }

    @Test
    void aFallbackBufferUsesPlainReadAndWrite() throws Exception {
        byte[] content = "hello, registered world".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("small"), content);
        IoUringConfig config = IoUringConfig.defaults()
                .withBufferPool(new BufferPoolConfig(4096, 0, ExhaustionPolicy.FALLBACK));
        try (TestWorker worker = new TestWorker(config)) {
            String text = worker.call(() -> {
                IoUringDriver driver = IoUringDriver.current();
                int fd = open(driver, file, PosixConstants.O_RDONLY);
                try (RegisteredBuffer buffer = driver.bufferPool().lease()) {
                    assertFalse(buffer.isRegistered());
                    int n = driver.submitAndAwait(sqe -> buffer.prepareRead(sqe, fd, 0, buffer.capacity()));
                    return new String(buffer.segment().asSlice(0, n).toArray(ValueLayout.JAVA_BYTE),
                            java.nio.charset.StandardCharsets.UTF_8);
                } finally {
                    driver.submitAndAwait(sqe -> sqe.prepClose(fd));
                }
            });
            assertEquals("hello, registered world", text);
        }
    }

    @Test
    void rangesOutsideTheBufferAreRejectedBeforeSubmission() throws Exception {
        IoUringConfig config = IoUringConfig.defaults()
                .withBufferPool(new BufferPoolConfig(4096, 1, ExhaustionPolicy.FAIL));
        try (TestWorker worker = new TestWorker(config)) {
            worker.call(() -> {
                IoUringDriver driver = IoUringDriver.current();
                try (RegisteredBuffer buffer = driver.bufferPool().lease()) {
                    assertThrows(IndexOutOfBoundsException.class,
                            () -> driver.submitAndAwait(sqe -> buffer.prepareRead(sqe, 0, 0, 4097)));
                    assertThrows(IndexOutOfBoundsException.class,
                            () -> driver.submitAndAwait(sqe -> buffer.prepareWrite(sqe, 0, 0, 4000, 100)));
                }
                assertEquals(0, driver.stats().pending());
                return null;
            });
        }
    }

    private static int open(IoUringDriver driver, Path file, int flags) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(file.toString());
            int fd = driver.submitAndAwaitRaw(sqe -> sqe.prepOpenat(PosixConstants.AT_FDCWD, path.address(),
                    flags | PosixConstants.O_CLOEXEC, 0), Long.MAX_VALUE, ResultKind.FD);
            assertTrue(fd >= 0, "open: " + fd);
            return fd;
        }
    }
}
