package io.veloq.bench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every echo server, in process, against the real load generator: each connection gets its echoes
 * and the server stops cleanly. A server that changes the bytes fails the generator. Functional
 * only: nothing here depends on how fast anything is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EchoRoundTripTest {

    static {
        // Netty 4.2.7's io_uring handler asserts that its shared iovec array is empty whenever a write
        // takes it, yet appends a second connection's writev to it before the pending one is submitted
        // (as it is designed to); so with -ea (surefire's default) a 4 KiB echo fails its flush. The
        // benchmark JVMs run without -ea; here Netty's assertions are turned off before its classes load.
        EchoRoundTripTest.class.getClassLoader().setPackageAssertionStatus("io.netty", false);
    }

    /** The JDK server needs the default scheduler's parallelism, which is the processor count here. */
    private static final int WORKERS = java.lang.Runtime.getRuntime().availableProcessors();

    @ParameterizedTest
    @ValueSource(strings = {"veloq", "netty_epoll", "netty_io_uring", "jdk_vt_sockets"})
    void everyServerEchoesEveryConnection(String variant) throws Exception {
        RandomReadsTest.assumeUringFor(variant);
        String described = variant.startsWith("netty") ? "netty" : variant.split("_")[0];
        assertEchoesEveryConnection(() -> EchoServer.of(variant), described);
    }

    @Test
    void veloqWithAListenerPerWorkerEchoesEveryConnection() throws Exception {
        RandomReadsTest.assumeUringFor("veloq");
        assertEchoesEveryConnection(() -> new VeloqEchoServer(VeloqEchoServer.Accept.REUSEPORT),
                "veloq: " + WORKERS + " SO_REUSEPORT listeners");
    }

    @Test
    void veloqAcceptLayoutsAreNamedOrRefused() {
        assertEquals(VeloqEchoServer.Accept.DEALT, VeloqEchoServer.Accept.parse(null));
        assertEquals(VeloqEchoServer.Accept.DEALT, VeloqEchoServer.Accept.parse("dealt"));
        assertEquals(VeloqEchoServer.Accept.REUSEPORT, VeloqEchoServer.Accept.parse("reuseport"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VeloqEchoServer.Accept.parse("round-robin"));
        assertTrue(e.getMessage().contains(VeloqEchoServer.ACCEPT_PROPERTY) && e.getMessage().contains("round-robin"),
                e.getMessage());
    }

    /**
     * 6 connections, 64 B then 4 KiB messages read up to 16 KiB at a time, then 64 KiB messages read
     * 1 KiB at a time (as in the suite's scenarios): every connection gets at least 20 echoes.
     */
    private static void assertEchoesEveryConnection(Supplier<EchoServer> servers, String describedAs) throws Exception {
        int[][] messageAndReadBytes = {{64, 16 * 1024}, {4096, 16 * 1024}, {64 * 1024, 1024}};
        for (int[] sizes : messageAndReadBytes) {
            int bytes = sizes[0];
            try (EchoServer server = servers.get()) {
                InetSocketAddress address = server.start(WORKERS, sizes[1]);
                assertTrue(server.describe().startsWith(describedAs), server.describe());
                EchoLoadGenerator.Result result = EchoLoadGenerator.run(new EchoLoadGenerator.Config(address, 6, bytes,
                        2, Duration.ofMillis(50), Duration.ofMillis(100), 20));
                assertEquals(6, result.perConnection().length);
                assertTrue(Arrays.stream(result.perConnection()).allMatch(n -> n >= 20),
                        server.describe() + " starved a connection: " + Arrays.toString(result.perConnection()));
                assertEquals(Arrays.stream(result.perConnection()).sum(), result.messages());
                assertTrue(result.percentileMicros(99) > 0);
                assertTrue(result.summary().contains("msgs/s"), result.summary());
            }
        }
    }

    @Test
    void anEchoThatDiffersFromWhatWasSentFailsTheRun() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> corruptingEcho(listener));
            IOException e = assertThrows(IOException.class, () -> EchoLoadGenerator.run(new EchoLoadGenerator.Config(
                    (InetSocketAddress) listener.getLocalSocketAddress(), 1, 64, 1, Duration.ofSeconds(30),
                    Duration.ofSeconds(30))));
            assertTrue(e.getMessage().contains("differs"), e.getMessage());
        }
    }

    @Test
    void aServerThatIsNotThereFailsAtConnect() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        InetSocketAddress gone = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        IOException e = assertThrows(IOException.class, () -> EchoLoadGenerator.run(new EchoLoadGenerator.Config(
                gone, 2, 64, 1, Duration.ZERO, Duration.ofMillis(100))));
        assertTrue(e.getMessage().contains("connection 0 of 2"), e.getMessage());
    }

    @Test
    void unknownServersAndTinyMessagesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EchoServer.of("tomcat"));
        assertThrows(IllegalArgumentException.class, () -> new EchoClientLoop(0, 8, new LoadPhase()));
    }

    /** Echoes with the last byte of each read flipped. */
    private static void corruptingEcho(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[256];
            int n;
            while ((n = in.read(buffer)) > 0) {
                buffer[n - 1] ^= 1;
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the generator closes the connection once it has seen the bad echo
        }
    }
}
