package io.veloq.uring.ffi;

import static io.veloq.uring.ffi.IoUringConstants.*;
import static io.veloq.uring.ffi.IoUringLayouts.IO_URING_SQE;
import static io.veloq.uring.ffi.IoUringLayouts.handle;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A writer for one submission queue entry: a reusable flyweight positioned on an SQE of the
 * ring's mapped SQE array (the ring positions it and clears the entry before handing it out).
 *
 * <p>The {@code prep*} methods follow liburing's {@code io_uring_prep_*} field assignments; the
 * plain setters write single fields for anything the preps do not cover. All return {@code this}.
 * Addresses are {@code MemorySegment.address()} values: the memory they point to must stay valid
 * until the operation's completion has been reaped.
 *
 * <p>Threading: owned by the ring's owner thread, like the SQ it writes into; valid only between
 * being handed out and the next request for an SQE.
 */
public final class Sqe {

    private static final VarHandle OPCODE = handle(IO_URING_SQE, "opcode");
    private static final VarHandle FLAGS = handle(IO_URING_SQE, "flags");
    private static final VarHandle IOPRIO = handle(IO_URING_SQE, "ioprio");
    private static final VarHandle FD = handle(IO_URING_SQE, "fd");
    private static final VarHandle OFF = handle(IO_URING_SQE, "$off", "off");
    private static final VarHandle ADDR = handle(IO_URING_SQE, "$addr", "addr");
    private static final VarHandle LEN = handle(IO_URING_SQE, "len");
    private static final VarHandle OP_FLAGS = handle(IO_URING_SQE, "$op_flags", "rw_flags");
    private static final VarHandle USER_DATA = handle(IO_URING_SQE, "user_data");
    private static final VarHandle BUF_INDEX = handle(IO_URING_SQE, "$buf_index", "buf_index");
    private static final VarHandle BUF_GROUP = handle(IO_URING_SQE, "$buf_index", "buf_group");
    private static final VarHandle PERSONALITY = handle(IO_URING_SQE, "personality");
    private static final VarHandle FILE_INDEX = handle(IO_URING_SQE, "$splice_fd_in", "file_index");
    private static final VarHandle ADDR_LEN =
            handle(IO_URING_SQE, "$splice_fd_in", "$addr_len", "addr_len");
    private static final VarHandle ADDR3 = handle(IO_URING_SQE, "$addr3_or_cmd", "$addr3", "addr3");
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    /** sizeof(struct io_uring_sqe). */
    public static final long SIZE = IO_URING_SQE.byteSize();

    private final MemorySegment sqes;
    private long base;

    /** A writer over the mapped SQE array {@code sqes}; the ring positions it with {@link #moveTo}. */
    public Sqe(MemorySegment sqes) {
        this.sqes = sqes;
    }

    /** Positions this writer on SQE {@code index} of the array and zeroes the entry. */
    public Sqe moveTo(int index) {
        base = index * SIZE;
        return clear();
    }

    /** Zeroes the entry this writer is positioned on again (to replace a half-written entry). */
    public Sqe clear() {
        for (long word = 0; word < SIZE; word += Long.BYTES) {
            WORD.set(sqes, base + word, 0L);
        }
        return this;
    }

    // ---- single fields ----

    public Sqe opcode(int opcode) { OPCODE.set(sqes, base, (byte) opcode); return this; }
    public Sqe flags(int flags) { FLAGS.set(sqes, base, (byte) flags); return this; }
    /** ORs IOSQE_* flags into the entry's flags. */
    public Sqe addFlags(int flags) { return flags(flags() | flags); }
    public Sqe ioprio(int ioprio) { IOPRIO.set(sqes, base, (short) ioprio); return this; }
    public Sqe fd(int fd) { FD.set(sqes, base, fd); return this; }
    public Sqe off(long off) { OFF.set(sqes, base, off); return this; }
    public Sqe addr(long addr) { ADDR.set(sqes, base, addr); return this; }
    public Sqe len(int len) { LEN.set(sqes, base, len); return this; }
    /** The per-opcode flags word (rw_flags, fsync_flags, timeout_flags, open_flags, ...). */
    public Sqe opFlags(int flags) { OP_FLAGS.set(sqes, base, flags); return this; }
    public Sqe userData(long userData) { USER_DATA.set(sqes, base, userData); return this; }
    public Sqe bufIndex(int bufIndex) { BUF_INDEX.set(sqes, base, (short) bufIndex); return this; }
    public Sqe bufGroup(int bufGroup) { BUF_GROUP.set(sqes, base, (short) bufGroup); return this; }
    public Sqe personality(int personality) { PERSONALITY.set(sqes, base, (short) personality); return this; }
    public Sqe fileIndex(int fileIndex) { FILE_INDEX.set(sqes, base, fileIndex); return this; }
    public Sqe addrLen(int addrLen) { ADDR_LEN.set(sqes, base, (short) addrLen); return this; }
    public Sqe addr3(long addr3) { ADDR3.set(sqes, base, addr3); return this; }

