package io.veloq.bench.io;

import io.veloq.core.Runtime;
import io.veloq.core.RuntimeContext;
import io.veloq.io.net.ListenOptions;
import io.veloq.io.net.TcpListener;
import io.veloq.io.net.TcpStream;
import io.veloq.uring.IoUringDriver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code veloq}: the echo server on Veloq's direct-style TCP API over io_uring. Each connection is
 * served by one task that loops {@code read} into a direct buffer and {@code writeAll} of what it
 * read. How connections reach the workers is {@link Accept}: by default one listener whose accept
 * loop deals them to the workers in turn, as Netty's event-loop group does.
 *
 * <p>Threading: {@link #start} and {@link #close} from a platform thread outside the runtime. The
 * listener list is written by start before the accept loops exist; the stream set is written by
 * the connection tasks and read by close (concurrent set).
 */
final class VeloqEchoServer implements EchoServer {

    /** Selects {@link Accept} for {@code EchoServer.of("veloq")}: {@code dealt} (default) or {@code reuseport}. */
    static final String ACCEPT_PROPERTY = "veloq.bench.io.accept";

    /** How accepted connections reach the workers. */
    enum Accept {
        /**
         * One listener, accepted on worker 0, which deals connection i to worker i mod N, as Netty's
         * group deals its channels to its loops. The load generator deals its connections to its
         * threads the same way, so each worker serves the connections of one load-generator thread:
         * with the same layout as Netty's, the two servers are compared on equal terms (see
         * bench/README.md, "Two modes", for what the layout does to cache misses).
         */
        DEALT,
        /**
         * One listener per worker on the same port with SO_REUSEPORT: the kernel spreads the
         * connections by a hash of their addresses, accepts never leave their worker, and no
         * connection is handed between workers — the layout for many acceptors, unevenly split
         * with few connections.
         */
        REUSEPORT;

        static Accept fromProperty() {
            return parse(System.getProperty(ACCEPT_PROPERTY));
        }

        /** {@code dealt}, {@code reuseport}, or null for the default ({@link #DEALT}). */
        static Accept parse(String value) {
            return switch (value == null ? "dealt" : value) {
                case "dealt" -> DEALT;
                case "reuseport" -> REUSEPORT;
                default -> throw new IllegalArgumentException(
                        "-D" + ACCEPT_PROPERTY + " must be dealt or reuseport, was '" + value + "'");
            };
        }
    }

    private final Accept accept;
    private final List<TcpListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<TcpStream> streams = ConcurrentHashMap.newKeySet();
    private Runtime runtime;
    private EchoServerDiagnostics diagnostics;
    private String driver = "not started";

    VeloqEchoServer(Accept accept) {
        this.accept = accept;
    }

    @Override
    public InetSocketAddress start(int workers, int bufferBytes) throws Exception {
        runtime = VeloqIoRuntimes.start(workers, VeloqIoRuntimes.pool(8192, 16));
        driver = VeloqIoRuntimes.requireUring(runtime);
        diagnostics = EchoServerDiagnostics.fromProperty(workers);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (accept == Accept.DEALT) {
            TcpListener listener = runtime.spawnOn(0, () -> TcpListener.bind(any, ListenOptions.defaults()))
                    .get(VeloqIoRuntimes.WAIT_SECONDS, TimeUnit.SECONDS);
            listeners.add(listener);
            runtime.spawnOn(0, "accept", () -> acceptLoop(listener, bufferBytes));
            return listener.localAddress();
        }
        ListenOptions options = ListenOptions.defaults().withReusePort(true);
        TcpListener first = runtime.spawnOn(0, () -> TcpListener.bind(any, options))
                .get(VeloqIoRuntimes.WAIT_SECONDS, TimeUnit.SECONDS);
        listeners.add(first);
        InetSocketAddress address = first.localAddress();
        for (int w = 1; w < workers; w++) {
            listeners.add(runtime.spawnOn(w, () -> TcpListener.bind(address, options))
                    .get(VeloqIoRuntimes.WAIT_SECONDS, TimeUnit.SECONDS));
        }
        for (int w = 0; w < workers; w++) {
            TcpListener listener = listeners.get(w);
            runtime.spawnOn(w, "accept-" + w, () -> acceptLoop(listener, bufferBytes));
        }
        return address;
    }

    /** Accepts until the listener is closed; {@link Accept#DEALT} deals from worker 0 onwards. */
    private void acceptLoop(TcpListener listener, int bufferBytes) {
        int next = 0;
        while (true) {
            TcpStream stream;
            try {
                stream = listener.accept();
            } catch (IOException e) {
                if (!listener.isOpen()) {
                    return; // closed by close(): the normal end
                }
                throw new IllegalStateException("accept on " + listener + " failed", e);
            }
            streams.add(stream);
            Runnable connection = diagnostics == null
                    ? () -> serve(stream, bufferBytes)
                    : () -> serveMeasured(stream, bufferBytes);
            if (accept == Accept.DEALT) {
                runtime.spawnOn(next, connection);
                next = next + 1 == runtime.workerCount() ? 0 : next + 1;
            } else {
                runtime.spawnLocal(connection);
            }
        }
    }

    private void serve(TcpStream stream, int bufferBytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes);
        try (stream) {
            stream.setNoDelay(true);
            while (true) {
                buffer.clear();
                if (stream.read(buffer) < 0) {
                    return;
                }
                buffer.flip();
                stream.writeAll(buffer);
            }
        } catch (IOException e) {
            // The client closing or resetting at the end of its run, or close() below: the connection
            // is over. A failure during the run shows on the client side, which checks every echo.
        } finally {
            streams.remove(stream);
        }
    }

    /** {@link #serve} with the timings of {@link EchoServerDiagnostics}. */
    private void serveMeasured(TcpStream stream, int bufferBytes) {
        EchoServerDiagnostics.PerWorker stats = diagnostics.forWorker(RuntimeContext.current().workerIndex());
        long[] messages;
        try {
            messages = stats.connection(stream.remoteAddress().getPort());
        } catch (IOException e) {
            return; // the connection is already gone
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes);
        try (stream) {
            stream.setNoDelay(true);
            long written = System.nanoTime();
            while (true) {
                buffer.clear();
                if (stream.read(buffer) < 0) {
                    return;
                }
                long read = System.nanoTime();
                stats.recordRead(read - written);
                if (buffer.position() >= EchoClientLoop.SENT_AT_END) { // a whole message: it carries its send time
                    stats.recordInbound(read - buffer.getLong(EchoClientLoop.SENT_AT_OFFSET));
                }
                buffer.flip();
                stream.writeAll(buffer);
                written = System.nanoTime();
                stats.recordWrite(written - read);
                messages[0]++;
            }
        } catch (IOException e) {
            // as in serve
        } finally {
            streams.remove(stream);
        }
    }

    @Override
    public String describe() {
        String layout = accept == Accept.DEALT
                ? "one listener dealing connections to the workers in turn"
                : listeners.size() + " SO_REUSEPORT listeners";
        return "veloq: " + layout + ", a task per connection; " + driver;
    }

    @Override
    public void close() throws Exception {
        if (runtime == null) {
            return;
        }
        try {
            if (diagnostics != null) {
                for (int w = 0; w < runtime.workerCount(); w++) {
                    diagnostics.forWorker(w).driverStats(runtime.spawnOn(w, () -> IoUringDriver.current().stats())
                            .get(VeloqIoRuntimes.WAIT_SECONDS, TimeUnit.SECONDS).toString());
                }
            }
            for (TcpListener listener : listeners) {
                listener.close();
            }
            for (TcpStream stream : streams) {
                stream.close();
            }
        } finally {
            VeloqIoRuntimes.stop(runtime);
            if (diagnostics != null) {
                diagnostics.writeSummary("veloq echo server, " + driver);
            }
        }
    }
}
