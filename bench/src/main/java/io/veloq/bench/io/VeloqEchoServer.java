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
 * {@code veloq}: the echo server on Veloq's direct-style TCP API over io_uring. One listener per
 * worker on the same port with SO_REUSEPORT, so the kernel spreads the connections over the
 * workers and no connection is handed between them; on each worker an accept-loop task spawns one
 * task per connection ({@code spawnLocal}: it stays on the worker that accepted it), which loops
 * {@code read} into a direct buffer and {@code writeAll} of what it read.
 *
 * <p>Threading: {@link #start} and {@link #close} from a platform thread outside the runtime. The
 * listener list is written by start before the accept loops exist; the stream set is written by
 * the connection tasks and read by close (concurrent set).
 */
final class VeloqEchoServer implements EchoServer {

    private final List<TcpListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<TcpStream> streams = ConcurrentHashMap.newKeySet();
    private Runtime runtime;
    private EchoServerDiagnostics diagnostics;
    private String driver = "not started";

    @Override
    public InetSocketAddress start(int workers, int bufferBytes) throws Exception {
        runtime = VeloqIoRuntimes.start(workers, VeloqIoRuntimes.pool(8192, 16));
        driver = VeloqIoRuntimes.requireUring(runtime);
        diagnostics = EchoServerDiagnostics.fromProperty(workers);
        ListenOptions options = ListenOptions.defaults().withReusePort(true);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
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

    private void acceptLoop(TcpListener listener, int bufferBytes) {
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
            if (diagnostics == null) {
                runtime.spawnLocal(() -> serve(stream, bufferBytes));
            } else {
                runtime.spawnLocal(() -> serveMeasured(stream, bufferBytes));
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
        return "veloq: " + listeners.size() + " SO_REUSEPORT listeners, a task per connection; " + driver;
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
