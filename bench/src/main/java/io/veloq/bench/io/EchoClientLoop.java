package io.veloq.bench.io;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One thread of the echo load generator: a {@link Selector} over its share of the connections, each
 * with exactly one message in flight (closed loop). When a connection has read back the whole
 * message it records the round-trip time, checks the bytes, and sends the next message at once.
 *
 * <p>Message {@code seq} of connection {@code id} ({@value #MIN_MESSAGE_BYTES} bytes or more) carries
 * {@code seq} in its first and last 8 bytes and {@code id} in bytes 8..15, filler elsewhere — except,
 * in messages of at least {@value #SENT_AT_END} bytes, bytes 16..23, which carry the {@code System.nanoTime()}
 * of sending (read only by the optional server-side diagnostics, {@code EchoServerDiagnostics}); an echo that
 * differs in any of them fails the run, so a broken server cannot score.
 *
 * <p>Threading contract: {@link #add} before {@link #start}, from the generator's main thread; then
 * only the loop's own thread touches the connections, the histogram and the counters, until it ends.
 * The main thread reads {@link #histogram()}, {@link #counts()} and {@link #failure()} after
 * {@link #join} (the join orders those reads after the loop's writes). The phase is read through
 * {@link LoadPhase} (volatile).
 */
final class EchoClientLoop implements Runnable {

    static final int MIN_MESSAGE_BYTES = 16;
    /** Where the send time goes (bytes 16..23), and the smallest message that carries it (it then ends before the last seq). */
    static final int SENT_AT_OFFSET = 16;
    static final int SENT_AT_END = 32;
    private static final long SELECT_TIMEOUT_MS = 50;

    private final int index;
    private final int messageBytes;
    private final long minPerConnection;
    private final LoadPhase phase;
    private final List<Connection> connections = new ArrayList<>();
    private final LatencyHistogram histogram = new LatencyHistogram();
    private Thread thread;
    private Throwable failure;

    EchoClientLoop(int index, int messageBytes, LoadPhase phase) {
        this(index, messageBytes, 0, phase);
    }

    /**
     * @param minPerConnection measured messages after which a connection reports itself satisfied to
     *                         the phase (0: never reports)
     */
    EchoClientLoop(int index, int messageBytes, long minPerConnection, LoadPhase phase) {
        if (messageBytes < MIN_MESSAGE_BYTES) {
            throw new IllegalArgumentException("messages must have at least " + MIN_MESSAGE_BYTES + " bytes, got "
                    + messageBytes);
        }
        this.index = index;
        this.messageBytes = messageBytes;
        this.minPerConnection = minPerConnection;
        this.phase = phase;
    }

    /** Adds a connected channel; it is switched to non-blocking mode here. */
    void add(int id, SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        connections.add(new Connection(id, channel, messageBytes));
    }

    void start() {
        thread = Thread.ofPlatform().name("echo-load-" + index).daemon(true).start(this);
    }

    /** Waits for the loop to end; false if it did not within the timeout. */
    boolean join(long timeoutMillis) throws InterruptedException {
        return thread.join(Duration.ofMillis(timeoutMillis));
    }

    @Override
    public void run() {
        try (Selector selector = Selector.open()) {
            for (Connection c : connections) {
                c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                c.sendNext();
            }
            while (phase.current() != LoadPhase.DONE) {
                if (selector.select(SELECT_TIMEOUT_MS) == 0) {
                    continue;
                }
                var selected = selector.selectedKeys().iterator();
                while (selected.hasNext()) {
                    SelectionKey key = selected.next();
                    selected.remove();
                    Connection c = (Connection) key.attachment();
                    if (key.isWritable()) {
                        c.continueWrite();
                    }
                    if (key.isReadable()) {
                        c.readAvailable();
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
            phase.abort(); // the other loops and the main thread stop instead of measuring a partial load
        } finally {
            for (Connection c : connections) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // closing at the end of the run; nothing left to do with it
                }
            }
        }
    }

    LatencyHistogram histogram() {
        return histogram;
    }

    /** Messages each connection completed in the measured phase. */
    long[] counts() {
        return connections.stream().mapToLong(c -> c.measured).toArray();
    }

    Throwable failure() {
        return failure;
    }

    /** One connection: its message buffers and the time its message in flight was sent. */
    private final class Connection {
        final int id;
        final SocketChannel channel;
        final ByteBuffer out;
        final ByteBuffer in;
        SelectionKey key;
        long seq;
        long sentAt;
        long measured;

        Connection(int id, SocketChannel channel, int bytes) {
            this.id = id;
            this.channel = channel;
            this.out = ByteBuffer.allocateDirect(bytes);
            this.in = ByteBuffer.allocateDirect(bytes);
            for (int i = 0; i < bytes; i++) {
                out.put(i, (byte) ('a' + i % 26));
            }
            out.putLong(8, id);
        }

        void sendNext() throws IOException {
            seq++;
            out.putLong(0, seq);
            out.putLong(out.capacity() - 8, seq);
            out.clear();
            in.clear();
            sentAt = System.nanoTime();
            if (out.capacity() >= SENT_AT_END) {
                out.putLong(SENT_AT_OFFSET, sentAt);
            }
            continueWrite();
        }

        void continueWrite() throws IOException {
            channel.write(out);
            int wanted = out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.interestOps() != wanted) {
                key.interestOps(wanted);
            }
        }

        void readAvailable() throws IOException {
            int n;
            while (in.hasRemaining() && (n = channel.read(in)) != 0) {
                if (n < 0) {
                    throw new EOFException("connection " + id + ": the server closed it after "
                            + in.position() + " of " + in.capacity() + " echoed bytes of message " + seq);
                }
            }
            if (in.hasRemaining()) {
                return;
            }
            long rtt = System.nanoTime() - sentAt;
            check();
            if (phase.current() == LoadPhase.MEASURE) {
                histogram.record(rtt);
                if (++measured == minPerConnection) {
                    phase.connectionSatisfied();
                }
            }
            sendNext();
        }

        private void check() throws IOException {
            if (in.getLong(0) != seq || in.getLong(8) != id || in.getLong(in.capacity() - 8) != seq) {
                throw new IOException("connection " + id + ": echo of message " + seq + " differs from what was sent");
            }
        }
    }
}
