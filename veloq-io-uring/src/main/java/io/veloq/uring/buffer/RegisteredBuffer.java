package io.veloq.uring.buffer;

import io.veloq.uring.ffi.Sqe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A buffer leased from the worker's {@link RegisteredBufferPool}: an owned handle over
 * {@code capacity()} bytes of page-aligned native memory, registered with the ring (READ_FIXED /
 * WRITE_FIXED) unless it is a fallback buffer ({@link #isRegistered()} false).
 *
 * <p>Ownership, in order:
 * <ol>
 *   <li>{@code lease()} gives the handle to the calling task; from then on only the thread that leased
 *       it may use it (confinement is per thread: a runner virtual thread that later runs another
 *       task of the same worker, or a task run inline by a joiner, is the same thread): any method called from another thread throws
 *       {@link WrongThreadException}, and so does any access to {@link #segment()}, whose scope is
 *       a confined arena of the lease.</li>
 *   <li>While an operation that reads or writes the buffer is in flight, the buffer is owned by
 *       the ring: the task is inside {@code IoUringDriver.submitAndAwait}, which returns only after
 *       the completion, so the task cannot release it early.</li>
 *   <li>{@link #close()} returns it to the pool (a fallback buffer is freed). The segment becomes
 *       unusable at once (its arena is closed): a use after release throws
 *       {@link IllegalStateException} instead of reading memory another task now owns. A second
 *       close is harmless.</li>
 * </ol>
 */
public final class RegisteredBuffer implements AutoCloseable {

    private final RegisteredBufferPool pool;
    private final int index;
    private final int generation;
    private final int bufIndex;
    private final Arena arena;
    private final MemorySegment segment;
    private final long address;
    private final Thread owner;
    private boolean released;

    RegisteredBuffer(RegisteredBufferPool pool, int index, int generation, int bufIndex, Arena arena,
                     MemorySegment segment) {
        this.pool = pool;
        this.index = index;
        this.generation = generation;
        this.bufIndex = bufIndex;
        this.arena = arena;
        this.segment = segment;
        this.address = segment.address();
        this.owner = Thread.currentThread();
    }

    /** The buffer's memory, usable only by the leasing task and only until {@link #close()}. */
    public MemorySegment segment() {
        checkUsable();
        return segment;
    }

    /** The buffer's address, for an SQE. */
    public long address() {
        checkUsable();
        return address;
    }

    public int capacity() {
        return (int) segment.byteSize();
    }

    /** The registered-buffer index for READ_FIXED / WRITE_FIXED; -1 for a fallback buffer. */
    public int bufIndex() {
        return bufIndex;
    }

    /** Whether this buffer is registered with the ring (false: a fallback buffer, plain READ/WRITE). */
    public boolean isRegistered() {
        return bufIndex >= 0;
    }

    public boolean isReleased() {
        return released;
    }

    /** A read of {@code length} bytes at {@code fileOffset} into the start of this buffer. */
    public Sqe prepareRead(Sqe sqe, int fd, long fileOffset, int length) {
        return prepareRead(sqe, fd, fileOffset, 0, length);
    }

    /**
     * A read into {@code [bufferOffset, bufferOffset + length)} of this buffer: READ_FIXED when
     * registered, READ otherwise.
     */
    public Sqe prepareRead(Sqe sqe, int fd, long fileOffset, int bufferOffset, int length) {
        long at = checkedAddress(bufferOffset, length);
        return isRegistered() ? sqe.prepReadFixed(fd, at, length, fileOffset, bufIndex)
                : sqe.prepRead(fd, at, length, fileOffset);
    }

    /** A write of the first {@code length} bytes of this buffer at {@code fileOffset}. */
    public Sqe prepareWrite(Sqe sqe, int fd, long fileOffset, int length) {
        return prepareWrite(sqe, fd, fileOffset, 0, length);
    }

    /** A write from {@code [bufferOffset, bufferOffset + length)}: WRITE_FIXED when registered, WRITE otherwise. */
    public Sqe prepareWrite(Sqe sqe, int fd, long fileOffset, int bufferOffset, int length) {
        long at = checkedAddress(bufferOffset, length);
        return isRegistered() ? sqe.prepWriteFixed(fd, at, length, fileOffset, bufIndex)
                : sqe.prepWrite(fd, at, length, fileOffset);
    }

    /** Returns the buffer to the pool (or frees a fallback buffer). Leasing task only; idempotent. */
    @Override
    public void close() {
        checkOwner();
        if (released) {
            return;
        }
        released = true;
        arena.close();
        if (pool != null) {
            pool.giveBack(index, generation);
        }
    }

    private long checkedAddress(int bufferOffset, int length) {
        checkUsable();
        if (bufferOffset < 0 || length <= 0 || (long) bufferOffset + length > segment.byteSize()) {
            throw new IndexOutOfBoundsException("range [" + bufferOffset + ", " + bufferOffset + " + " + length
                    + ") outside a buffer of " + segment.byteSize() + " bytes");
        }
        return address + bufferOffset;
    }

    private void checkUsable() {
        checkOwner();
        if (released) {
            throw new IllegalStateException("registered buffer " + describe() + " used after it was released");
        }
    }

    private void checkOwner() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new WrongThreadException("registered buffer " + describe() + " is confined to the task that "
                    + "leased it (" + owner + "), used from " + current);
        }
    }

    private String describe() {
        return pool == null ? "(fallback, unregistered)" : "#" + index + " of " + pool.describeOwner();
    }

    @Override
    public String toString() {
        return "RegisteredBuffer[" + describe() + ", " + capacity() + " bytes" + (released ? ", released" : "") + "]";
    }
}
