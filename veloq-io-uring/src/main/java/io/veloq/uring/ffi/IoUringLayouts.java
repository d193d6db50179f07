package io.veloq.uring.ffi;

import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.MemoryLayout.unionLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The io_uring structs of {@code <linux/io_uring.h>} (and {@code <linux/time_types.h>}), written
 * by hand (see {@code native/README.md}).
 *
 * <p>Each layout carries the C struct name and each member its C member name, with the C type in
 * a comment. Anonymous unions and structs of the C header are named {@code $...}: they exist only
 * to place their members, which are addressed by their own names. The layout probe test flattens
 * these layouts and compares every offset and size with the C compiler's.
 */
public final class IoUringLayouts {

    private IoUringLayouts() {}

    /** struct io_sqring_offsets: where the SQ ring's fields lie in the SQ ring mapping. */
    public static final StructLayout IO_SQRING_OFFSETS = structLayout(
            JAVA_INT.withName("head"),          // __u32
            JAVA_INT.withName("tail"),          // __u32
            JAVA_INT.withName("ring_mask"),     // __u32
            JAVA_INT.withName("ring_entries"),  // __u32
            JAVA_INT.withName("flags"),         // __u32
            JAVA_INT.withName("dropped"),       // __u32
            JAVA_INT.withName("array"),         // __u32
            JAVA_INT.withName("resv1"),         // __u32
            JAVA_LONG.withName("resv2")         // __u64 (user_addr in newer headers)
    ).withName("io_sqring_offsets");

    /** struct io_cqring_offsets: where the CQ ring's fields lie in the CQ ring mapping. */
    public static final StructLayout IO_CQRING_OFFSETS = structLayout(
            JAVA_INT.withName("head"),          // __u32
            JAVA_INT.withName("tail"),          // __u32
            JAVA_INT.withName("ring_mask"),     // __u32
            JAVA_INT.withName("ring_entries"),  // __u32
            JAVA_INT.withName("overflow"),      // __u32
            JAVA_INT.withName("cqes"),          // __u32
            JAVA_INT.withName("flags"),         // __u32
            JAVA_INT.withName("resv1"),         // __u32
            JAVA_LONG.withName("resv2")         // __u64 (user_addr in newer headers)
    ).withName("io_cqring_offsets");

    /** struct io_uring_params: io_uring_setup(2)'s in/out argument. */
    public static final StructLayout IO_URING_PARAMS = structLayout(
            JAVA_INT.withName("sq_entries"),     // __u32
            JAVA_INT.withName("cq_entries"),     // __u32
            JAVA_INT.withName("flags"),          // __u32
            JAVA_INT.withName("sq_thread_cpu"),  // __u32
            JAVA_INT.withName("sq_thread_idle"), // __u32
            JAVA_INT.withName("features"),       // __u32
            JAVA_INT.withName("wq_fd"),          // __u32
            sequenceLayout(3, JAVA_INT).withName("resv"),  // __u32[3]
            IO_SQRING_OFFSETS.withName("sq_off"),          // struct io_sqring_offsets
            IO_CQRING_OFFSETS.withName("cq_off")           // struct io_cqring_offsets
    ).withName("io_uring_params");

