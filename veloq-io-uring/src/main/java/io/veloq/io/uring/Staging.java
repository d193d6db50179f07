package io.veloq.io.uring;

import io.veloq.uring.IoUringDriver;
import io.veloq.uring.buffer.RegisteredBuffer;
import io.veloq.uring.buffer.RegisteredBufferPool;
import io.veloq.uring.ffi.Sqe;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Native memory for one operation on heap memory (a heap {@link ByteBuffer} or {@code byte[]}):
 * the kernel cannot read or write the Java heap, so the bytes are staged. A free registered buffer
 * of the worker's pool is used when the transfer fits in one (READ_FIXED / WRITE_FIXED for files);
 * otherwise a temporary page-aligned allocation of at most {@value #MAX_BYTES} bytes, so a large
 * heap transfer becomes several operations (the API's fully/all forms loop).
 *
 * <p>Threading: owned by the task of one operation; acquired before the operation enters its gate
 * (it never parks) and closed after its completion, so the ring never sees freed memory.
 */
final class Staging implements AutoCloseable {

    static final int MAX_BYTES = 1 << 20;
    private static final long ALIGNMENT = 4096;

    private final RegisteredBuffer registered;
    private final Arena arena;
    private final MemorySegment segment;

    private Staging(RegisteredBuffer registered, Arena arena, MemorySegment segment) {
        this.registered = registered;
        this.arena = arena;
        this.segment = segment;
    }

    /** Native memory for up to {@code wanted} bytes (at least 1). */
    static Staging lease(IoUringDriver driver, int wanted) throws IOException {
        RegisteredBufferPool pool = driver.bufferPool();
        if (wanted <= pool.bufferSize()) {
            RegisteredBuffer buffer = pool.tryLease();
            if (buffer != null) {
                return new Staging(buffer, null, buffer.segment().asSlice(0, wanted));
            }
        }
        Arena arena = Arena.ofConfined();
        return new Staging(null, arena, arena.allocate(Math.min(wanted, MAX_BYTES), ALIGNMENT));
    }

    /**
     * Native memory for at most {@code wanted} bytes, preferring a free registered buffer even when
     * it is smaller: for stream sockets, where a read or write may be short anyway, a pool buffer
     * costs nothing while a temporary allocation is a zeroed malloc.
     */
    static Staging leaseUpTo(IoUringDriver driver, int wanted) throws IOException {
        RegisteredBufferPool pool = driver.bufferPool();
        RegisteredBuffer buffer = pool.tryLease();
        if (buffer != null) {
            return new Staging(buffer, null, buffer.segment().asSlice(0, Math.min(wanted, buffer.capacity())));
        }
        Arena arena = Arena.ofConfined();
        return new Staging(null, arena, arena.allocate(Math.min(wanted, MAX_BYTES), ALIGNMENT));
    }

    /** How many bytes one operation may move through this staging memory. */
    int capacity() {
        return (int) segment.byteSize();
    }

    long address() {
        return segment.address();
    }

    /** A file read of {@code length} bytes into the staging memory. */
    void prepareRead(Sqe sqe, int fd, long position, int length) {
        if (registered != null) {
            registered.prepareRead(sqe, fd, position, length);
        } else {
            sqe.prepRead(fd, segment.address(), length, position);
        }
    }

    /** A file write of the first {@code length} staged bytes. */
    void prepareWrite(Sqe sqe, int fd, long position, int length) {
        if (registered != null) {
            registered.prepareWrite(sqe, fd, position, length);
        } else {
            sqe.prepWrite(fd, segment.address(), length, position);
        }
    }

    /** Copies {@code count} staged bytes into {@code dst} at its position and advances it. */
    void copyTo(ByteBuffer dst, int count) {
        MemorySegment.copy(segment, 0, MemorySegment.ofBuffer(dst), 0, count);
        dst.position(dst.position() + count);
    }

    /** Copies up to {@link #capacity()} bytes from {@code src} (not advancing it); the count staged. */
    int copyFrom(ByteBuffer src) {
        int count = Math.min(src.remaining(), capacity());
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, segment, 0, count);
        return count;
    }

    @Override
    public void close() {
        if (registered != null) {
            registered.close();
        } else {
            arena.close();
        }
    }
}
