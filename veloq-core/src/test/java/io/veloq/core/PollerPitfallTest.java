package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DESIGN.md's poller pitfall, in a fresh JVM (the JDK starts its pollers once per JVM): the first
 * blocking socket read of the JVM happens inside a Veloq task. Had the JDK's sub-pollers been
 * created there, they would inherit the worker as scheduler and die with the runtime, and every
 * later socket read in the JVM would hang. The runtime initialises the pollers on a platform
 * thread at start, so a read after the runtime has closed still works.
 */
@Timeout(60)
class PollerPitfallTest {

    private static final String NOT_PARKED = "NOT-PARKED";

    @Test
    void socketReadsStillWorkAfterARuntimeThatDidTheFirstReadHasClosed() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java,
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        String out = ProbeJvm.run(command);
        assertTrue(out.contains("IN-TASK 42"), out);
        assertTrue(out.contains("AFTER-CLOSE 43"), out);
        assertFalse(out.contains(NOT_PARKED), out);
    }

    /**
     * One blocking round trip over loopback on the calling thread. The writer writes only once the
     * reader is parked in {@code read()}: a read that found its byte already there would never
     * block, never reach the JDK's pollers, and the probe would prove nothing.
     */
    static int roundTrip(ServerSocket server, int value) throws Exception {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            Thread reader = Thread.currentThread();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    TestSupport.awaitParkedIn(reader, "SocketInputStream.read");
                } catch (AssertionError e) {
                    System.out.println(NOT_PARKED + " " + e.getMessage()); // the test fails on this line
                }
                try {
                    accepted.getOutputStream().write(value); // written either way, so the probe never hangs here
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InputStream in = client.getInputStream();
            int read = in.read();
            writer.join();
            return read;
        }
    }

    /** Main class of the probe JVM. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
                try (Runtime rt = Runtime.builder().workers(1).build()) {
                    System.out.println("IN-TASK " + rt.blockOn(() -> roundTrip(server, 42)));
                }
                try (var vthreads = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<Integer> read = vthreads.submit(() -> roundTrip(server, 43));
                    try {
                        System.out.println("AFTER-CLOSE " + read.get(10, TimeUnit.SECONDS));
                    } catch (TimeoutException e) {
                        System.out.println("STUCK: a socket read after the runtime closed never completed");
                        System.exit(0);
                    }
                }
            }
        }
    }
}
