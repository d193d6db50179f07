package io.veloq.uring.ffi;

import static io.veloq.uring.ffi.IoUringLayouts.handle;
import static io.veloq.uring.ffi.PosixLayouts.IOVEC;
import static io.veloq.uring.ffi.PosixLayouts.MSGHDR;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.VarHandle;

/**
 * Typed access to one {@code struct msghdr} ({@code <sys/socket.h>}), the argument of SENDMSG and
 * RECVMSG: the address ({@code msg_name}) and the buffers ({@code msg_iov}). No ancillary data:
 * {@code msg_control} stays null.
 *
 * <p>Threading: owned by the task of one operation. The header and everything it points to must
 * stay allocated until the operation's completion (the kernel reads it, and RECVMSG writes the
 * address and {@code msg_namelen}).
 */
public final class MsgHdr {

    /** sizeof(struct msghdr). */
    public static final long SIZE = MSGHDR.byteSize();

    private static final VarHandle NAME = handle(MSGHDR, "msg_name");
    private static final VarHandle NAME_LEN = handle(MSGHDR, "msg_namelen");
    private static final VarHandle IOV = handle(MSGHDR, "msg_iov");
    private static final VarHandle IOV_LEN = handle(MSGHDR, "msg_iovlen");

    private final MemorySegment header;

    private MsgHdr(MemorySegment header) {
        if (header.byteSize() < SIZE) {
            throw new IllegalArgumentException("a struct msghdr needs " + SIZE + " bytes, got " + header.byteSize());
        }
        this.header = header;
    }

    /** A view of a struct msghdr in {@code segment} (at least {@link #SIZE} bytes, 8-byte aligned). */
    public static MsgHdr of(MemorySegment segment) {
        return new MsgHdr(segment);
    }

    /** A zeroed header (no address, no buffers, no control data) from {@code allocator}. */
    public static MsgHdr allocate(SegmentAllocator allocator) {
        return new MsgHdr(allocator.allocate(MSGHDR));
    }

    /**
     * A header for the one buffer {@code [data, data + length)}: the header and its single
     * {@code struct iovec} both come from {@code allocator}.
     */
    public static MsgHdr forBuffer(SegmentAllocator allocator, long data, long length) {
        MemorySegment iovec = allocator.allocate(IOVEC);
        Structs.setIovec(iovec, 0, data, length);
        return allocate(allocator).iov(iovec, 1);
    }

    /** The header's address, for the SQE. */
    public long address() {
        return header.address();
    }

    /**
     * {@code void *msg_name} and {@code socklen_t msg_namelen}: the target address (SENDMSG), or
     * room for the sender's (RECVMSG, which sets the length to what it wrote).
     */
    public MsgHdr name(MemorySegment address, int length) {
        NAME.set(header, 0L, address.address());
        NAME_LEN.set(header, 0L, length);
        return this;
    }

    /** {@code socklen_t msg_namelen}: after RECVMSG, the length of the address the kernel wrote. */
    public int nameLength() {
        return (int) NAME_LEN.get(header, 0L);
    }

    /** {@code struct iovec *msg_iov} and {@code size_t msg_iovlen}: {@code count} buffers at {@code iovecs}. */
    public MsgHdr iov(MemorySegment iovecs, long count) {
        IOV.set(header, 0L, iovecs.address());
        IOV_LEN.set(header, 0L, count);
        return this;
    }
}