    /** struct io_uring_sqe: one submission queue entry (64 bytes; no SQE128 here). */
    public static final StructLayout IO_URING_SQE = structLayout(
            JAVA_BYTE.withName("opcode"),   // __u8
            JAVA_BYTE.withName("flags"),    // __u8  IOSQE_*
            JAVA_SHORT.withName("ioprio"),  // __u16 (also send/recv/accept flags)
            JAVA_INT.withName("fd"),        // __s32
            unionLayout(
                    JAVA_LONG.withName("off"),    // __u64
                    JAVA_LONG.withName("addr2"),  // __u64
                    structLayout(
                            JAVA_INT.withName("cmd_op"),  // __u32
                            JAVA_INT.withName("__pad1")   // __u32
                    ).withName("$cmd_op")
            ).withName("$off"),
            unionLayout(
                    JAVA_LONG.withName("addr"),           // __u64
                    JAVA_LONG.withName("splice_off_in")   // __u64
            ).withName("$addr"),
            JAVA_INT.withName("len"),       // __u32
            unionLayout(
                    JAVA_INT.withName("rw_flags"),          // __kernel_rwf_t
                    JAVA_INT.withName("fsync_flags"),       // __u32
                    JAVA_SHORT.withName("poll_events"),     // __u16
                    JAVA_INT.withName("poll32_events"),     // __u32
                    JAVA_INT.withName("sync_range_flags"),  // __u32
                    JAVA_INT.withName("msg_flags"),         // __u32
                    JAVA_INT.withName("timeout_flags"),     // __u32
                    JAVA_INT.withName("accept_flags"),      // __u32
                    JAVA_INT.withName("cancel_flags"),      // __u32
                    JAVA_INT.withName("open_flags"),        // __u32
                    JAVA_INT.withName("statx_flags"),       // __u32
                    JAVA_INT.withName("fadvise_advice"),    // __u32
                    JAVA_INT.withName("splice_flags"),      // __u32
                    JAVA_INT.withName("rename_flags"),      // __u32
                    JAVA_INT.withName("unlink_flags"),      // __u32
                    JAVA_INT.withName("hardlink_flags"),    // __u32
                    JAVA_INT.withName("xattr_flags"),       // __u32
                    JAVA_INT.withName("msg_ring_flags"),    // __u32
                    JAVA_INT.withName("uring_cmd_flags")    // __u32
            ).withName("$op_flags"),
            JAVA_LONG.withName("user_data"),  // __u64
            unionLayout(
                    JAVA_SHORT.withName("buf_index"),  // __u16 (packed union)
                    JAVA_SHORT.withName("buf_group")   // __u16
            ).withName("$buf_index"),
            JAVA_SHORT.withName("personality"),  // __u16
            unionLayout(
                    JAVA_INT.withName("splice_fd_in"),  // __s32
                    JAVA_INT.withName("file_index"),    // __u32
                    structLayout(
                            JAVA_SHORT.withName("addr_len"),                // __u16
                            sequenceLayout(1, JAVA_SHORT).withName("__pad3") // __u16[1]
                    ).withName("$addr_len")
            ).withName("$splice_fd_in"),
            unionLayout(
                    structLayout(
                            JAVA_LONG.withName("addr3"),                     // __u64
                            sequenceLayout(1, JAVA_LONG).withName("__pad2")  // __u64[1]
                    ).withName("$addr3"),
                    sequenceLayout(0, JAVA_BYTE).withName("cmd")  // __u8[0], SQE128 only
            ).withName("$addr3_or_cmd")
    ).withName("io_uring_sqe");

    /** struct io_uring_cqe: one completion queue entry (16 bytes; no CQE32 here). */
    public static final StructLayout IO_URING_CQE = structLayout(
            JAVA_LONG.withName("user_data"),  // __u64
            JAVA_INT.withName("res"),         // __s32
            JAVA_INT.withName("flags"),       // __u32 IORING_CQE_F_*
            sequenceLayout(0, JAVA_LONG).withName("big_cqe")  // __u64[], CQE32 only
    ).withName("io_uring_cqe");

    /** struct io_uring_probe_op: one entry of the opcode probe. */
    public static final StructLayout IO_URING_PROBE_OP = structLayout(
            JAVA_BYTE.withName("op"),     // __u8
            JAVA_BYTE.withName("resv"),   // __u8
            JAVA_SHORT.withName("flags"), // __u16 IO_URING_OP_*
            JAVA_INT.withName("resv2")    // __u32
    ).withName("io_uring_probe_op");

    /** struct io_uring_probe: IORING_REGISTER_PROBE's argument, followed by ops_len entries. */
    public static final StructLayout IO_URING_PROBE = structLayout(
            JAVA_BYTE.withName("last_op"),   // __u8
            JAVA_BYTE.withName("ops_len"),   // __u8
            JAVA_SHORT.withName("resv"),     // __u16
            sequenceLayout(3, JAVA_INT).withName("resv2"),         // __u32[3]
            sequenceLayout(0, IO_URING_PROBE_OP).withName("ops")   // struct io_uring_probe_op[]
    ).withName("io_uring_probe");

