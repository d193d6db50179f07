package io.veloq.bench.io;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An echo server process: {@code EchoServerMain <variant> <workers> <buffer-bytes> <max-seconds>}.
 *
 * <p>Protocol with the runner ({@link ServerProcess}):
 * <ol>
 *   <li>It starts the server and prints {@value #SERVER_PREFIX}{@code <description>}, then
 *       {@value #LISTENING_PREFIX}{@code <port>} — the line the runner waits for — or exits with
 *       status 1 and the reason.</li>
 *   <li>It serves until its standard input reaches end of file (the runner closes it to stop the
 *       server, and the kernel closes it if the runner dies) or {@code max-seconds} pass, whichever
 *       comes first: a server outlives its runner by at most that bound.</li>
 *   <li>It closes the server (bounded), prints {@code STOPPED} and exits with {@code System.exit},
 *       so no lingering thread can keep the JVM alive.</li>
 * </ol>
 */
public final class EchoServerMain {

    static final String LISTENING_PREFIX = "LISTENING ";
    static final String SERVER_PREFIX = "SERVER ";

    private EchoServerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: EchoServerMain <variant> <workers> <buffer-bytes> <max-seconds>");
            System.exit(2);
        }
        int status = 0;
        EchoServer server = EchoServer.of(args[0]);
        try {
            InetSocketAddress address = server.start(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            System.out.println(SERVER_PREFIX + server.describe());
            System.out.println(LISTENING_PREFIX + address.getPort());
            System.out.flush();
            if (!awaitEndOfInput(Long.parseLong(args[3]))) {
                System.out.println("max-seconds passed without end of input: stopping");
            }
        } catch (Throwable t) {
            System.out.println("echo server " + args[0] + " failed: " + t);
            t.printStackTrace(System.out);
            status = 1;
        } finally {
            try {
                server.close();
                System.out.println("STOPPED");
            } catch (Throwable t) {
                System.out.println("echo server " + args[0] + " did not close cleanly: " + t);
                status = 1;
            }
        }
        System.out.flush();
        System.exit(status);
    }

    /** True when standard input ended (or failed) within {@code maxSeconds}; false on the timeout. */
    private static boolean awaitEndOfInput(long maxSeconds) throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        Thread.ofPlatform().daemon(true).name("stdin-watch").start(() -> {
            byte[] sink = new byte[256];
            try (InputStream in = System.in) {
                while (in.read(sink) >= 0) {
                    // the runner writes nothing; end of file is the signal
                }
            } catch (IOException e) {
                // a broken pipe is as good as end of file: the runner is gone
            }
            ended.countDown();
        });
        return ended.await(maxSeconds, TimeUnit.SECONDS);
    }
}
