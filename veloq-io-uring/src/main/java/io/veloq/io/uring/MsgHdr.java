package io.veloq.io.uring;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import io.veloq.uring.ffi.PosixLayouts;
import io.veloq.uring.ffi.SockAddrs;
import io.veloq.uring.ffi.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;

/**
 * One {@code struct msghdr} with a single {@code iovec} and a {@code sockaddr_storage}, for
 * SENDMSG (the target address) and RECVMSG (the sender's address). Var handles from the ring
 * helper's {@link PosixLayouts#MSGHDR}. Threading: owned by the task of one operation; the arena
 * outlives the operation's completion.
 */
final class MsgHdr {

    private static final VarHandle NAME = field("msg_name");
    private static final VarHandle NAME_LEN = field("msg_namelen");
    private static final VarHandle IOV = field("msg_iov");
    private static final VarHandle IOV_LEN = field("msg_iovlen");

    private final MemorySegment header;
    private final MemorySegment iovec;
    private final MemorySegment address;

    /** A header for one buffer {@code [data, data + length)}, allocated in {@code arena}. */
    MsgHdr(Arena arena, long data, int length) {
        header = arena.allocate(PosixLayouts.MSGHDR);
        iovec = arena.allocate(PosixLayouts.IOVEC);
        address = arena.allocate(SockAddrs.STORAGE_SIZE, 8);
        Structs.setIovec(iovec, 0, data, length);
        IOV.set(header, 0L, iovec.address());
        IOV_LEN.set(header, 0L, 1L);
    }

    private static VarHandle field(String name) {
        return PosixLayouts.MSGHDR.varHandle(groupElement(name));
    }

    /** For SENDMSG: the datagram goes to {@code target}. */
    MsgHdr target(InetSocketAddress target) {
        int length = SockAddrs.write(address, target);
        NAME.set(header, 0L, address.address());
        NAME_LEN.set(header, 0L, length);
        return this;
    }

    /** For RECVMSG: room for the sender's address. */
    MsgHdr receiving() {
        NAME.set(header, 0L, address.address());
        NAME_LEN.set(header, 0L, (int) SockAddrs.STORAGE_SIZE);
        return this;
    }

    /** The sender RECVMSG wrote. */
    InetSocketAddress sender() {
        return SockAddrs.read(address);
    }

    long address() {
        return header.address();
    }
}