    /** struct io_uring_buf: one entry of a provided-buffer ring (IORING_REGISTER_PBUF_RING). */
    public static final StructLayout IO_URING_BUF = structLayout(
            JAVA_LONG.withName("addr"),    // __u64
            JAVA_INT.withName("len"),      // __u32
            JAVA_SHORT.withName("bid"),    // __u16
            JAVA_SHORT.withName("resv")    // __u16: in entry 0, the ring's tail (io_uring_buf_ring.tail)
    ).withName("io_uring_buf");

    /**
     * struct io_uring_buf_ring: the head of a provided-buffer ring. Its anonymous union overlays
     * entry 0: {@code tail} is entry 0's {@code resv}, the other members pad it.
     */
    public static final StructLayout IO_URING_BUF_RING = structLayout(
            JAVA_LONG.withName("resv1"),   // __u64
            JAVA_INT.withName("resv2"),    // __u32
            JAVA_SHORT.withName("resv3"),  // __u16
            JAVA_SHORT.withName("tail")    // __u16, written by the application (release)
    ).withName("io_uring_buf_ring");

    /** struct io_uring_buf_reg: IORING_REGISTER_PBUF_RING's argument. */
    public static final StructLayout IO_URING_BUF_REG = structLayout(
            JAVA_LONG.withName("ring_addr"),     // __u64
            JAVA_INT.withName("ring_entries"),   // __u32, a power of two up to 32768
            JAVA_SHORT.withName("bgid"),         // __u16
            JAVA_SHORT.withName("pad"),          // __u16 (flags in 6.4+ headers)
            sequenceLayout(3, JAVA_LONG).withName("resv")  // __u64[3]
    ).withName("io_uring_buf_reg");

    /**
     * struct io_uring_rsrc_update: IORING_(UN)REGISTER_RING_FDS' argument (data: the ring fd), and
     * IORING_REGISTER_FILES_UPDATE's (data: the address of the descriptors); {@code offset} -1 asks the
     * kernel to pick the registered index, which it writes back there.
     */
    public static final StructLayout IO_URING_RSRC_UPDATE = structLayout(
            JAVA_INT.withName("offset"),   // __u32
            JAVA_INT.withName("resv"),     // __u32
            JAVA_LONG.withName("data")     // __aligned_u64: the ring fd
    ).withName("io_uring_rsrc_update");

    /** struct __kernel_timespec: timeouts of TIMEOUT, LINK_TIMEOUT and EXT_ARG waits. */
    public static final StructLayout KERNEL_TIMESPEC = structLayout(
            JAVA_LONG.withName("tv_sec"),   // __kernel_time64_t
            JAVA_LONG.withName("tv_nsec")   // long long
    ).withName("__kernel_timespec");

    /** struct io_uring_getevents_arg: io_uring_enter(2)'s argument with IORING_ENTER_EXT_ARG. */
    public static final StructLayout IO_URING_GETEVENTS_ARG = structLayout(
            JAVA_LONG.withName("sigmask"),     // __u64
            JAVA_INT.withName("sigmask_sz"),   // __u32
            JAVA_INT.withName("pad"),          // __u32
            JAVA_LONG.withName("ts")           // __u64 (struct __kernel_timespec *)
    ).withName("io_uring_getevents_arg");

    /** A var handle for a member of {@code layout}, coordinates (MemorySegment, long base offset). */
    static VarHandle handle(MemoryLayout layout, String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = MemoryLayout.PathElement.groupElement(path[i]);
        }
        return layout.varHandle(elements);
    }

    /** The byte offset of a member, for the few places that need it as a number. */
    static long offset(MemoryLayout layout, String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = MemoryLayout.PathElement.groupElement(path[i]);
        }
        return layout.byteOffset(elements);
    }
}
