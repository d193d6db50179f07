package io.veloq.io;

import static io.veloq.io.file.FileOption.APPEND;
import static io.veloq.io.file.FileOption.CREATE;
import static io.veloq.io.file.FileOption.CREATE_NEW;
import static io.veloq.io.file.FileOption.READ;
import static io.veloq.io.file.FileOption.TRUNCATE;
import static io.veloq.io.file.FileOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.file.FileMetadata;
import io.veloq.io.file.VeloqFile;
import io.veloq.join.JoinHandle;
import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Files on real temporary directories: every buffer kind, modes, sync, allocate, metadata, close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class FileContract extends IoContract {

    @TempDir
    Path dir;

    FileContract(Backend backend) {
        super(backend);
    }

    static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    @Test
    void writesAndReadsBackWithEveryBufferKind() throws Exception {
        Path file = dir.resolve("data.bin");
        byte[] data = random(300_000, 1); // larger than one staging buffer: the loops must work
        inTask(() -> {
            try (VeloqFile f = VeloqFile.open(file, CREATE_NEW, WRITE, READ)) {
                f.writeAllAt(data, 0, data.length, 0);
                assertEquals(data.length, f.size());

                byte[] heap = new byte[data.length];
                f.readFullyAt(heap, 0, heap.length, 0);
                assertArrayEquals(data, heap);

                ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
                f.readFullyAt(direct, 0);
                assertFalse(direct.hasRemaining());
                direct.flip();
                byte[] fromDirect = new byte[data.length];
                direct.get(fromDirect);
                assertArrayEquals(data, fromDirect);

                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment segment = arena.allocate(1000);
                    f.readFullyAt(segment, 5000);
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, 5000, 6000), segment.toArray(ValueLayout.JAVA_BYTE));
                    segment.fill((byte) 7);
                    f.writeAllAt(segment, 10);
                }
                ByteBuffer heapBuffer = ByteBuffer.allocate(20);
                heapBuffer.position(3).limit(13);
                assertEquals(10, f.readAt(heapBuffer, 10));
                assertEquals(13, heapBuffer.position(), "a read advances the buffer's position by the count");
                for (int i = 3; i < 13; i++) {
                    assertEquals(7, heapBuffer.get(i));
                }
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 1010, data.length),
                    java.util.Arrays.copyOfRange(Files.readAllBytes(file), 1010, data.length));
        });
    }

    @Test
    void endOfFileIsMinusOneAndReadFullyThrowsNamingThePath() throws Exception {
        Path file = dir.resolve("short.txt");
        Files.write(file, new byte[] {1, 2, 3});
        inTask(() -> {
            try (VeloqFile f = VeloqFile.open(file)) {
                ByteBuffer dst = ByteBuffer.allocate(10);
                assertEquals(3, f.readAt(dst, 0));
                assertEquals(-1, f.readAt(ByteBuffer.allocate(4), 3));
                assertEquals(-1, f.readAt(ByteBuffer.allocateDirect(4), 100));
                assertEquals(0, f.readAt(ByteBuffer.allocate(0), 0), "no room: 0, as the JDK");
                EOFException eof = assertThrows(EOFException.class, () -> f.readFullyAt(ByteBuffer.allocate(5), 0));
                assertTrue(eof.getMessage().contains(file.toString()), eof.getMessage());
            }
        });
    }

    @Test
    void appendWritesAtTheEndAndPositionalWritesAreRefused() throws Exception {
        Path file = dir.resolve("log.txt");
        Files.writeString(file, "start;");
        inTask(() -> {
            try (VeloqFile log = VeloqFile.open(file, APPEND)) {
                log.appendAll(ByteBuffer.wrap("one;".getBytes()));
                assertEquals(4, log.append(ByteBuffer.allocateDirect(4).put("two;".getBytes()).flip()));
                assertThrows(IllegalStateException.class, () -> log.writeAt(ByteBuffer.allocate(1), 0));
            }
            try (VeloqFile plain = VeloqFile.open(file, WRITE)) {
                assertThrows(IllegalStateException.class, () -> plain.append(ByteBuffer.allocate(1)));
            }
        });
        assertEquals("start;one;two;", Files.readString(file));
    }

    @Test
    void openOptionsFollowTheJdkRules() throws Exception {
        Path existing = dir.resolve("existing.txt");
        Files.writeString(existing, "0123456789");
        Path missing = dir.resolve("missing.txt");
        inTask(() -> {
            FileAlreadyExistsException exists = assertThrows(FileAlreadyExistsException.class,
                    () -> VeloqFile.open(existing, CREATE_NEW, WRITE));
            assertTrue(exists.getMessage().contains(existing.toString()), exists.getMessage());
            NoSuchFileException none = assertThrows(NoSuchFileException.class, () -> VeloqFile.open(missing));
            assertTrue(none.getMessage().contains(missing.toString()), none.getMessage());
            // CREATE without WRITE is ignored, as in the JDK
            assertThrows(NoSuchFileException.class, () -> VeloqFile.open(missing, CREATE, READ));
            assertThrows(IllegalArgumentException.class, () -> VeloqFile.open(existing, READ, APPEND));
            assertThrows(IllegalArgumentException.class, () -> VeloqFile.open(existing, APPEND, TRUNCATE));
            try (VeloqFile readOnly = VeloqFile.open(existing, TRUNCATE)) { // TRUNCATE ignored when only reading
                assertEquals(10, readOnly.size());
                assertEquals(java.util.Set.of(READ), readOnly.options());
            }
            try (VeloqFile truncating = VeloqFile.open(existing, WRITE, TRUNCATE)) {
                assertEquals(0, truncating.size());
            }
            try (VeloqFile created = VeloqFile.open(missing, WRITE, CREATE)) {
                created.writeAllAt("x".getBytes(), 0, 1, 4);
                assertEquals(5, created.size());
            }
        });
    }

    @Test
    void syncAllocateAndSize() throws Exception {
        Path file = dir.resolve("space.bin");
        inTask(() -> {
            try (VeloqFile f = VeloqFile.open(file, CREATE, WRITE, READ)) {
                f.writeAllAt("abc".getBytes(), 0, 3, 0);
                f.allocate(0, 1 << 20);
                assertEquals(1 << 20, f.size());
                f.allocate(0, 10); // inside the file: the size stays
                assertEquals(1 << 20, f.size());
                f.sync();
                f.syncData();
                byte[] tail = new byte[100];
                f.readFullyAt(tail, 0, 100, (1 << 20) - 100);
                assertArrayEquals(new byte[100], tail, "allocated space reads as zeros");
                byte[] head = new byte[3];
                f.readFullyAt(head, 0, 3, 0);
                assertArrayEquals("abc".getBytes(), head, "allocate keeps existing data");
            }
        });
        assertEquals(1 << 20, Files.size(file));
    }

    @Test
    void metadataOfTheOpenFileMatchesTheJdk() throws Exception {
        Path file = dir.resolve("meta.txt");
        Files.writeString(file, "hello");
        long inode = (Long) Files.getAttribute(file, "unix:ino");
        inTask(() -> {
            try (VeloqFile f = VeloqFile.open(file)) {
                FileMetadata m = f.metadata();
                assertEquals(FileMetadata.Kind.REGULAR, m.kind());
                assertTrue(m.isRegularFile());
                assertEquals(5, m.size());
                assertEquals(inode, m.inode());
                assertEquals(1, m.links());
                assertEquals(Files.getLastModifiedTime(file).toMillis(), m.lastModifiedTime().toMillis());
                assertEquals((Integer) Files.getAttribute(file, "unix:mode") & 07777, m.permissions());
            }
        });
    }

    @Test
    void concurrentReadersOnOneFileFromBothWorkers() throws Exception {
        Path file = dir.resolve("shared.bin");
        byte[] data = random(1 << 20, 2);
        Files.write(file, data);
        inTask(() -> {
            try (VeloqFile f = VeloqFile.open(file)) {
                List<JoinHandle<Integer>> readers = new ArrayList<>();
                for (int t = 0; t < 32; t++) {
                    long seed = t;
                    readers.add(runtime.spawn(() -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        ByteBuffer block = ByteBuffer.allocate(4096);
                        for (int i = 0; i < 50; i++) {
                            int at = random.nextInt(data.length / 4096) * 4096;
                            block.clear();
                            f.readFullyAt(block, at);
                            for (int k = 0; k < 4096; k += 511) {
                                assertEquals(data[at + k], block.get(k));
                            }
                        }
                        return 50;
                    }));
                }
                int reads = 0;
                for (JoinHandle<Integer> r : readers) {
                    reads += r.join();
                }
                assertEquals(32 * 50, reads);
            }
        });
    }

    @Test
    void closeIsIdempotentAndLaterOperationsThrowClosedChannelException() throws Exception {
        Path file = dir.resolve("closed.txt");
        Files.writeString(file, "x");
        inTask(() -> {
            VeloqFile f = VeloqFile.open(file, READ, WRITE);
            assertTrue(f.isOpen());
            f.close();
            f.close();
            assertFalse(f.isOpen());
            assertThrows(ClosedChannelException.class, () -> f.readAt(ByteBuffer.allocate(1), 0));
            assertThrows(ClosedChannelException.class, () -> f.writeAt(ByteBuffer.allocate(1), 0));
            assertThrows(ClosedChannelException.class, f::size);
            assertThrows(ClosedChannelException.class, f::sync);
        });
    }

    @Test
    void closeFromOutsideTheRuntimeIsAllowed() throws Exception {
        Path file = dir.resolve("outside.txt");
        Files.writeString(file, "x");
        VeloqFile f = call(() -> VeloqFile.open(file));
        assertTrue(f.isOpen());
        f.close(); // the main test thread is no task: close works from any thread
        assertFalse(f.isOpen());
    }
    @Test
    void nativeMemoryOfAClosedOrForeignArenaIsRefusedBeforeAnyIo() throws Exception {
        Path file = dir.resolve("arena.bin");
        Files.write(file, random(64, 9));
        java.lang.foreign.MemorySegment foreign = java.lang.foreign.Arena.ofConfined().allocate(64); // this thread's
        inTask(() -> {
            java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined();
            java.lang.foreign.MemorySegment closed = arena.allocate(64);
            ByteBuffer closedView = closed.asByteBuffer();
            arena.close();
            try (VeloqFile f = VeloqFile.open(file, READ, WRITE)) {
                // The kernel must never be handed freed memory: the JDK's own rule for channels.
                assertThrows(IllegalStateException.class, () -> f.readAt(closedView, 0));
                assertThrows(IllegalStateException.class, () -> f.readAt(closed, 0));
                assertThrows(IllegalStateException.class, () -> f.writeAt(closed, 0));
                assertThrows(WrongThreadException.class, () -> f.readAt(foreign, 0));
                assertThrows(WrongThreadException.class, () -> f.writeAt(foreign.asByteBuffer(), 0));
                assertTrue(f.isOpen());
                assertEquals(64, f.readAt(ByteBuffer.allocateDirect(64), 0));
            }
        });
    }
}
