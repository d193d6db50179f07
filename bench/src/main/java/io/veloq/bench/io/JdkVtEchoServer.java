package io.veloq.bench.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code jdk_vt_sockets}: blocking JDK sockets ({@link ServerSocket}, {@link Socket} streams), one
 * virtual thread per connection on the JDK's default virtual-thread scheduler, whose parallelism
 * must be {@code workers} (the JVM is started with {@code -D}{@value #PARALLELISM}{@code =<workers>};
 * {@link #start} checks it). Each connection thread loops {@code read} into a byte array and
 * {@code write} of what it read.
 *
 * <p>Threading: {@link #start} and {@link #close} from one platform thread; the socket set is
 * written by the connection threads and read by close (concurrent set).
 */
final class JdkVtEchoServer implements EchoServer {

    /** The system property that sets the default scheduler's parallelism (read once, at JVM start). */
    static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private ServerSocket listener;
    private int parallelism;

    @Override
    public InetSocketAddress start(int workers, int bufferBytes) throws IOException {
        parallelism = Integer.getInteger(PARALLELISM, java.lang.Runtime.getRuntime().availableProcessors());
        if (parallelism != workers) {
            throw new IllegalStateException("the default virtual-thread scheduler has parallelism " + parallelism
                    + ", the scenario wants " + workers + ": start the JVM with -D" + PARALLELISM + "=" + workers);
        }
        listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        threads.add(Thread.ofVirtual().name("accept").start(() -> acceptLoop(bufferBytes)));
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void acceptLoop(int bufferBytes) {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return; // closed by close(): the normal end
                }
                throw new IllegalStateException("accept on " + listener + " failed", e);
            }
            sockets.add(socket);
            threads.add(Thread.ofVirtual().start(() -> serve(socket, bufferBytes)));
        }
    }

    private void serve(Socket socket, int bufferBytes) {
        byte[] buffer = new byte[bufferBytes];
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The client closing or resetting at the end of its run, or close(): the connection is over.
        } finally {
            sockets.remove(socket);
            threads.remove(Thread.currentThread());
        }
    }

    @Override
    public String describe() {
        return "jdk blocking sockets, a virtual thread per connection, default scheduler with parallelism "
                + parallelism;
    }

    @Override
    public void close() throws Exception {
        if (listener == null) {
            return;
        }
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Thread thread : threads) {
            if (!thread.join(Duration.ofSeconds(VeloqIoRuntimes.WAIT_SECONDS))) {
                throw new IllegalStateException(thread + " did not end after its socket was closed");
            }
        }
    }
}