    public int opcode() { return Byte.toUnsignedInt((byte) OPCODE.get(sqes, base)); }
    public int flags() { return Byte.toUnsignedInt((byte) FLAGS.get(sqes, base)); }
    public int fd() { return (int) FD.get(sqes, base); }
    public long userData() { return (long) USER_DATA.get(sqes, base); }

    // ---- liburing-style preparations ----

    /** liburing's io_uring_prep_rw: opcode, fd, addr, len and off. */
    public Sqe prepRw(int opcode, int fd, long addr, int len, long off) {
        return opcode(opcode).fd(fd).addr(addr).len(len).off(off);
    }

    public Sqe prepNop() { return opcode(IORING_OP_NOP); }

    public Sqe prepRead(int fd, long addr, int len, long off) { return prepRw(IORING_OP_READ, fd, addr, len, off); }
    public Sqe prepWrite(int fd, long addr, int len, long off) { return prepRw(IORING_OP_WRITE, fd, addr, len, off); }

    public Sqe prepRead(int fd, MemorySegment buffer, long off) {
        return prepRead(fd, buffer.address(), Math.toIntExact(buffer.byteSize()), off);
    }

    public Sqe prepWrite(int fd, MemorySegment buffer, long off) {
        return prepWrite(fd, buffer.address(), Math.toIntExact(buffer.byteSize()), off);
    }

    /** READ_FIXED: {@code addr..addr+len} must lie inside registered buffer {@code bufIndex}. */
    public Sqe prepReadFixed(int fd, long addr, int len, long off, int bufIndex) {
        return prepRw(IORING_OP_READ_FIXED, fd, addr, len, off).bufIndex(bufIndex);
    }

    /** WRITE_FIXED: {@code addr..addr+len} must lie inside registered buffer {@code bufIndex}. */
    public Sqe prepWriteFixed(int fd, long addr, int len, long off, int bufIndex) {
        return prepRw(IORING_OP_WRITE_FIXED, fd, addr, len, off).bufIndex(bufIndex);
    }

    public Sqe prepReadv(int fd, long iovecs, int count, long off) { return prepRw(IORING_OP_READV, fd, iovecs, count, off); }
    public Sqe prepWritev(int fd, long iovecs, int count, long off) { return prepRw(IORING_OP_WRITEV, fd, iovecs, count, off); }

    /** FSYNC; {@code flags} 0 or IORING_FSYNC_DATASYNC. */
    public Sqe prepFsync(int fd, int flags) { return prepRw(IORING_OP_FSYNC, fd, 0, 0, 0).opFlags(flags); }

    /** FALLOCATE: liburing puts the mode in len and the length in addr. */
    public Sqe prepFallocate(int fd, int mode, long offset, long length) {
        return prepRw(IORING_OP_FALLOCATE, fd, length, mode, offset);
    }

    /** OPENAT; {@code path} is the address of a NUL-terminated path. */
    public Sqe prepOpenat(int dirFd, long path, int flags, int mode) {
        return prepRw(IORING_OP_OPENAT, dirFd, path, mode, 0).opFlags(flags);
    }

    public Sqe prepClose(int fd) { return prepRw(IORING_OP_CLOSE, fd, 0, 0, 0); }

    /** STATX: liburing puts the mask in len and the output buffer's address in off. */
    public Sqe prepStatx(int dirFd, long path, int flags, int mask, long statxBuffer) {
        return prepRw(IORING_OP_STATX, dirFd, path, mask, statxBuffer).opFlags(flags);
    }

    public Sqe prepUnlinkat(int dirFd, long path, int flags) {
        return prepRw(IORING_OP_UNLINKAT, dirFd, path, 0, 0).opFlags(flags);
    }

    public Sqe prepMkdirat(int dirFd, long path, int mode) { return prepRw(IORING_OP_MKDIRAT, dirFd, path, mode, 0); }

