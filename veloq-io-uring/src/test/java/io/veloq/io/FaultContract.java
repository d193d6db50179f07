package io.veloq.io;

import static io.veloq.io.file.FileOption.CREATE;
import static io.veloq.io.file.FileOption.READ;
import static io.veloq.io.file.FileOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.file.VeloqFile;
import io.veloq.io.file.VeloqFiles;
import io.veloq.io.net.ListenOptions;
import io.veloq.io.net.TcpListener;
import io.veloq.io.net.TcpStream;
import io.veloq.io.net.UdpSocket;
import io.veloq.io.time.Time;
import java.lang.foreign.Arena;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails at the boundary with a clear exception, before any I/O, on every backend. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class FaultContract extends IoContract {

    @TempDir
    Path dir;

    FaultContract(Backend backend) {
        super(backend);
    }

    static void rejects(Class<? extends Throwable> type, String mentions, Executable call) {
        Throwable t = assertThrows(type, call);
        if (mentions != null) {
            assertTrue(String.valueOf(t.getMessage()).contains(mentions), () -> "message " + t.getMessage()
                    + " should mention " + mentions);
        }
    }

    @Test
    void fileArgumentsAreCheckedFirst() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "0123456789");
        inTask(() -> {
            try (VeloqFile f = VeloqFile.open(file, READ, WRITE)) {
                rejects(NullPointerException.class, "dst", () -> f.readAt((ByteBuffer) null, 0));
                rejects(IllegalArgumentException.class, "-1", () -> f.readAt(ByteBuffer.allocate(1), -1));
                rejects(IllegalArgumentException.class, "position", () -> f.writeAt(ByteBuffer.allocate(1), -5));
                rejects(IndexOutOfBoundsException.class, null, () -> f.readAt(new byte[4], 2, 3, 0));
                rejects(IndexOutOfBoundsException.class, null, () -> f.writeAt(new byte[4], -1, 1, 0));
                rejects(IllegalArgumentException.class, "read-only", () -> f.readAt(ByteBuffer.allocate(2).asReadOnlyBuffer(), 0));
                try (Arena arena = Arena.ofConfined()) {
                    rejects(IllegalArgumentException.class, "read-only",
                            () -> f.readAt(arena.allocate(4).asReadOnly(), 0));
                }
                rejects(IllegalArgumentException.class, "length", () -> f.allocate(0, 0));
                rejects(IllegalArgumentException.class, "position", () -> f.allocate(-1, 10));
            }
            try (VeloqFile readOnly = VeloqFile.open(file)) {
                assertThrows(NonWritableChannelException.class, () -> readOnly.writeAt(ByteBuffer.allocate(1), 0));
                assertThrows(NonWritableChannelException.class, () -> readOnly.allocate(0, 1));
            }
            try (VeloqFile writeOnly = VeloqFile.open(file, WRITE)) {
                assertThrows(NonReadableChannelException.class, () -> writeOnly.readAt(ByteBuffer.allocate(1), 0));
            }
            rejects(NullPointerException.class, "path", () -> VeloqFile.open(null, READ));
            rejects(NullPointerException.class, "option", () -> VeloqFile.open(file, (io.veloq.io.file.FileOption) null));
            rejects(NullPointerException.class, "path", () -> VeloqFiles.delete(null));
        });
    }

    @Test
    void socketArgumentsAreCheckedFirst() throws Exception {
        inTask(() -> {
            rejects(IllegalArgumentException.class, "70000", () -> TcpStream.connect("127.0.0.1", 70000));
            rejects(IllegalArgumentException.class, "port", () -> TcpStream.connect("127.0.0.1", 0));
            rejects(IllegalArgumentException.class, "-1", () -> TcpListener.bind("127.0.0.1", -1));
            rejects(IllegalArgumentException.class, "port 0",
                    () -> TcpStream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            assertThrows(UnresolvedAddressException.class,
                    () -> TcpStream.connect(InetSocketAddress.createUnresolved("example.invalid", 80)));
            rejects(NullPointerException.class, "remote", () -> TcpStream.connect((InetSocketAddress) null));
            rejects(IllegalArgumentException.class, "timeout",
                    () -> TcpStream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), Duration.ZERO));
            rejects(IllegalArgumentException.class, "backlog", () -> ListenOptions.defaults().withBacklog(0));
            try (UdpSocket udp = UdpSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                rejects(NullPointerException.class, "target", () -> udp.send(ByteBuffer.allocate(1), null));
                rejects(IllegalArgumentException.class, "room", () -> udp.receive(ByteBuffer.allocate(0)));
            }
            try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 TcpStream stream = TcpStream.connect(listener.localAddress());
                 TcpStream accepted = listener.accept()) {
                rejects(IllegalArgumentException.class, "buffer size", () -> stream.setSendBufferSize(0));
                rejects(IndexOutOfBoundsException.class, null, () -> stream.read(new byte[2], 1, 2));
                rejects(IllegalArgumentException.class, "read-only", () -> stream.read(ByteBuffer.allocate(1).asReadOnlyBuffer()));
                rejects(NullPointerException.class, "src", () -> accepted.write((ByteBuffer) null));
            }
        });
    }

    @Test
    void blockingCallsOutsideATaskAreRefusedWithAClearMessage() throws Exception {
        Path file = Files.writeString(dir.resolve("g.txt"), "x");
        // This is the JUnit thread, not a Veloq task.
        rejects(IllegalStateException.class, "task", () -> VeloqFile.open(file, READ));
        rejects(IllegalStateException.class, "task", () -> Time.sleep(Duration.ofMillis(1)));
        rejects(IllegalStateException.class, "task", () -> TcpStream.connect("127.0.0.1", 9));
        rejects(IllegalStateException.class, "task", () -> Time.timeout(Duration.ofSeconds(1), () -> 1));
        rejects(IllegalStateException.class, "task", () -> VeloqFiles.createDirectory(dir.resolve("d")));
        // A virtual thread of the JDK's own scheduler is no Veloq task either.
        Throwable[] seen = new Throwable[1];
        Thread.ofVirtual().start(() -> seen[0] = assertThrows(IllegalStateException.class,
                () -> IoBackends.current())).join();
        assertTrue(seen[0].getMessage().contains("not a Veloq task"), seen[0].getMessage());
        // An open file used from outside: the read is refused, close is fine.
        VeloqFile f = call(() -> VeloqFile.open(file, READ, WRITE, CREATE));
        rejects(IllegalStateException.class, "task", () -> f.readAt(ByteBuffer.allocate(1), 0));
        f.close();
    }
}
