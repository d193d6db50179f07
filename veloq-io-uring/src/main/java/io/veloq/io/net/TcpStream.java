package io.veloq.io.net;

import io.veloq.io.IoBackends;
import io.veloq.io.TcpStreamIo;
import io.veloq.uring.buffer.RegisteredBuffer;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * A connected TCP stream in direct style: reads and writes park the calling task until the kernel
 * has data or room. On the io_uring backend each call is one RECV or SEND of the caller's worker;
 * on the portable backend a blocking {@link java.nio.channels.SocketChannel} call.
 *
 * <p>Semantics follow the JDK: {@link #read} returns what is available (at least one byte) or -1
 * at end of stream (the peer shut its output down or closed); a reset by the peer is {@link
 * java.net.SocketException}{@code ("Connection reset")}; {@link #write} may write fewer bytes than
 * offered, {@link #writeAll} loops; {@link #readFully} throws {@link EOFException} if the stream
 * ends first. Buffers: {@link ByteBuffer} (JDK position/limit convention), {@code byte[]} ranges and
 * {@link RegisteredBuffer} ranges (no staging copy on io_uring).
 *
 * <p>Threading contract: {@link #connect}, reads and writes must be called from a Veloq task
 * ({@link IllegalStateException} elsewhere). Any task of the runtime may use the stream; one
 * reader and one writer at a time is the sensible pattern (concurrent readers interleave bytes
 * arbitrarily). Options, addresses, shutdowns, {@link #isOpen()} and {@link #close()}: any thread.
 * Closing ends the operations of other tasks with {@link java.nio.channels.AsynchronousCloseException};
 * a second close does nothing; interrupting a task blocked here cancels its operation and closes
 * the stream ({@link java.nio.channels.ClosedByInterruptException}).
 */
public final class TcpStream implements AutoCloseable {

    private final TcpStreamIo io;

    TcpStream(TcpStreamIo io) {
        this.io = io;
    }

    /** Connects to {@code remote}, waiting as long as the kernel does (about two minutes of SYN retries). */
    public static TcpStream connect(InetSocketAddress remote) throws IOException {
        Addresses.remote(remote, "remote");
        return new TcpStream(IoBackends.current().connectTcp(remote, Long.MAX_VALUE));
    }

    /**
     * Connects to {@code remote} within {@code timeout}.
     *
     * @throws java.net.SocketTimeoutException naming the address when the timeout passes
     * @throws java.net.ConnectException naming the address when the peer refuses
     */
    public static TcpStream connect(InetSocketAddress remote, Duration timeout) throws IOException {
        Addresses.remote(remote, "remote");
        long nanos = Addresses.timeoutNanos(timeout);
        return new TcpStream(IoBackends.current().connectTcp(remote, nanos));
    }

    /** Resolves {@code host} and connects to {@code host:port} (1..65535). */
    public static TcpStream connect(String host, int port) throws IOException {
        return connect(Addresses.resolve(host, port, 1));
    }

    // ---------------------------------------------------------------- reads

    /** Reads what is available into {@code dst}: the count (0 only if {@code dst} is full), or -1 at end of stream. */
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        IoBackends.requireTask("read");
        return dst.hasRemaining() ? io.read(dst) : 0;
    }

    public int read(byte[] dst, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(dst, "dst").length);
        return read(ByteBuffer.wrap(dst, offset, length));
    }

    public int read(RegisteredBuffer buffer, int offset, int length) throws IOException {
        return read(slice(buffer, offset, length));
    }

    /** Fills {@code dst} completely, or throws {@link EOFException} if the stream ends first. */
    public void readFully(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new EOFException("end of stream from " + peerOrUnknown() + " with " + dst.remaining()
                        + " bytes still expected");
            }
        }
    }

    public void readFully(byte[] dst, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(dst, "dst").length);
        readFully(ByteBuffer.wrap(dst, offset, length));
    }

    public void readFully(RegisteredBuffer buffer, int offset, int length) throws IOException {
        readFully(slice(buffer, offset, length));
    }

    // ---------------------------------------------------------------- writes

    /** Writes from {@code src}: the count, at least one byte unless {@code src} is empty. */
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        IoBackends.requireTask("write");
        return src.hasRemaining() ? io.write(src) : 0;
    }

    public int write(byte[] src, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
        return write(ByteBuffer.wrap(src, offset, length));
    }

    public int write(RegisteredBuffer buffer, int offset, int length) throws IOException {
        return write(slice(buffer, offset, length));
    }

    /** Writes all of {@code src}, looping over short writes. */
    public void writeAll(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        while (src.hasRemaining()) {
            write(src);
        }
    }

    public void writeAll(byte[] src, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
        writeAll(ByteBuffer.wrap(src, offset, length));
    }

    public void writeAll(byte[] src) throws IOException {
        writeAll(src, 0, Objects.requireNonNull(src, "src").length);
    }

    public void writeAll(RegisteredBuffer buffer, int offset, int length) throws IOException {
        writeAll(slice(buffer, offset, length));
    }

    // ---------------------------------------------------------------- half-close, options, addresses

    /** Half-close: sends FIN; the peer reads end of stream, this side can still read. */
    public void shutdownOutput() throws IOException {
        io.shutdownOutput();
    }

    /** Further reads return -1 at once. */
    public void shutdownInput() throws IOException {
        io.shutdownInput();
    }

    public void setNoDelay(boolean on) throws IOException {
        io.setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    public boolean noDelay() throws IOException {
        return io.getOption(StandardSocketOptions.TCP_NODELAY);
    }

    public void setKeepAlive(boolean on) throws IOException {
        io.setOption(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    public boolean keepAlive() throws IOException {
        return io.getOption(StandardSocketOptions.SO_KEEPALIVE);
    }

    /** SO_SNDBUF; the kernel may round or double the value (see {@link #sendBufferSize()}). */
    public void setSendBufferSize(int bytes) throws IOException {
        io.setOption(StandardSocketOptions.SO_SNDBUF, positive(bytes, "send buffer size"));
    }

    public int sendBufferSize() throws IOException {
        return io.getOption(StandardSocketOptions.SO_SNDBUF);
    }

    /** SO_RCVBUF; the kernel may round or double the value (see {@link #receiveBufferSize()}). */
    public void setReceiveBufferSize(int bytes) throws IOException {
        io.setOption(StandardSocketOptions.SO_RCVBUF, positive(bytes, "receive buffer size"));
    }

    public int receiveBufferSize() throws IOException {
        return io.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    public InetSocketAddress localAddress() throws IOException {
        return io.localAddress();
    }

    public InetSocketAddress remoteAddress() throws IOException {
        return io.remoteAddress();
    }

    public boolean isOpen() {
        return io.isOpen();
    }

    /** Any thread; a second call does nothing. */
    @Override
    public void close() throws IOException {
        io.close();
    }

    @Override
    public String toString() {
        return "TcpStream[" + (isOpen() ? peerOrUnknown() : "closed") + "]";
    }

    private String peerOrUnknown() {
        try {
            return String.valueOf(io.remoteAddress());
        } catch (IOException e) {
            return "an unknown peer";
        }
    }

    static ByteBuffer slice(RegisteredBuffer buffer, int offset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(offset, length, buffer.capacity());
        return buffer.segment().asSlice(offset, length).asByteBuffer();
    }

    private static int positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be > 0, got " + value);
        }
        return value;
    }
}
