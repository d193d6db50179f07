package io.veloq.uring.ffi;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.StructLayout;
import java.nio.ByteOrder;

/**
 * The POSIX and Linux structs this project passes to the kernel: iovec, rlimit, the socket
 * addresses, msghdr and statx; and the scalar types passed alone by pointer (socklen_t, int,
 * eventfd_t). Written by hand for LP64 Linux (x86_64, aarch64): pointers and {@code size_t} are
 * 64-bit and declared {@code JAVA_LONG}, holding {@code MemorySegment.address()}.
 *
 * <p>Fields in network byte order ({@code sin_port}, {@code s_addr}, {@code sin6_port},
 * {@code sin6_flowinfo}) are declared big-endian so that their var handles do the swap. Member
 * names are the C ones; the layout probe test checks every offset and size, and the size of
 * every scalar layout under its C type name.
 */
public final class PosixLayouts {

    private PosixLayouts() {}

    private static final java.lang.foreign.ValueLayout.OfShort NET_SHORT =
            JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfInt NET_INT =
            JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    /** socklen_t (<sys/socket.h>): an address or option length the kernel reads and updates. */
    public static final java.lang.foreign.ValueLayout.OfInt SOCKLEN_T = JAVA_INT.withName("socklen_t");

    /** int: a socket option's value for the int-valued options (SO_*, TCP_NODELAY...). */
    public static final java.lang.foreign.ValueLayout.OfInt C_INT = JAVA_INT.withName("int");

    /** eventfd_t (<sys/eventfd.h>), a uint64_t: what read(2)/write(2) of an eventfd transfer. */
    public static final java.lang.foreign.ValueLayout.OfLong EVENTFD_T = JAVA_LONG.withName("eventfd_t");

    /** struct iovec (<sys/uio.h>); IORING_REGISTER_BUFFERS takes an array of them. */
    public static final StructLayout IOVEC = structLayout(
            JAVA_LONG.withName("iov_base"),  // void *
            JAVA_LONG.withName("iov_len")    // size_t
    ).withName("iovec");

    /** struct rlimit (<sys/resource.h>). */
    public static final StructLayout RLIMIT = structLayout(
            JAVA_LONG.withName("rlim_cur"),  // rlim_t
            JAVA_LONG.withName("rlim_max")   // rlim_t
    ).withName("rlimit");

    /** struct sockaddr_in (<netinet/in.h>). */
    public static final StructLayout SOCKADDR_IN = structLayout(
            JAVA_SHORT.withName("sin_family"),  // sa_family_t
            NET_SHORT.withName("sin_port"),     // in_port_t, network order
            structLayout(
                    NET_INT.withName("s_addr")  // in_addr_t, network order
            ).withName("sin_addr"),             // struct in_addr
            sequenceLayout(8, JAVA_BYTE).withName("sin_zero")  // unsigned char[8]
    ).withName("sockaddr_in");

    /** struct sockaddr_in6 (<netinet/in.h>); sin6_addr is 16 bytes in network order. */
    public static final StructLayout SOCKADDR_IN6 = structLayout(
            JAVA_SHORT.withName("sin6_family"),    // sa_family_t
            NET_SHORT.withName("sin6_port"),       // in_port_t, network order
            NET_INT.withName("sin6_flowinfo"),     // uint32_t, network order
            sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),  // struct in6_addr
            JAVA_INT.withName("sin6_scope_id")     // uint32_t, host order
    ).withName("sockaddr_in6");

    /** struct sockaddr_storage (<sys/socket.h>): room for any address, e.g. ACCEPT's output. */
    public static final StructLayout SOCKADDR_STORAGE = structLayout(
            JAVA_SHORT.withName("ss_family"),  // sa_family_t
            paddingLayout(126)                 // libc-private padding and alignment member
    ).withByteAlignment(8).withName("sockaddr_storage");

    /** struct msghdr (<sys/socket.h>), for SENDMSG / RECVMSG. */
    public static final StructLayout MSGHDR = structLayout(
            JAVA_LONG.withName("msg_name"),        // void *
            JAVA_INT.withName("msg_namelen"),      // socklen_t
            paddingLayout(4),
            JAVA_LONG.withName("msg_iov"),         // struct iovec *
            JAVA_LONG.withName("msg_iovlen"),      // size_t
            JAVA_LONG.withName("msg_control"),     // void *
            JAVA_LONG.withName("msg_controllen"),  // size_t
            JAVA_INT.withName("msg_flags"),        // int
            paddingLayout(4)
    ).withName("msghdr");

    /** struct statx_timestamp (<linux/stat.h>). */
    public static final StructLayout STATX_TIMESTAMP = structLayout(
            JAVA_LONG.withName("tv_sec"),      // __s64
            JAVA_INT.withName("tv_nsec"),      // __u32
            JAVA_INT.withName("__reserved")    // __s32
    ).withName("statx_timestamp");

    /** struct statx (<linux/stat.h>), IORING_OP_STATX's output. */
    public static final StructLayout STATX = structLayout(
            JAVA_INT.withName("stx_mask"),             // __u32
            JAVA_INT.withName("stx_blksize"),          // __u32
            JAVA_LONG.withName("stx_attributes"),      // __u64
            JAVA_INT.withName("stx_nlink"),            // __u32
            JAVA_INT.withName("stx_uid"),              // __u32
            JAVA_INT.withName("stx_gid"),              // __u32
            JAVA_SHORT.withName("stx_mode"),           // __u16
            sequenceLayout(1, JAVA_SHORT).withName("__spare0"),  // __u16[1]
            JAVA_LONG.withName("stx_ino"),             // __u64
            JAVA_LONG.withName("stx_size"),            // __u64
            JAVA_LONG.withName("stx_blocks"),          // __u64
            JAVA_LONG.withName("stx_attributes_mask"), // __u64
            STATX_TIMESTAMP.withName("stx_atime"),     // struct statx_timestamp
            STATX_TIMESTAMP.withName("stx_btime"),     // struct statx_timestamp
            STATX_TIMESTAMP.withName("stx_ctime"),     // struct statx_timestamp
            STATX_TIMESTAMP.withName("stx_mtime"),     // struct statx_timestamp
            JAVA_INT.withName("stx_rdev_major"),       // __u32
            JAVA_INT.withName("stx_rdev_minor"),       // __u32
            JAVA_INT.withName("stx_dev_major"),        // __u32
            JAVA_INT.withName("stx_dev_minor"),        // __u32
            JAVA_LONG.withName("stx_mnt_id"),          // __u64
            JAVA_INT.withName("stx_dio_mem_align"),    // __u32
            JAVA_INT.withName("stx_dio_offset_align"), // __u32
            sequenceLayout(12, JAVA_LONG).withName("__spare3")  // __u64[12]
    ).withName("statx");
}
