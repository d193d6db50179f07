package io.veloq.io;

import io.veloq.core.Runtime;
import io.veloq.core.driver.PortableDriver;
import io.veloq.io.file.FileMetadata;
import io.veloq.io.file.FileOption;
import io.veloq.io.file.VeloqFile;
import io.veloq.io.file.VeloqFiles;
import io.veloq.io.net.ListenOptions;
import io.veloq.io.net.TcpListener;
import io.veloq.io.net.TcpStream;
import io.veloq.io.net.UdpSocket;
import io.veloq.io.time.Interval;
import io.veloq.io.time.Time;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.IoUringDriverFactory;
import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.buffer.ExhaustionPolicy;
import io.veloq.uring.buffer.RegisteredBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.join.JoinHandle;
import io.veloq.uring.UncaughtReports;
import io.veloq.uring.buffer.MemlockLimited;
import io.veloq.uring.buffer.RegisteredBufferPool;
import java.io.EOFException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The examples of {@code docs/io-guide.md}, run for real. Each {@code ```java} block of the guide
 * is copied from this file (the first test checks that, line by line, so the guide cannot drift
 * from code that compiles); the other tests run the examples on both backends where they apply
 * and assert their results. The import block at the top of this file is the guide's, in order.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoGuideExamplesTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);

    @TempDir
    Path dir;

    private final UncaughtReports reports = new UncaughtReports();

    @AfterEach
    void nothingUnexpectedWasReported() {
        reports.assertOnlyJoinedFailures();
    }

    // ================================================================ the guide's examples

    // ---- quick start: a task reads a file

    static String firstLine(Runtime runtime, Path path) throws Exception {
        return runtime.blockOn(() -> {
            try (VeloqFile file = VeloqFile.open(path, FileOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                int n = file.readAt(buffer, 0);        // parks this task, not the worker
                if (n < 0) {
                    return "";                         // -1: end of file (the file is empty)
                }
                String text = new String(buffer.array(), 0, n, StandardCharsets.UTF_8);
                return text.lines().findFirst().orElse("");
            }
        });
    }

    // ---- quick start: an echo server, one SO_REUSEPORT listener per worker

    /** Binds one listener per worker on {@code address} and serves each from its own worker. */
    static List<TcpListener> startEchoServer(Runtime runtime, InetSocketAddress address) throws Exception {
        ListenOptions reusePort = ListenOptions.defaults().withReusePort(true);
        List<TcpListener> listeners = new ArrayList<>();
        for (int w = 0; w < runtime.workerCount(); w++) {
            // Port 0 picks a free port for the first listener; the others bind that same port.
            InetSocketAddress bindTo = listeners.isEmpty() ? address : listeners.get(0).localAddress();
            TcpListener listener = runtime.spawnOn(w, () -> TcpListener.bind(bindTo, reusePort)).join();
            listeners.add(listener);
            runtime.spawnOn(w, () -> acceptLoop(runtime, listener));
        }
        return listeners;                              // close them (from any thread) to stop the server
    }

    static Void acceptLoop(Runtime runtime, TcpListener listener) throws Exception {
        while (true) {
            TcpStream connection;
            try {
                connection = listener.accept();
            } catch (ClosedChannelException closed) {
                return null;                           // the listener was closed
            }
            runtime.spawnLocal(() -> echo(connection)); // this worker, this ring, never stolen
        }
    }

    static long echo(TcpStream connection) throws Exception {
        long echoed = 0;
        try (connection) {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (connection.read(buffer) >= 0) {     // -1: the client shut its side down
                buffer.flip();
                echoed += buffer.remaining();
                connection.writeAll(buffer);
                buffer.clear();
            }
        }
        return echoed;
    }

    static String echoOnce(InetSocketAddress server, String message) throws Exception {
        try (TcpStream client = TcpStream.connect(server, Duration.ofSeconds(5))) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            client.writeAll(bytes);
            client.shutdownOutput();                   // FIN: the server reads -1 after the message
            byte[] back = new byte[bytes.length];
            client.readFully(back, 0, back.length);    // EOFException if the stream ends first
            return new String(back, StandardCharsets.UTF_8);
        }
    }

    static String runEchoServer() throws Exception {
        try (Runtime runtime = Runtime.builder().workers(2).build()) {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            List<TcpListener> listeners = startEchoServer(runtime, any);
            InetSocketAddress server = listeners.get(0).localAddress();
            String reply = runtime.blockOn(() -> echoOnce(server, "hello, worker"));
            for (TcpListener listener : listeners) {
                listener.close();                      // ends the accept loops; close() then returns
            }
            return reply;
        }
    }

    // ---- quick start: a timeout

    static String askWithin(InetSocketAddress server, String question, Duration limit) throws Exception {
        try (TcpStream stream = TcpStream.connect(server, limit)) {
            stream.writeAll(question.getBytes(StandardCharsets.UTF_8));
            ByteBuffer reply = ByteBuffer.allocate(1024);
            try {
                Time.timeout(limit, () -> stream.read(reply));
            } catch (TimeoutException expired) {
                // The read was cancelled by an interrupt, which closed the stream (the JDK's rule
                // for interruptible channels); expired.getCause() is that ClosedByInterruptException.
                return "no reply within " + limit;
            }
            return new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
        }
    }

    // ---- files

    static String writeAndReadBack(Path path) throws Exception {
        byte[] record = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        try (VeloqFile file = VeloqFile.open(path, FileOption.READ, FileOption.WRITE, FileOption.CREATE_NEW)) {
            file.allocate(0, 1 << 20);                        // fallocate: the file is 1 MiB now
            file.writeAllAt(record, 0, record.length, 4096);  // loops over short writes
            file.syncData();                                  // fdatasync; sync() is fsync
            byte[] back = new byte[record.length];
            file.readFullyAt(back, 0, back.length, 4096);     // EOFException if the file ends first
            FileMetadata meta = file.metadata();              // statx of the open file
            return new String(back, StandardCharsets.US_ASCII) + ", " + meta.kind() + ", " + meta.size() + " bytes";
        }
    }

    static List<String> rotateLog(Path dir) throws Exception {
        Path logs = dir.resolve("logs");
        VeloqFiles.createDirectory(logs);
        Path current = logs.resolve("current.log");
        try (VeloqFile log = VeloqFile.open(current, FileOption.APPEND, FileOption.CREATE)) {
            log.appendAll(ByteBuffer.wrap("started\n".getBytes(StandardCharsets.UTF_8)));
        }
        Path rotated = logs.resolve("1.log");
        VeloqFiles.rename(current, rotated);                  // atomic; replaces an existing file
        FileMetadata meta = VeloqFiles.metadata(rotated);
        VeloqFiles.delete(rotated);
        VeloqFiles.delete(logs);                              // an empty directory
        return List.of(meta.kind().toString(), Long.toString(meta.size()));
    }

    // ---- registered buffers

    static long checksum(VeloqFile file) throws Exception {
        long sum = 0;
        try (RegisteredBuffer buffer = IoUringDriver.current().bufferPool().lease()) {
            long position = 0;
            int n;
            while ((n = file.readAt(buffer, 0, buffer.capacity(), position)) > 0) { // READ_FIXED
                MemorySegment bytes = buffer.segment();
                for (int i = 0; i < n; i++) {
                    sum += bytes.get(ValueLayout.JAVA_BYTE, i) & 0xff;
                }
                position += n;
            }
        }                                                     // back to the pool; the segment is dead
        return sum;
    }

    static Runtime runtimeWithLargerBuffers(int workers) {
        IoUringConfig config = IoUringConfig.defaults()
                .withBufferPool(new BufferPoolConfig(64 * 1024, 32, ExhaustionPolicy.WAIT)); // 2 MiB per worker
        return Runtime.builder()
                .workers(workers)
                .driverFactory(new IoUringDriverFactory(config))
                .build();
    }

    // ---- UDP

    static String udpPingPong() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (UdpSocket server = UdpSocket.bind(loopback); UdpSocket client = UdpSocket.bind(loopback)) {
            client.connect(server.localAddress());           // only the server's datagrams from now on
            client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer datagram = ByteBuffer.allocate(1500);
            InetSocketAddress sender = server.receive(datagram); // one datagram, and who sent it
            datagram.flip();
            server.send(datagram, sender);
            ByteBuffer reply = ByteBuffer.allocate(1500);
            int n = client.read(reply);
            return new String(reply.array(), 0, n, StandardCharsets.UTF_8);
        }
    }

    // ---- time

    static List<Long> tickFiveTimes() throws Exception {
        Interval every10ms = Time.interval(Duration.ofMillis(10)); // on a fixed grid, missed ticks skipped
        List<Long> due = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            due.add(every10ms.tick());                    // the deadline this tick was due at
        }
        Time.sleep(Duration.ofMillis(5));
        Time.sleepUntil(System.nanoTime() + Duration.ofMillis(5).toNanos());
        return due;
    }

    // ---- choosing the backend

    static Runtime portableRuntime(int workers) {
        return Runtime.builder().workers(workers).driverFactory(PortableDriver.factory()).build();
    }

    static Runtime ioUringRuntime(int workers) {
        return Runtime.builder().workers(workers).driverFactory(new IoUringDriverFactory()).build(); // or fails
    }

    // ================================================================ the tests

    @Test
    void everyJavaBlockOfTheGuideIsCodeFromThisFile() throws Exception {
        Path root = repositoryRoot();
        String guide = Files.readString(root.resolve("docs/io-guide.md"), StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<String> source = normalizedLines(Files.readString(
                root.resolve("veloq-io-uring/src/test/java/io/veloq/io/IoGuideExamplesTest.java"), StandardCharsets.UTF_8));
        Matcher block = JAVA_BLOCK.matcher(guide);
        int blocks = 0;
        while (block.find()) {
            blocks++;
            List<String> lines = normalizedLines(block.group(1));
            assertTrue(!lines.isEmpty() && java.util.Collections.indexOfSubList(source, lines) >= 0,
                    () -> "this java block of docs/io-guide.md is not code of IoGuideExamplesTest:\n" + block.group(1));
        }
        assertTrue(blocks >= 10, "the guide is expected to show at least ten java blocks, found " + blocks);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTaskReadsTheFirstLineOfAFile(Backend backend) throws Exception {
        backend.assume();
        Path path = Files.writeString(dir.resolve("notes.txt"), "first line\nsecond line\n");
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        try (Runtime runtime = backend.newRuntime(2, reports)) {
            assertEquals("first line", firstLine(runtime, path));
            assertEquals("", firstLine(runtime, empty));
            NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                    () -> firstLine(runtime, dir.resolve("missing.txt")));
            assertTrue(missing.getMessage().contains("missing.txt"), missing.getMessage());
        }
    }

    @Test
    void theQuickStartEchoServerAnswersAndStops() throws Exception {
        assertEquals("hello, worker", runEchoServer());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyWorkerServesConnectionsFromItsOwnListener(Backend backend) throws Exception {
        backend.assume();
        try (Runtime runtime = backend.newRuntime(2, reports)) {
            List<TcpListener> listeners = startEchoServer(runtime, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(2, listeners.size());
            InetSocketAddress server = listeners.get(0).localAddress();
            assertEquals(server, listeners.get(1).localAddress(), "both listeners share one port (SO_REUSEPORT)");
            for (int i = 0; i < 20; i++) {
                String message = "message " + i;
                assertEquals(message, runtime.blockOn(() -> echoOnce(server, message)));
            }
            for (TcpListener listener : listeners) {
                listener.close();
                listener.close(); // a second close does nothing
                assertFalse(listener.isOpen());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aTimeoutCancelsTheReadAndClosesTheStream(Backend backend) throws Exception {
        backend.assume();
        try (Runtime runtime = backend.newRuntime(2, reports)) {
            List<TcpListener> echo = startEchoServer(runtime, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress echoing = echo.get(0).localAddress();
            assertEquals("ping", runtime.blockOn(() -> askWithin(echoing, "ping", Duration.ofSeconds(5))));
            String silentAnswer = runtime.blockOn(() -> {
                // Connections complete in the kernel's backlog; nobody ever accepts, reads or writes.
                try (TcpListener silent = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    String answer = askWithin(silent.localAddress(), "ping", Duration.ofMillis(100));
                    assertFalse(Thread.currentThread().isInterrupted(), "timeout clears the interrupt it delivered");
                    return answer;
                }
            });
            assertEquals("no reply within PT0.1S", silentAnswer);
            for (TcpListener listener : echo) {
                listener.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theTimeoutsCauseIsTheCancelledRead(Backend backend) throws Exception {
        backend.assume();
        try (Runtime runtime = backend.newRuntime(2, reports)) {
            runtime.blockOn(() -> {
                try (TcpListener silent = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                     TcpStream stream = TcpStream.connect(silent.localAddress())) {
                    TimeoutException expired = assertThrows(TimeoutException.class,
                            () -> Time.timeout(Duration.ofMillis(50), () -> stream.read(ByteBuffer.allocate(8))));
                    assertInstanceOf(ClosedByInterruptException.class, expired.getCause());
                    assertFalse(stream.isOpen());
                    assertThrows(ClosedChannelException.class, () -> stream.write(ByteBuffer.allocate(1)));
                }
                return null;
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void filesAndPathOperations(Backend backend) throws Exception {
        backend.assume();
        try (Runtime runtime = backend.newRuntime(2, reports)) {
            Path data = dir.resolve("data.bin");
            assertEquals("0123456789abcdef, REGULAR, 1048576 bytes", runtime.blockOn(() -> writeAndReadBack(data)));
            assertEquals(1 << 20, Files.size(data));
            assertEquals("0123456789abcdef", new String(Files.readAllBytes(data), 4096, 16, StandardCharsets.US_ASCII));
            // CREATE_NEW on an existing file
            assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> runtime.blockOn(() -> writeAndReadBack(data)));
            // readFully past the end
            runtime.blockOn(() -> {
                try (VeloqFile file = VeloqFile.open(data)) {
                    assertThrows(EOFException.class, () -> file.readFullyAt(new byte[16], 0, 16, (1 << 20) - 8));
                    assertEquals(-1, file.readAt(ByteBuffer.allocate(1), 1 << 20));
                }
                return null;
            });
            assertEquals(List.of("REGULAR", "8"), runtime.blockOn(() -> rotateLog(dir)));
            assertFalse(Files.exists(dir.resolve("logs")));
        }
    }

    @Test
    void aRegisteredBufferReadsTheFileAndGoesBack() throws Exception {
        Backend.IO_URING.assume();
        byte[] content = new byte[100_000];
        long expected = 0;
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
            expected += content[i] & 0xff;
        }
        Path path = Files.write(dir.resolve("sum.bin"), content);
        try (Runtime runtime = Backend.IO_URING.newRuntime(1, reports)) {
            long sum = runtime.blockOn(() -> {
                try (VeloqFile file = VeloqFile.open(path)) {
                    return checksum(file);
                }
            });
            assertEquals(expected, sum);
            assertEquals(0, runtime.blockOn(() -> IoUringDriver.current().bufferPool().leased()));
        }
    }

    @Test
    void aRegisteredBufferIsConfinedAndDeadAfterRelease() throws Exception {
        Backend.IO_URING.assume();
        try (Runtime runtime = Backend.IO_URING.newRuntime(1, reports)) {
            runtime.blockOn(() -> {
                RegisteredBufferPool pool = IoUringDriver.current().bufferPool();
                RegisteredBuffer buffer = pool.lease();
                MemorySegment kept = buffer.segment();
                // Waited for through a future, not JoinHandle.join: a joiner may run a task that has
                // not started yet inline, on its own thread, which is the buffer's owner.
                CompletableFuture<Class<?>> seen = new CompletableFuture<>();
                runtime.spawn(() -> {
                    try {
                        buffer.segment();
                        seen.complete(null);
                    } catch (RuntimeException e) {
                        seen.complete(e.getClass());
                    }
                });
                assertEquals(WrongThreadException.class, seen.join());
                buffer.close();
                buffer.close(); // harmless
                assertThrows(IllegalStateException.class, buffer::segment);
                assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_BYTE, 0));
                return null;
            });
        }
    }

    @Test
    void theConfiguredPoolIsTheOneTasksLeaseFrom() throws Exception {
        Backend.IO_URING.assume();
        try (Runtime runtime = runtimeWithLargerBuffers(2)) {
            for (int w = 0; w < 2; w++) {
                RegisteredBufferPool pool = runtime.spawnOn(w, () -> IoUringDriver.current().bufferPool()).join();
                assertEquals(64 * 1024, runtime.spawnOn(w, pool::bufferSize).join());
                assertEquals(32, runtime.spawnOn(w, pool::capacity).join());
                assertEquals(ExhaustionPolicy.WAIT, runtime.spawnOn(w, pool::exhaustion).join());
            }
        }
    }

    /** Meets the process's real limit, so runs where it applies: in a child JVM when this one runs as root. */
    @Test
    void aPoolAboveRlimitMemlockFailsTheBuildNamingTheLimit() throws Exception {
        Backend.IO_URING.assume();
        MemlockLimited.run(PoolAboveTheLimit.class);
    }

    private static final class PoolAboveTheLimit implements MemlockLimited.Scenario {
        @Override
        public void run(long limit) throws Exception {
            int count = (int) Math.min(16384, limit / (1 << 20) + 1);
            IoUringConfig tooBig = IoUringConfig.defaults()
                    .withBufferPool(new BufferPoolConfig(1 << 20, count, ExhaustionPolicy.FAIL));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Runtime.builder().workers(1)
                    .pinning(false).driverFactory(new IoUringDriverFactory(tooBig)).build());
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t).append('\n');
            }
            assertTrue(messages.toString().contains("RLIMIT_MEMLOCK"), messages::toString);
            assertTrue(messages.toString().contains("ulimit -l"), messages::toString);
            assertTrue(messages.toString().contains("LimitMEMLOCK="), messages::toString);
            assertTrue(messages.toString().contains("--ulimit memlock"), messages::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void udpAndTime(Backend backend) throws Exception {
        backend.assume();
        try (Runtime runtime = backend.newRuntime(2, reports)) {
            assertEquals("ping", runtime.blockOn(IoGuideExamplesTest::udpPingPong));
            List<Long> due = runtime.blockOn(IoGuideExamplesTest::tickFiveTimes);
            assertEquals(5, due.size());
            long period = Duration.ofMillis(10).toNanos();
            for (int i = 1; i < due.size(); i++) {
                long step = due.get(i) - due.get(i - 1);
                assertTrue(step >= period && step % period == 0, "ticks stay on the 10 ms grid: step " + step);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void cancellingATaskBlockedInAReadClosesTheStream(Backend backend) throws Exception {
        backend.assume();
        try (Runtime runtime = backend.newRuntime(2, reports)) {
            runtime.blockOn(() -> {
                try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                     TcpStream client = TcpStream.connect(listener.localAddress());
                     TcpStream server = listener.accept()) {
                    CompletableFuture<Void> reading = new CompletableFuture<>();
                    JoinHandle<Integer> reader = runtime.spawn(() -> {
                        reading.complete(null);
                        return client.read(ByteBuffer.allocate(8));
                    });
                    reading.join();
                    Time.sleep(Duration.ofMillis(50)); // let the read reach the kernel
                    assertTrue(reader.cancel(true));
                    assertThrows(java.util.concurrent.CancellationException.class, reader::join);
                    // The body still ends: its read was cancelled and the stream closed under it.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (client.isOpen() && System.nanoTime() - deadline < 0) {
                        Time.sleep(Duration.ofMillis(1));
                    }
                    assertFalse(client.isOpen(), "cancel(true) interrupts the read, which closes the stream");
                    assertEquals(-1, server.read(ByteBuffer.allocate(1)), "the peer sees the close as end of stream");
                }
                return null;
            });
        }
    }

    @Test
    void explicitFactoriesPickTheBackend() throws Exception {
        try (Runtime portable = portableRuntime(2)) {
            assertTrue(portable.blockOn(IoBackends::describeCurrent).startsWith("portable"));
        }
        Backend.IO_URING.assume();
        try (Runtime uring = ioUringRuntime(2)) {
            assertEquals("io_uring", uring.blockOn(IoBackends::describeCurrent));
            String description = uring.blockOn(() -> IoUringDriver.current().description());
            assertTrue(description.startsWith("io_uring worker "), description);
            assertTrue(description.contains("setup "), description);
            assertTrue(description.contains("registered buffers 64 x 8192 B (FALLBACK when exhausted)"), description);
        }
    }

    // ================================================================ helpers

    private static List<String> normalizedLines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** The repository root: surefire runs in the module directory, one level below it. */
    private static Path repositoryRoot() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docs/io-guide.md")) && Files.isDirectory(d.resolve("veloq-io-uring"))) {
                return d;
            }
        }
        throw new AssertionError("docs/io-guide.md not found above " + System.getProperty("user.dir"));
    }
}
