package io.veloq.uring.buffer;

import static io.veloq.uring.ffi.IoUringConstants.IORING_REGISTER_PBUF_RING;
import static io.veloq.uring.ffi.IoUringConstants.IORING_UNREGISTER_PBUF_RING;
import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_BUF;
import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_BUF_REG;
import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_BUF_RING;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ring.Ring;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One worker's provided-buffer ring (IORING_REGISTER_PBUF_RING, 5.19+): {@code count} buffers of
 * {@code size} bytes the kernel picks from for a multishot RECV ({@code IOSQE_BUFFER_SELECT} with
 * this group id), naming the buffer it filled in the completion's flags.
 *
 * <p>Ownership: a buffer belongs to the kernel while it is in the ring; the completion that names
 * it hands it to the owner thread, which copies the data out and gives it back with
 * {@link #recycle} before it reaps the next completion. So the ring never runs dry unless more
 * data arrives between two reaps than the ring holds; the RECV then ends with -ENOBUFS and is
 * armed again by its reader, nothing is lost (the data stays in the socket).
 *
 * <p>Threading: owner only (the worker thread, or its tasks when they reap); plain fields. The
 * ring's tail is published to the kernel with a release store after the entry is written.
 * The buffers and the ring are not pinned (only the ring's one page is, by the kernel), so they
 * do not count against RLIMIT_MEMLOCK. Memory comes from the driver's arena and lives as long
 * as the ring: the kernel may write into a buffer until the ring is closed.
 */
public final class ProvidedBuffers {

    /** The kernel's limit on a provided-buffer ring's entries. */
    public static final int MAX_BUFFERS = 32768;

    private static final long ENTRY_SIZE = IO_URING_BUF.byteSize();
    private static final long ADDR = IO_URING_BUF.byteOffset(PathElement.groupElement("addr"));
    private static final long LEN = IO_URING_BUF.byteOffset(PathElement.groupElement("len"));
    private static final long BID = IO_URING_BUF.byteOffset(PathElement.groupElement("bid"));
    private static final VarHandle TAIL = IO_URING_BUF_RING.varHandle(PathElement.groupElement("tail"));
    private static final long PAGE = 4096;

    private final Ring ring;
    private final int groupId;
    private final int count;
    private final int size;
    private final int mask;
    private final MemorySegment entries;
    private final MemorySegment buffers;
    private short tail;
    private boolean registered;

    private ProvidedBuffers(Ring ring, int groupId, int count, int size, MemorySegment entries, MemorySegment buffers) {
        this.ring = ring;
        this.groupId = groupId;
        this.count = count;
        this.size = size;
        this.mask = count - 1;
        this.entries = entries;
        this.buffers = buffers;
    }

    /**
     * Allocates the ring and its buffers from {@code arena}, fills the ring and registers it as
     * buffer group {@code groupId}.
     *
     * @param count a power of two from 1 to {@value #MAX_BUFFERS}
     * @param size bytes per buffer, from 1
     * @throws IOException naming the errno if the kernel refuses the ring (EINVAL before 5.19)
     */
    public static ProvidedBuffers register(Ring ring, Arena arena, int groupId, int count, int size)
            throws IOException {
        if (count < 1 || count > MAX_BUFFERS || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("count must be a power of two from 1 to " + MAX_BUFFERS + ", was " + count);
        }
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive, was " + size);
        }
        MemorySegment entries = arena.allocate(Math.max(PAGE, ENTRY_SIZE * count), PAGE);
        MemorySegment buffers = arena.allocate((long) count * size, PAGE);
        ProvidedBuffers pool = new ProvidedBuffers(ring, groupId, count, size, entries, buffers);
        for (int bid = 0; bid < count; bid++) {
            pool.put(bid);
        }
        pool.publish();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment reg = call.allocate(IO_URING_BUF_REG);
            reg.set(JAVA_LONG,
                    IO_URING_BUF_REG.byteOffset(PathElement.groupElement("ring_addr")), entries.address());
            reg.set(JAVA_INT,
                    IO_URING_BUF_REG.byteOffset(PathElement.groupElement("ring_entries")), count);
            reg.set(JAVA_SHORT,
                    IO_URING_BUF_REG.byteOffset(PathElement.groupElement("bgid")), (short) groupId);
            int r = ring.register(IORING_REGISTER_PBUF_RING, reg, 1);
            if (r < 0) {
                throw new IOException("registering " + count + " provided buffers of " + size + " B failed: "
                        + Errno.describe(-r));
            }
        }
        pool.registered = true;
        return pool;
    }

    public int groupId() { return groupId; }
    public int count() { return count; }
    public int bufferSize() { return size; }

    /** The first {@code length} bytes of buffer {@code bid}, as a completion named it; valid until {@link #recycle}. */
    public MemorySegment data(int bid, int length) {
        if (bid < 0 || bid >= count || length < 0 || length > size) {
            throw new IllegalArgumentException("buffer " + bid + " with " + length + " B is not one of " + count
                    + " buffers of " + size + " B");
        }
        return buffers.asSlice((long) bid * size, length);
    }

    /** Gives buffer {@code bid} back to the kernel (after its data was copied out). */
    public void recycle(int bid) {
        put(bid);
        publish();
    }

    /** Unregisters the ring; the memory stays with the arena. Idempotent. */
    public void close() {
        if (!registered || ring.isClosed()) {
            registered = false;
            return;
        }
        registered = false;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment reg = call.allocate(IO_URING_BUF_REG);
            reg.set(JAVA_SHORT,
                    IO_URING_BUF_REG.byteOffset(PathElement.groupElement("bgid")), (short) groupId);
            ring.register(IORING_UNREGISTER_PBUF_RING, reg, 1); // closing the ring frees it anyway
        }
    }

    private void put(int bid) {
        long entry = (tail & mask) * ENTRY_SIZE;
        entries.set(JAVA_LONG, entry + ADDR, buffers.address() + (long) bid * size);
        entries.set(JAVA_INT, entry + LEN, size);
        entries.set(JAVA_SHORT, entry + BID, (short) bid);
        tail++;
    }

    /** Release: the entries written before are visible to the kernel when it sees the new tail. */
    private void publish() {
        TAIL.setRelease(entries, 0L, tail);
    }
}