    /** RENAMEAT: the new directory fd goes in len, the new path in off. */
    public Sqe prepRenameat(int oldDirFd, long oldPath, int newDirFd, long newPath, int flags) {
        return prepRw(IORING_OP_RENAMEAT, oldDirFd, oldPath, newDirFd, newPath).opFlags(flags);
    }

    /** TIMEOUT; {@code timespec} points to a __kernel_timespec; {@code count} completions also end it. */
    public Sqe prepTimeout(long timespec, int count, int flags) {
        return prepRw(IORING_OP_TIMEOUT, -1, timespec, 1, count).opFlags(flags);
    }

    /** LINK_TIMEOUT for the previous SQE (which must carry IOSQE_IO_LINK). */
    public Sqe prepLinkTimeout(long timespec, int flags) {
        return prepRw(IORING_OP_LINK_TIMEOUT, -1, timespec, 1, 0).opFlags(flags);
    }

    /** ASYNC_CANCEL of the request whose user_data is {@code target} (or per IORING_ASYNC_CANCEL_* flags). */
    public Sqe prepAsyncCancel(long target, int flags) {
        return prepRw(IORING_OP_ASYNC_CANCEL, -1, target, 0, 0).opFlags(flags);
    }

    /** POLL_ADD of POLL* {@code events}; {@code multishot} sets IORING_POLL_ADD_MULTI. */
    public Sqe prepPollAdd(int fd, int events, boolean multishot) {
        return prepRw(IORING_OP_POLL_ADD, fd, 0, multishot ? IORING_POLL_ADD_MULTI : 0, 0).opFlags(events);
    }

    /** ACCEPT: {@code address}/{@code addressLength} may be 0; {@code addressLength} goes in off. */
    public Sqe prepAccept(int fd, long address, long addressLength, int flags, boolean multishot) {
        prepRw(IORING_OP_ACCEPT, fd, address, 0, addressLength).opFlags(flags);
        return multishot ? ioprio(IORING_ACCEPT_MULTISHOT) : this;
    }

    /** CONNECT: the address length goes in off. */
    public Sqe prepConnect(int fd, long address, int addressLength) {
        return prepRw(IORING_OP_CONNECT, fd, address, 0, addressLength);
    }

    public Sqe prepSend(int fd, long buffer, int len, int msgFlags) {
        return prepRw(IORING_OP_SEND, fd, buffer, len, 0).opFlags(msgFlags);
    }

    public Sqe prepRecv(int fd, long buffer, int len, int msgFlags) {
        return prepRw(IORING_OP_RECV, fd, buffer, len, 0).opFlags(msgFlags);
    }

    /**
     * Multishot RECV (6.0+) into buffers the kernel picks from provided-buffer group
     * {@code bufGroup} (IOSQE_BUFFER_SELECT): one completion per arrival, each naming its buffer.
     */
    public Sqe prepRecvMultishot(int fd, int bufGroup, int msgFlags) {
        return prepRw(IORING_OP_RECV, fd, 0, 0, 0).opFlags(msgFlags).ioprio(IORING_RECV_MULTISHOT)
                .addFlags(IOSQE_BUFFER_SELECT).bufGroup(bufGroup);
    }

    public Sqe prepSendmsg(int fd, long msghdr, int msgFlags) {
        return prepRw(IORING_OP_SENDMSG, fd, msghdr, 1, 0).opFlags(msgFlags);
    }

    public Sqe prepRecvmsg(int fd, long msghdr, int msgFlags) {
        return prepRw(IORING_OP_RECVMSG, fd, msghdr, 1, 0).opFlags(msgFlags);
    }

    /** SHUTDOWN: {@code how} (SHUT_*) goes in len. */
    public Sqe prepShutdown(int fd, int how) { return prepRw(IORING_OP_SHUTDOWN, fd, 0, how, 0); }

    /** SOCKET (5.19+): domain in fd, protocol in len, type in off. */
    public Sqe prepSocket(int domain, int type, int protocol, int flags) {
        return prepRw(IORING_OP_SOCKET, domain, 0, protocol, type).opFlags(flags);
    }

    /**
     * MSG_RING with IORING_MSG_DATA: posts a CQE on the ring {@code targetRingFd} with
     * {@code res = value} and {@code user_data = targetUserData}.
     */
    public Sqe prepMsgRing(int targetRingFd, int value, long targetUserData, int flags) {
        return prepRw(IORING_OP_MSG_RING, targetRingFd, IORING_MSG_DATA, value, targetUserData).opFlags(flags);
    }
}
