package io.veloq.io;

import static io.veloq.io.file.FileOption.CREATE;
import static io.veloq.io.file.FileOption.DIRECT;
import static io.veloq.io.file.FileOption.READ;
import static io.veloq.io.file.FileOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.file.VeloqFile;
import io.veloq.io.net.TcpListener;
import io.veloq.io.net.TcpStream;
import io.veloq.join.JoinHandle;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.buffer.RegisteredBuffer;
import io.veloq.uring.buffer.RegisteredBufferPool;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The io_uring backend with the worker's registered buffers: READ_FIXED / WRITE_FIXED through the
 * file API, sockets on registered memory, O_DIRECT, and every buffer back in the pool (checked after
 * each test by {@link Backend#assertQuiescent}). io_uring only: the portable backend has no pool.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegisteredBufferIoTest extends IoContract {

    @TempDir
    Path dir;

    RegisteredBufferIoTest() {
        super(Backend.IO_URING);
    }

    @Test
    void fileReadsAndWritesOnRegisteredBuffers() throws Exception {
        Path file = dir.resolve("fixed.bin");
        byte[] data = FileContract.random(3 * 8192, 6);
        inTask(() -> {
            RegisteredBufferPool pool = IoUringDriver.current().bufferPool();
            try (VeloqFile f = VeloqFile.open(file, CREATE, WRITE, READ);
                 RegisteredBuffer out = pool.lease();
                 RegisteredBuffer in = pool.lease()) {
                assertTrue(out.isRegistered(), "a free pool buffer is a registered one");
                int size = out.capacity();
                for (int block = 0; block < 3; block++) {
                    java.lang.foreign.MemorySegment.copy(data, block * size, out.segment(), ValueLayout.JAVA_BYTE, 0, size);
                    f.writeAllAt(out, 0, size, (long) block * size);
                }
                assertEquals(3L * size, f.size());
                f.readFullyAt(in, 0, size, size);
                assertArrayEquals(java.util.Arrays.copyOfRange(data, size, 2 * size), in.segment().toArray(ValueLayout.JAVA_BYTE));
                assertEquals(100, f.readAt(in, 10, 100, 500));
                assertEquals(data[500], in.segment().get(ValueLayout.JAVA_BYTE, 10));
                assertEquals(-1, f.readAt(in, 0, 16, 3L * size));
            }
            assertEquals(0, pool.leased());
        });
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    @Test
    void directIoOnPageAlignedRegisteredBuffers() throws Exception {
        Path file = dir.resolve("direct.bin");
        inTask(() -> {
            RegisteredBufferPool pool = IoUringDriver.current().bufferPool();
            try (VeloqFile f = VeloqFile.open(file, CREATE, WRITE, READ, DIRECT);
                 RegisteredBuffer buffer = pool.lease()) {
                buffer.segment().fill((byte) 42);
                f.writeAllAt(buffer, 0, 4096, 4096);
                buffer.segment().fill((byte) 0);
                f.readFullyAt(buffer, 0, 4096, 4096);
                assertEquals(42, buffer.segment().get(ValueLayout.JAVA_BYTE, 4095));
            }
        });
    }

    @Test
    void misalignedDirectIoNamesTheRuleAndThePath() throws Exception {
        Path file = dir.resolve("direct-misaligned.bin");
        inTask(() -> {
            RegisteredBufferPool pool = IoUringDriver.current().bufferPool();
            try (VeloqFile f = VeloqFile.open(file, CREATE, WRITE, READ, DIRECT);
                 RegisteredBuffer buffer = pool.lease()) {
                f.writeAllAt(buffer, 0, 4096, 0);
                java.io.IOException read = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> f.readAt(buffer, 0, 4096, 1));
                assertTrue(read.getMessage().contains(file.toString()) && read.getMessage().contains("O_DIRECT"),
                        read.getMessage());
                java.io.IOException write = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> f.writeAt(buffer, 1, 100, 0));
                assertTrue(write.getMessage().contains("O_DIRECT"), write.getMessage());
            }
        });
    }

    @Test
    void socketsOnRegisteredBuffers() throws Exception {
        inTask(() -> {
            RegisteredBufferPool pool = IoUringDriver.current().bufferPool();
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 TcpStream client = TcpStream.connect(listener.localAddress());
                 TcpStream server = listener.accept();
                 RegisteredBuffer out = pool.lease();
                 RegisteredBuffer in = pool.lease()) {
                out.segment().fill((byte) 9);
                client.writeAll(out, 100, 1000);
                server.readFully(in, 0, 1000);
                assertEquals(9, in.segment().get(ValueLayout.JAVA_BYTE, 999));
            }
        });
    }

    @Test
    void heapTransfersStageThroughThePoolAndGiveEveryBufferBack() throws Exception {
        Path file = dir.resolve("staged.bin");
        byte[] data = FileContract.random(1 << 16, 7);
        Files.write(file, data);
        inTask(() -> {
            RegisteredBufferPool pool = IoUringDriver.current().bufferPool();
            List<RegisteredBuffer> hoard = new ArrayList<>();
            try (VeloqFile f = VeloqFile.open(file)) {
                List<JoinHandle<Void>> readers = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    readers.add(runtime.spawnLocal(() -> {
                        byte[] block = new byte[4096];
                        for (int at = 0; at < data.length; at += 4096) {
                            f.readFullyAt(block, 0, block.length, at);
                            assertEquals(data[at + 17], block[17]);
                        }
                        return null;
                    }));
                }
                for (JoinHandle<Void> r : readers) {
                    r.join();
                }
                assertEquals(0, pool.leased(), "staging buffers went back");
                // With the pool exhausted, heap transfers still work (temporary native memory).
                for (RegisteredBuffer b; (b = pool.tryLease()) != null; ) {
                    hoard.add(b);
                }
                byte[] block = new byte[4096];
                f.readFullyAt(ByteBuffer.wrap(block), 4096);
                assertEquals(data[4096], block[0]);
            } finally {
                hoard.forEach(RegisteredBuffer::close);
            }
            assertEquals(0, pool.leased());
        });
    }
}
