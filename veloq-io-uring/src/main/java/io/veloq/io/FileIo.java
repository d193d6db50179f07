package io.veloq.io;

import io.veloq.io.file.FileMetadata;
import io.veloq.uring.buffer.RegisteredBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * SPI: one open file of a backend.
 *
 * <p>Shared-object contract (also for {@link TcpStreamIo}, {@link TcpListenerIo}, {@link UdpIo}):
 * <ul>
 *   <li>Blocking methods are called by tasks, possibly by several tasks at once and from different
 *       workers; each operation runs on the caller's own worker.</li>
 *   <li>{@link #close()} may be called by any thread, any number of times. Operations started
 *       after it throw {@link java.nio.channels.ClosedChannelException}; operations in flight end
 *       with {@link java.nio.channels.AsynchronousCloseException} (or complete, if they were
 *       already done); the descriptor is released once the last of them has ended.</li>
 *   <li>An interrupted task's operation is cancelled, the object is closed and the task gets
 *       {@link java.nio.channels.ClosedByInterruptException} with its interrupt status set — the
 *       JDK's {@link java.nio.channels.InterruptibleChannel} rule, on every backend.</li>
 * </ul>
 * Buffers follow the JDK's convention: reads fill {@code [position, limit)} of the destination and
 * advance its position by the count; writes drain the source likewise.
 */
public interface FileIo {

    /** Reads at {@code position}; the count, or -1 at end of file. {@code dst} has room. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Reads into {@code [offset, offset + length)} of a registered buffer; the count, or -1 at end of file. */
    int read(RegisteredBuffer buffer, int offset, int length, long position) throws IOException;

    /** Writes at {@code position}, or at the end of the file when {@code position} is -1 (APPEND). */
    int write(ByteBuffer src, long position) throws IOException;

    /** Writes {@code [offset, offset + length)} of a registered buffer; position as in {@link #write(ByteBuffer, long)}. */
    int write(RegisteredBuffer buffer, int offset, int length, long position) throws IOException;

    /** fsync, or fdatasync when {@code dataOnly}. */
    void sync(boolean dataOnly) throws IOException;

    /** Allocates {@code [position, position + length)}, growing the file if it ends before (fallocate mode 0). */
    void allocate(long position, long length) throws IOException;

    long size() throws IOException;

    FileMetadata metadata() throws IOException;

    boolean isOpen();

    /** Idempotent, any thread. */
    void close() throws IOException;
}
