package io.veloq.io.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.io.file.FileOption;
import io.veloq.io.file.VeloqFile;
import io.veloq.io.net.UdpSocket;
import io.veloq.io.time.Time;
import io.veloq.join.JoinHandle;
import io.veloq.uring.IoUring;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.IoUringDriverFactory;
import io.veloq.uring.TestSupport;
import io.veloq.uring.UncaughtReports;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step 3 of the close protocol must release the descriptor even when the ring cannot take the
 * CLOSE (here: the worker's op table is full), never leave it open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UringResourceReleaseTest {

    @TempDir
    Path dir;

    @Test
    void aCloseTheRingCannotTakeStillClosesTheDescriptor() throws Exception {
        Assumptions.assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityReason().orElse("?"));
        DatagramChannel.open().close(); // NIO opens a descriptor of its own the first time; not ours
        Path path = Files.writeString(dir.resolve("f"), "data");
        Set<String> before = TestSupport.openFds();
        UncaughtReports reports = new UncaughtReports();
        IoUringConfig oneInFlight = IoUringConfig.defaults().withMaxInFlight(1);
        try (Runtime runtime = Runtime.builder().workers(1).pinning(false)
                .driverFactory(new IoUringDriverFactory(oneInFlight)).uncaughtExceptionHandler(reports).build()) {
            VeloqFile file = runtime.blockOn(() -> VeloqFile.open(path, FileOption.READ));
            UdpSocket udp = runtime.blockOn(() -> UdpSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            InetSocketAddress udpAddress = runtime.blockOn(udp::localAddress);
            JoinHandle<InetSocketAddress> receiver = runtime.spawnOn(0, () -> udp.receive(ByteBuffer.allocate(8)));
            runtime.blockOn(() -> {
                IoUringDriver driver = IoUringDriver.current();
                while (driver.stats().pending() < 1) { // the receive holds the only slot
                    Time.sleep(Duration.ofMillis(1));
                }
                file.close(); // the ring cannot take its CLOSE now
                assertFalse(file.isOpen());
                return null;
            });
            try (DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                sender.send(new DatagramPacket(new byte[] {7}, 1, udpAddress));
            }
            assertEquals(InetAddress.getLoopbackAddress(), receiver.join().getAddress());
            runtime.blockOn(() -> {
                udp.close();
                return null;
            });
        }
        Set<String> leaked = new TreeSet<>(TestSupport.openFds());
        leaked.removeAll(before);
        leaked.removeIf(fd -> fd.endsWith("anon_inode:[eventpoll]")); // the JDK's own pollers, started once per JVM
        assertTrue(leaked.isEmpty(), () -> "descriptors leaked: " + leaked);
        reports.assertOnlyJoinedFailures();
    }
}
