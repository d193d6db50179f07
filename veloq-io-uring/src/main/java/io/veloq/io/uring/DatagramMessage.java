package io.veloq.io.uring;

import io.veloq.uring.ffi.MsgHdr;
import io.veloq.uring.ffi.SockAddrs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * What one SENDMSG or RECVMSG names: a {@link MsgHdr} with a single buffer and a
 * {@code sockaddr_storage} for the target (SENDMSG) or the sender (RECVMSG), all from the binding
 * layer's typed accessors. Threading: owned by the task of one operation; the arena outlives the
 * operation's completion.
 */
final class DatagramMessage {

    private final MsgHdr header;
    private final MemorySegment address;

    /** A message for one buffer {@code [data, data + length)}, allocated in {@code arena}. */
    DatagramMessage(Arena arena, long data, int length) {
        header = MsgHdr.forBuffer(arena, data, length);
        address = SockAddrs.allocate(arena);
    }

    /** For SENDMSG: the datagram goes to {@code target}. */
    DatagramMessage target(InetSocketAddress target) {
        header.name(address, SockAddrs.write(address, target));
        return this;
    }

    /** For RECVMSG: room for the sender's address. */
    DatagramMessage receiving() {
        header.name(address, (int) SockAddrs.STORAGE_SIZE);
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
