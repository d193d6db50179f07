package io.veloq.uring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_ACCEPT;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_CONNECT;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_FALLOCATE;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_FSYNC;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_POLL_ADD;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_READ;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_READV;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_READ_FIXED;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_RECV;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_RECVMSG;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_SEND;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_SENDMSG;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_SHUTDOWN;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_WRITE;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_WRITEV;
import static io.veloq.uring.ffi.IoUringConstants.IORING_OP_WRITE_FIXED;
import static io.veloq.uring.ffi.IoUringConstants.IORING_REGISTER_FILES;
import static io.veloq.uring.ffi.IoUringConstants.IORING_REGISTER_FILES_UPDATE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.IoUringLayouts;
import io.veloq.uring.ffi.Sqe;
import io.veloq.uring.ffi.Structs;
import io.veloq.uring.ring.Ring;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One ring's registered-file table: {@code slots} entries, all empty at start
 * (IORING_REGISTER_FILES with -1 everywhere), filled and emptied one at a time with
 * IORING_REGISTER_FILES_UPDATE. An operation on a registered descriptor names its index with
 * IOSQE_FIXED_FILE, and the kernel skips the descriptor lookup and the file reference count it
 * otherwise takes and drops per operation (fget/fput).
 *
 * <p>Threading: owner only — io_uring_register on a SINGLE_ISSUER ring must come from the thread
 * that submits, and the free list is plain. Ownership: an entry holds a reference to the open
 * file of its own, so the file stays open until {@link #remove} even once its descriptor is closed;
 * whoever {@link #add}s an entry must remove it (the ring's close drops whatever is left).
 */
final class FileTable {

    /** The opcodes whose file may be a registered one (IOSQE_FIXED_FILE): those a descriptor's operations use. */
    private static final boolean[] ACCEPTS_FIXED = new boolean[256];

    static {
        for (int opcode : new int[] {IORING_OP_READ, IORING_OP_WRITE, IORING_OP_READV, IORING_OP_WRITEV,
                IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED, IORING_OP_FSYNC, IORING_OP_FALLOCATE, IORING_OP_SEND,
                IORING_OP_RECV, IORING_OP_SENDMSG, IORING_OP_RECVMSG, IORING_OP_SHUTDOWN, IORING_OP_CONNECT,
                IORING_OP_ACCEPT, IORING_OP_POLL_ADD}) {
            ACCEPTS_FIXED[opcode] = true;
        }
    }

    /** The smallest table tried when RLIMIT_NOFILE refuses a larger one. */
    static final int MIN_SLOTS = 64;

    private final Ring ring;
    private final int slots;
    /** One io_uring_rsrc_update and the descriptor it points at, reused by every update. */
    private final MemorySegment update;
    private final MemorySegment value;
    /** Free indexes, a stack; {@code free[0..freeCount)}. */
    private final int[] free;
    private int freeCount;
    private final String description;

    private FileTable(Ring ring, Arena arena, int slots, String description) {
        this.ring = ring;
        this.slots = slots;
        this.update = arena.allocate(IoUringLayouts.IO_URING_RSRC_UPDATE);
        this.value = arena.allocate(JAVA_INT);
        this.free = new int[slots];
        for (int i = 0; i < slots; i++) {
            free[i] = slots - 1 - i; // index 0 on top
        }
        this.freeCount = slots;
        this.description = description;
    }

    /**
     * Registers an empty table of {@code slots} entries on {@code ring}. The kernel refuses a
     * table larger than RLIMIT_NOFILE (EMFILE): the size is then halved until it fits, down to
     * {@value #MIN_SLOTS}. A table of no entries when {@code slots} is 0 or the kernel refuses
     * otherwise; the description says which.
     */
    static FileTable open(Ring ring, Arena arena, int slots) {
        if (slots == 0) {
            return new FileTable(ring, arena, 0, "registered files off");
        }
        int size = slots;
        int r;
        while (true) {
            r = registerEmpty(ring, size);
            if (r != -Errno.EMFILE || size <= MIN_SLOTS) {
                break;
            }
            size = Math.max(MIN_SLOTS, size / 2);
        }
        if (r < 0) {
            return new FileTable(ring, arena, 0, "registered files off (IORING_REGISTER_FILES of " + size
                    + " entries: " + Errno.describe(-r) + ")");
        }
        return new FileTable(ring, arena, size, "registered files " + size
                + (size < slots ? " (of " + slots + " asked: RLIMIT_NOFILE)" : ""));
    }

    private static int registerEmpty(Ring ring, int size) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment empty = scratch.allocate(JAVA_INT, size);
            empty.fill((byte) 0xff); // -1 in every entry: a sparse table
            return ring.register(IORING_REGISTER_FILES, empty, size);
        }
    }

    /** Registers {@code fd} in a free entry: its index, or -1 when the table is full or off, or the kernel refused. */
    int add(int fd) {
        if (freeCount == 0) {
            return -1;
        }
        int index = free[freeCount - 1];
        if (set(index, fd) != 1) {
            return -1; // the descriptor stays usable by number; nothing was registered
        }
        freeCount--;
        return index;
    }

    /** Empties entry {@code index} (from {@link #add}): the table's reference to the file goes. */
    void remove(int index) {
        if (index < 0 || index >= slots) {
            throw new IllegalArgumentException("no registered-file entry " + index + " (table of " + slots + ")");
        }
        int r = set(index, -1);
        if (r != 1) {
            // Only a closed ring refuses an update of a valid index; its close dropped the entry already.
            throw new IllegalStateException("emptying registered-file entry " + index + ": "
                    + (r < 0 ? Errno.describe(-r) : r + " entries updated"));
        }
        free[freeCount++] = index;
    }

    /**
     * Whether an entry {@code writer} filled for descriptor {@code fd} may name the file by index
     * instead: its file field is {@code fd} and its opcode takes a registered file (STATX, CLOSE and
     * the path operations do not).
     */
    static boolean accepts(Sqe sqe, int fd) {
        return sqe.fd() == fd && ACCEPTS_FIXED[sqe.opcode()];
    }

    /** Entries in use. */
    int inUse() {
        return slots - freeCount;
    }

    int slots() {
        return slots;
    }

    String description() {
        return description;
    }

    private int set(int index, int fd) {
        value.set(JAVA_INT, 0, fd);
        Structs.setRsrcUpdate(update, index, value.address());
        return ring.register(IORING_REGISTER_FILES_UPDATE, update, 1);
    }
}
