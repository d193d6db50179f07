package io.veloq.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.veloq.io.net.ListenOptions;
import io.veloq.io.net.TcpListener;
import io.veloq.io.net.TcpStream;
import io.veloq.join.JoinHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand concurrent connections doing echo against one SO_REUSEPORT listener per worker.
 * Bounded: 1000 connections x {@value #MESSAGES} messages of {@value #MESSAGE_BYTES} bytes
 * (-Dveloq.io.echo.connections=N to scale it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class EchoStressContract extends IoContract {

    static final int MESSAGES = 5;
    static final int MESSAGE_BYTES = 64;

    EchoStressContract(Backend backend) {
        super(backend);
    }

    @Test
    void aThousandConcurrentConnectionsEcho() throws Exception {
        int connections = Integer.getInteger("veloq.io.echo.connections", 1000);
        AtomicLong echoedBytes = new AtomicLong();
        inTask(() -> {
            ListenOptions options = ListenOptions.defaults().withReusePort(true).withBacklog(4096);
            InetSocketAddress address;
            List<TcpListener> listeners = new ArrayList<>();
            List<JoinHandle<Void>> acceptors = new ArrayList<>();
            try (TcpListener first = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options)) {
                address = first.localAddress();
                listeners.add(first);
                for (int w = 1; w < runtime.workerCount(); w++) {
                    listeners.add(runtime.spawnOn(w, () -> TcpListener.bind(address, options)).join());
                }
                for (int w = 0; w < listeners.size(); w++) {
                    TcpListener mine = listeners.get(w);
                    acceptors.add(runtime.spawnOn(w, () -> serve(mine, echoedBytes)));
                }
                List<JoinHandle<Integer>> clients = new ArrayList<>();
                for (int c = 0; c < connections; c++) {
                    int id = c;
                    clients.add(runtime.spawnBalanced(() -> client(address, id)));
                }
                int exchanged = 0;
                for (JoinHandle<Integer> client : clients) {
                    exchanged += client.join();
                }
                assertEquals(connections * MESSAGES, exchanged);
                for (TcpListener l : listeners) {
                    l.close();
                }
                for (JoinHandle<Void> a : acceptors) {
                    a.join();
                }
            }
        });
        assertEquals((long) connections * MESSAGES * MESSAGE_BYTES, echoedBytes.get());
    }

    /** Accepts until the listener closes; one local task per connection echoes until end of stream. */
    private Void serve(TcpListener listener, AtomicLong echoedBytes) throws Exception {
        List<JoinHandle<Void>> handlers = new ArrayList<>();
        try {
            while (true) {
                TcpStream s = listener.accept();
                handlers.add(runtime.spawnLocal(() -> {
                    try (s) {
                        ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE_BYTES * 2);
                        int n;
                        while ((n = s.read(buffer)) >= 0) {
                            buffer.flip();
                            s.writeAll(buffer);
                            buffer.clear();
                            echoedBytes.addAndGet(n);
                        }
                    }
                    return null;
                }));
            }
        } catch (ClosedChannelException listenerClosed) {
            for (JoinHandle<Void> h : handlers) {
                h.join();
            }
            return null;
        }
    }

    private static int client(InetSocketAddress address, int id) throws Exception {
        try (TcpStream s = TcpStream.connect(address)) {
            s.setNoDelay(true);
            byte[] message = new byte[MESSAGE_BYTES];
            byte[] back = new byte[MESSAGE_BYTES];
            for (int m = 0; m < MESSAGES; m++) {
                java.util.Arrays.fill(message, (byte) (id * 31 + m));
                s.writeAll(message);
                s.readFully(back, 0, back.length);
                assertArrayEquals(message, back);
            }
            s.shutdownOutput();
            assertEquals(-1, s.read(back, 0, 1));
            return MESSAGES;
        }
    }
}
