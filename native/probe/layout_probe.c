/*
 * Layout probe: prints what the C compiler and the system headers say about every struct and
 * constant the Java bindings (veloq-io-uring, package io.veloq.uring.ffi) declare by hand.
 *
 * Output, one fact per line, fields separated by single spaces:
 *   S <struct> <sizeof>
 *   F <struct> <member> <offsetof> <sizeof member>     (flexible array members: size 0)
 *   T <scalar type> <sizeof>                            (types passed alone by pointer)
 *   C <java constant name> <value as a signed 64-bit decimal>
 *   B <sample> <bytes in hex>                           (a struct filled by C, see samples())
 *   V <sample> <member> <value as a signed 64-bit decimal> (what C put in that member)
 * Members of anonymous unions/structs are listed by their own names; members of named nested
 * structs as "outer.inner". LayoutProbeTest compiles this file with the system cc, runs it and
 * fails on any difference in either direction (a Java declaration the probe does not check is
 * a failure too). The samples check the typed accessors the rest of the code goes through
 * (Statx, MsgHdr, SockAddrs, Structs, IntCell): each one reads the bytes C wrote, or writes the
 * values C wrote and must produce the same bytes. Keep it in step with the Java side.
 *
 * Build by hand: cc -std=gnu11 -Wall -Werror -o layout_probe layout_probe.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/io_uring.h>
#include <linux/time_types.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define S(ctype, name) printf("S %s %zu\n", name, sizeof(ctype))
#define F(ctype, name, member) \
    printf("F %s %s %zu %zu\n", name, #member, offsetof(ctype, member), sizeof(((ctype *)0)->member))
#define FLEX(ctype, name, member) printf("F %s %s %zu 0\n", name, #member, offsetof(ctype, member))
#define T(ctype) printf("T %s %zu\n", #ctype, sizeof(ctype))
#define K(name) printf("C %s %lld\n", #name, (long long)(name))
#define V(sample, member, value) printf("V %s %s %lld\n", sample, member, (long long)(value))
#define KAS(javaName, expr) printf("C %s %lld\n", javaName, (long long)(expr))

static void io_uring_structs(void) {
    S(struct io_sqring_offsets, "io_sqring_offsets");
    F(struct io_sqring_offsets, "io_sqring_offsets", head);
    F(struct io_sqring_offsets, "io_sqring_offsets", tail);
    F(struct io_sqring_offsets, "io_sqring_offsets", ring_mask);
    F(struct io_sqring_offsets, "io_sqring_offsets", ring_entries);
    F(struct io_sqring_offsets, "io_sqring_offsets", flags);
    F(struct io_sqring_offsets, "io_sqring_offsets", dropped);
    F(struct io_sqring_offsets, "io_sqring_offsets", array);
    F(struct io_sqring_offsets, "io_sqring_offsets", resv1);
    F(struct io_sqring_offsets, "io_sqring_offsets", resv2);

    S(struct io_cqring_offsets, "io_cqring_offsets");
    F(struct io_cqring_offsets, "io_cqring_offsets", head);
    F(struct io_cqring_offsets, "io_cqring_offsets", tail);
    F(struct io_cqring_offsets, "io_cqring_offsets", ring_mask);
    F(struct io_cqring_offsets, "io_cqring_offsets", ring_entries);
    F(struct io_cqring_offsets, "io_cqring_offsets", overflow);
    F(struct io_cqring_offsets, "io_cqring_offsets", cqes);
    F(struct io_cqring_offsets, "io_cqring_offsets", flags);
    F(struct io_cqring_offsets, "io_cqring_offsets", resv1);
    F(struct io_cqring_offsets, "io_cqring_offsets", resv2);

    S(struct io_uring_params, "io_uring_params");
    F(struct io_uring_params, "io_uring_params", sq_entries);
    F(struct io_uring_params, "io_uring_params", cq_entries);
    F(struct io_uring_params, "io_uring_params", flags);
    F(struct io_uring_params, "io_uring_params", sq_thread_cpu);
    F(struct io_uring_params, "io_uring_params", sq_thread_idle);
    F(struct io_uring_params, "io_uring_params", features);
    F(struct io_uring_params, "io_uring_params", wq_fd);
    F(struct io_uring_params, "io_uring_params", resv);
    F(struct io_uring_params, "io_uring_params", sq_off);
    F(struct io_uring_params, "io_uring_params", sq_off.head);
    F(struct io_uring_params, "io_uring_params", sq_off.tail);
    F(struct io_uring_params, "io_uring_params", sq_off.ring_mask);
    F(struct io_uring_params, "io_uring_params", sq_off.ring_entries);
    F(struct io_uring_params, "io_uring_params", sq_off.flags);
    F(struct io_uring_params, "io_uring_params", sq_off.dropped);
    F(struct io_uring_params, "io_uring_params", sq_off.array);
    F(struct io_uring_params, "io_uring_params", sq_off.resv1);
    F(struct io_uring_params, "io_uring_params", sq_off.resv2);
    F(struct io_uring_params, "io_uring_params", cq_off);
    F(struct io_uring_params, "io_uring_params", cq_off.head);
    F(struct io_uring_params, "io_uring_params", cq_off.tail);
    F(struct io_uring_params, "io_uring_params", cq_off.ring_mask);
    F(struct io_uring_params, "io_uring_params", cq_off.ring_entries);
    F(struct io_uring_params, "io_uring_params", cq_off.overflow);
    F(struct io_uring_params, "io_uring_params", cq_off.cqes);
    F(struct io_uring_params, "io_uring_params", cq_off.flags);
    F(struct io_uring_params, "io_uring_params", cq_off.resv1);
    F(struct io_uring_params, "io_uring_params", cq_off.resv2);

    S(struct io_uring_sqe, "io_uring_sqe");
    F(struct io_uring_sqe, "io_uring_sqe", opcode);
    F(struct io_uring_sqe, "io_uring_sqe", flags);
    F(struct io_uring_sqe, "io_uring_sqe", ioprio);
    F(struct io_uring_sqe, "io_uring_sqe", fd);
    F(struct io_uring_sqe, "io_uring_sqe", off);
    F(struct io_uring_sqe, "io_uring_sqe", addr2);
    F(struct io_uring_sqe, "io_uring_sqe", cmd_op);
    F(struct io_uring_sqe, "io_uring_sqe", __pad1);
    F(struct io_uring_sqe, "io_uring_sqe", addr);
    F(struct io_uring_sqe, "io_uring_sqe", splice_off_in);
    F(struct io_uring_sqe, "io_uring_sqe", len);
    F(struct io_uring_sqe, "io_uring_sqe", rw_flags);
    F(struct io_uring_sqe, "io_uring_sqe", fsync_flags);
    F(struct io_uring_sqe, "io_uring_sqe", poll_events);
    F(struct io_uring_sqe, "io_uring_sqe", poll32_events);
    F(struct io_uring_sqe, "io_uring_sqe", sync_range_flags);
    F(struct io_uring_sqe, "io_uring_sqe", msg_flags);
    F(struct io_uring_sqe, "io_uring_sqe", timeout_flags);
    F(struct io_uring_sqe, "io_uring_sqe", accept_flags);
    F(struct io_uring_sqe, "io_uring_sqe", cancel_flags);
    F(struct io_uring_sqe, "io_uring_sqe", open_flags);
    F(struct io_uring_sqe, "io_uring_sqe", statx_flags);
    F(struct io_uring_sqe, "io_uring_sqe", fadvise_advice);
    F(struct io_uring_sqe, "io_uring_sqe", splice_flags);
    F(struct io_uring_sqe, "io_uring_sqe", rename_flags);
    F(struct io_uring_sqe, "io_uring_sqe", unlink_flags);
    F(struct io_uring_sqe, "io_uring_sqe", hardlink_flags);
    F(struct io_uring_sqe, "io_uring_sqe", xattr_flags);
    F(struct io_uring_sqe, "io_uring_sqe", msg_ring_flags);
    F(struct io_uring_sqe, "io_uring_sqe", uring_cmd_flags);
    F(struct io_uring_sqe, "io_uring_sqe", user_data);
    F(struct io_uring_sqe, "io_uring_sqe", buf_index);
    F(struct io_uring_sqe, "io_uring_sqe", buf_group);
    F(struct io_uring_sqe, "io_uring_sqe", personality);
    F(struct io_uring_sqe, "io_uring_sqe", splice_fd_in);
    F(struct io_uring_sqe, "io_uring_sqe", file_index);
    F(struct io_uring_sqe, "io_uring_sqe", addr_len);
    F(struct io_uring_sqe, "io_uring_sqe", __pad3);
    F(struct io_uring_sqe, "io_uring_sqe", addr3);
    F(struct io_uring_sqe, "io_uring_sqe", __pad2);
    F(struct io_uring_sqe, "io_uring_sqe", cmd);

    S(struct io_uring_cqe, "io_uring_cqe");
    F(struct io_uring_cqe, "io_uring_cqe", user_data);
    F(struct io_uring_cqe, "io_uring_cqe", res);
    F(struct io_uring_cqe, "io_uring_cqe", flags);
    FLEX(struct io_uring_cqe, "io_uring_cqe", big_cqe);

    S(struct io_uring_probe_op, "io_uring_probe_op");
    F(struct io_uring_probe_op, "io_uring_probe_op", op);
    F(struct io_uring_probe_op, "io_uring_probe_op", resv);
    F(struct io_uring_probe_op, "io_uring_probe_op", flags);
    F(struct io_uring_probe_op, "io_uring_probe_op", resv2);

    S(struct io_uring_probe, "io_uring_probe");
    F(struct io_uring_probe, "io_uring_probe", last_op);
    F(struct io_uring_probe, "io_uring_probe", ops_len);
    F(struct io_uring_probe, "io_uring_probe", resv);
    F(struct io_uring_probe, "io_uring_probe", resv2);
    FLEX(struct io_uring_probe, "io_uring_probe", ops);

    S(struct io_uring_buf, "io_uring_buf");
    F(struct io_uring_buf, "io_uring_buf", addr);
    F(struct io_uring_buf, "io_uring_buf", len);
    F(struct io_uring_buf, "io_uring_buf", bid);
    F(struct io_uring_buf, "io_uring_buf", resv);

    S(struct io_uring_buf_ring, "io_uring_buf_ring");
    F(struct io_uring_buf_ring, "io_uring_buf_ring", resv1);
    F(struct io_uring_buf_ring, "io_uring_buf_ring", resv2);
    F(struct io_uring_buf_ring, "io_uring_buf_ring", resv3);
    F(struct io_uring_buf_ring, "io_uring_buf_ring", tail);

    S(struct io_uring_buf_reg, "io_uring_buf_reg");
    F(struct io_uring_buf_reg, "io_uring_buf_reg", ring_addr);
    F(struct io_uring_buf_reg, "io_uring_buf_reg", ring_entries);
    F(struct io_uring_buf_reg, "io_uring_buf_reg", bgid);
    F(struct io_uring_buf_reg, "io_uring_buf_reg", pad);
    F(struct io_uring_buf_reg, "io_uring_buf_reg", resv);

    S(struct io_uring_rsrc_update, "io_uring_rsrc_update");
    F(struct io_uring_rsrc_update, "io_uring_rsrc_update", offset);
    F(struct io_uring_rsrc_update, "io_uring_rsrc_update", resv);
    F(struct io_uring_rsrc_update, "io_uring_rsrc_update", data);

    S(struct __kernel_timespec, "__kernel_timespec");
    F(struct __kernel_timespec, "__kernel_timespec", tv_sec);
    F(struct __kernel_timespec, "__kernel_timespec", tv_nsec);

    S(struct io_uring_getevents_arg, "io_uring_getevents_arg");
    F(struct io_uring_getevents_arg, "io_uring_getevents_arg", sigmask);
    F(struct io_uring_getevents_arg, "io_uring_getevents_arg", sigmask_sz);
    F(struct io_uring_getevents_arg, "io_uring_getevents_arg", pad);
    F(struct io_uring_getevents_arg, "io_uring_getevents_arg", ts);
}

static void posix_structs(void) {
    S(struct iovec, "iovec");
    F(struct iovec, "iovec", iov_base);
    F(struct iovec, "iovec", iov_len);

    S(struct rlimit, "rlimit");
    F(struct rlimit, "rlimit", rlim_cur);
    F(struct rlimit, "rlimit", rlim_max);

    S(struct sockaddr_in, "sockaddr_in");
    F(struct sockaddr_in, "sockaddr_in", sin_family);
    F(struct sockaddr_in, "sockaddr_in", sin_port);
    F(struct sockaddr_in, "sockaddr_in", sin_addr);
    F(struct sockaddr_in, "sockaddr_in", sin_addr.s_addr);
    F(struct sockaddr_in, "sockaddr_in", sin_zero);

    S(struct sockaddr_in6, "sockaddr_in6");
    F(struct sockaddr_in6, "sockaddr_in6", sin6_family);
    F(struct sockaddr_in6, "sockaddr_in6", sin6_port);
    F(struct sockaddr_in6, "sockaddr_in6", sin6_flowinfo);
    F(struct sockaddr_in6, "sockaddr_in6", sin6_addr);
    F(struct sockaddr_in6, "sockaddr_in6", sin6_scope_id);

    S(struct sockaddr_storage, "sockaddr_storage");
    F(struct sockaddr_storage, "sockaddr_storage", ss_family);

    S(struct msghdr, "msghdr");
    F(struct msghdr, "msghdr", msg_name);
    F(struct msghdr, "msghdr", msg_namelen);
    F(struct msghdr, "msghdr", msg_iov);
    F(struct msghdr, "msghdr", msg_iovlen);
    F(struct msghdr, "msghdr", msg_control);
    F(struct msghdr, "msghdr", msg_controllen);
    F(struct msghdr, "msghdr", msg_flags);

    S(struct statx_timestamp, "statx_timestamp");
    F(struct statx_timestamp, "statx_timestamp", tv_sec);
    F(struct statx_timestamp, "statx_timestamp", tv_nsec);
    F(struct statx_timestamp, "statx_timestamp", __reserved);

    S(struct statx, "statx");
    F(struct statx, "statx", stx_mask);
    F(struct statx, "statx", stx_blksize);
    F(struct statx, "statx", stx_attributes);
    F(struct statx, "statx", stx_nlink);
    F(struct statx, "statx", stx_uid);
    F(struct statx, "statx", stx_gid);
    F(struct statx, "statx", stx_mode);
    F(struct statx, "statx", __spare0);
    F(struct statx, "statx", stx_ino);
    F(struct statx, "statx", stx_size);
    F(struct statx, "statx", stx_blocks);
    F(struct statx, "statx", stx_attributes_mask);
    F(struct statx, "statx", stx_atime);
    F(struct statx, "statx", stx_atime.tv_sec);
    F(struct statx, "statx", stx_atime.tv_nsec);
    F(struct statx, "statx", stx_atime.__reserved);
    F(struct statx, "statx", stx_btime);
    F(struct statx, "statx", stx_btime.tv_sec);
    F(struct statx, "statx", stx_btime.tv_nsec);
    F(struct statx, "statx", stx_btime.__reserved);
    F(struct statx, "statx", stx_ctime);
    F(struct statx, "statx", stx_ctime.tv_sec);
    F(struct statx, "statx", stx_ctime.tv_nsec);
    F(struct statx, "statx", stx_ctime.__reserved);
    F(struct statx, "statx", stx_mtime);
    F(struct statx, "statx", stx_mtime.tv_sec);
    F(struct statx, "statx", stx_mtime.tv_nsec);
    F(struct statx, "statx", stx_mtime.__reserved);
    F(struct statx, "statx", stx_rdev_major);
    F(struct statx, "statx", stx_rdev_minor);
    F(struct statx, "statx", stx_dev_major);
    F(struct statx, "statx", stx_dev_minor);
    F(struct statx, "statx", stx_mnt_id);
    F(struct statx, "statx", stx_dio_mem_align);
    F(struct statx, "statx", stx_dio_offset_align);
    F(struct statx, "statx", __spare3);
}

static void scalar_types(void) {
    T(socklen_t);
    T(int);
    T(eventfd_t);
}

static void bytes(const char *sample, const void *p, size_t n) {
    const unsigned char *b = p;
    printf("B %s ", sample);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
    printf("\n");
}

/*
 * One sample per struct the typed accessors touch. Values use the top bit of their type where
 * it has one, so that a sign or width mistake on the Java side shows.
 */
static void samples(void) {
    struct statx st;
    memset(&st, 0, sizeof st);
    st.stx_mask = 0x80000fffu;
    st.stx_mode = S_IFLNK | 0755;
    st.stx_nlink = 0x80000001u;
    st.stx_uid = 0xfffffffeu;
    st.stx_gid = 0x80000002u;
    st.stx_ino = 0x8000000000000003ull;
    st.stx_size = 0x7000000000000004ull;
    st.stx_atime.tv_sec = -1; st.stx_atime.tv_nsec = 999999999u;
    st.stx_btime.tv_sec = 1000000001; st.stx_btime.tv_nsec = 1u;
    st.stx_ctime.tv_sec = 0x7fffffffffLL; st.stx_ctime.tv_nsec = 500000000u;
    st.stx_mtime.tv_sec = 1700000000; st.stx_mtime.tv_nsec = 123456789u;
    bytes("statx", &st, sizeof st);
    V("statx", "stx_mask", st.stx_mask); V("statx", "stx_mode", st.stx_mode);
    V("statx", "stx_nlink", st.stx_nlink); V("statx", "stx_uid", st.stx_uid);
    V("statx", "stx_gid", st.stx_gid); V("statx", "stx_ino", st.stx_ino);
    V("statx", "stx_size", st.stx_size);
    V("statx", "stx_atime.tv_sec", st.stx_atime.tv_sec); V("statx", "stx_atime.tv_nsec", st.stx_atime.tv_nsec);
    V("statx", "stx_btime.tv_sec", st.stx_btime.tv_sec); V("statx", "stx_btime.tv_nsec", st.stx_btime.tv_nsec);
    V("statx", "stx_ctime.tv_sec", st.stx_ctime.tv_sec); V("statx", "stx_ctime.tv_nsec", st.stx_ctime.tv_nsec);
    V("statx", "stx_mtime.tv_sec", st.stx_mtime.tv_sec); V("statx", "stx_mtime.tv_nsec", st.stx_mtime.tv_nsec);

    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_name = (void *)0x8877665544332211ull;
    m.msg_namelen = 0x8000001cu;
    m.msg_iov = (struct iovec *)0x0102030405060708ull;
    m.msg_iovlen = 0x8000000000000001ull;
    bytes("msghdr", &m, sizeof m);
    V("msghdr", "msg_name", (unsigned long long)m.msg_name); V("msghdr", "msg_namelen", m.msg_namelen);
    V("msghdr", "msg_iov", (unsigned long long)m.msg_iov); V("msghdr", "msg_iovlen", m.msg_iovlen);

    struct iovec io[2];
    memset(io, 0, sizeof io);
    io[1].iov_base = (void *)0x8000000000001000ull;
    io[1].iov_len = 0x8000000000000010ull;
    bytes("iovec[2]", io, sizeof io);
    V("iovec[2]", "iov_base", (unsigned long long)io[1].iov_base); V("iovec[2]", "iov_len", io[1].iov_len);

    struct __kernel_timespec ts = {.tv_sec = 1234567, .tv_nsec = 890123456};
    bytes("__kernel_timespec", &ts, sizeof ts);
    V("__kernel_timespec", "tv_sec", ts.tv_sec); V("__kernel_timespec", "tv_nsec", ts.tv_nsec);

    struct sockaddr_storage in4s;
    memset(&in4s, 0, sizeof in4s);
    struct sockaddr_in *in4 = (struct sockaddr_in *)&in4s;
    in4->sin_family = AF_INET;
    in4->sin_port = htons(0x8001);
    in4->sin_addr.s_addr = htonl(0xc0000281u);  /* 192.0.2.129 */
    bytes("sockaddr_in", &in4s, sizeof in4s);
    V("sockaddr_in", "sin_port", ntohs(in4->sin_port)); V("sockaddr_in", "sin_addr.s_addr", ntohl(in4->sin_addr.s_addr));

    struct sockaddr_storage in6s;
    memset(&in6s, 0, sizeof in6s);
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&in6s;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(0x8443);
    inet_pton(AF_INET6, "2001:db8::8001", &in6->sin6_addr);  /* the Java side parses the same text */
    in6->sin6_scope_id = 3;
    bytes("sockaddr_in6", &in6s, sizeof in6s);
    V("sockaddr_in6", "sin6_port", ntohs(in6->sin6_port)); V("sockaddr_in6", "sin6_scope_id", in6->sin6_scope_id);

    socklen_t len = 0x8000001cu;
    bytes("socklen_t", &len, sizeof len);
    V("socklen_t", "value", len);
    int option = -2;
    bytes("int", &option, sizeof option);
    V("int", "value", option);
    eventfd_t counter = 0x8000000000000001ull;
    bytes("eventfd_t", &counter, sizeof counter);
    V("eventfd_t", "value", counter);
}

static void io_uring_constants(void) {
    KAS("NR_IO_URING_SETUP", __NR_io_uring_setup);
    KAS("NR_IO_URING_ENTER", __NR_io_uring_enter);
    KAS("NR_IO_URING_REGISTER", __NR_io_uring_register);

    K(IORING_SETUP_IOPOLL); K(IORING_SETUP_SQPOLL); K(IORING_SETUP_SQ_AFF); K(IORING_SETUP_CQSIZE);
    K(IORING_SETUP_CLAMP); K(IORING_SETUP_ATTACH_WQ); K(IORING_SETUP_R_DISABLED);
    K(IORING_SETUP_SUBMIT_ALL); K(IORING_SETUP_COOP_TASKRUN); K(IORING_SETUP_TASKRUN_FLAG);
    K(IORING_SETUP_SQE128); K(IORING_SETUP_CQE32); K(IORING_SETUP_SINGLE_ISSUER);
    K(IORING_SETUP_DEFER_TASKRUN);

    K(IORING_FEAT_SINGLE_MMAP); K(IORING_FEAT_NODROP); K(IORING_FEAT_SUBMIT_STABLE);
    K(IORING_FEAT_RW_CUR_POS); K(IORING_FEAT_CUR_PERSONALITY); K(IORING_FEAT_FAST_POLL);
    K(IORING_FEAT_POLL_32BITS); K(IORING_FEAT_SQPOLL_NONFIXED); K(IORING_FEAT_EXT_ARG);
    K(IORING_FEAT_NATIVE_WORKERS); K(IORING_FEAT_RSRC_TAGS); K(IORING_FEAT_CQE_SKIP);
    K(IORING_FEAT_LINKED_FILE);

    K(IORING_ENTER_GETEVENTS); K(IORING_ENTER_SQ_WAKEUP); K(IORING_ENTER_SQ_WAIT);
    K(IORING_ENTER_EXT_ARG); K(IORING_ENTER_REGISTERED_RING);

    K(IORING_SQ_NEED_WAKEUP); K(IORING_SQ_CQ_OVERFLOW); K(IORING_SQ_TASKRUN);
    K(IORING_CQ_EVENTFD_DISABLED);
    K(IORING_OFF_SQ_RING); K(IORING_OFF_CQ_RING); K(IORING_OFF_SQES);

    K(IORING_OP_NOP); K(IORING_OP_READV); K(IORING_OP_WRITEV); K(IORING_OP_FSYNC);
    K(IORING_OP_READ_FIXED); K(IORING_OP_WRITE_FIXED); K(IORING_OP_POLL_ADD); K(IORING_OP_POLL_REMOVE);
    K(IORING_OP_SYNC_FILE_RANGE); K(IORING_OP_SENDMSG); K(IORING_OP_RECVMSG); K(IORING_OP_TIMEOUT);
    K(IORING_OP_TIMEOUT_REMOVE); K(IORING_OP_ACCEPT); K(IORING_OP_ASYNC_CANCEL);
    K(IORING_OP_LINK_TIMEOUT); K(IORING_OP_CONNECT); K(IORING_OP_FALLOCATE); K(IORING_OP_OPENAT);
    K(IORING_OP_CLOSE); K(IORING_OP_FILES_UPDATE); K(IORING_OP_STATX); K(IORING_OP_READ);
    K(IORING_OP_WRITE); K(IORING_OP_FADVISE); K(IORING_OP_MADVISE); K(IORING_OP_SEND);
    K(IORING_OP_RECV); K(IORING_OP_OPENAT2); K(IORING_OP_EPOLL_CTL); K(IORING_OP_SPLICE);
    K(IORING_OP_PROVIDE_BUFFERS); K(IORING_OP_REMOVE_BUFFERS); K(IORING_OP_TEE);
    K(IORING_OP_SHUTDOWN); K(IORING_OP_RENAMEAT); K(IORING_OP_UNLINKAT); K(IORING_OP_MKDIRAT);
    K(IORING_OP_SYMLINKAT); K(IORING_OP_LINKAT); K(IORING_OP_MSG_RING); K(IORING_OP_FSETXATTR);
    K(IORING_OP_SETXATTR); K(IORING_OP_FGETXATTR); K(IORING_OP_GETXATTR); K(IORING_OP_SOCKET);
    K(IORING_OP_URING_CMD); K(IORING_OP_SEND_ZC); K(IORING_OP_SENDMSG_ZC); K(IORING_OP_LAST);

    K(IOSQE_FIXED_FILE); K(IOSQE_IO_DRAIN); K(IOSQE_IO_LINK); K(IOSQE_IO_HARDLINK); K(IOSQE_ASYNC);
    K(IOSQE_BUFFER_SELECT); K(IOSQE_CQE_SKIP_SUCCESS);

    K(IORING_CQE_F_BUFFER); K(IORING_CQE_F_MORE); K(IORING_CQE_F_SOCK_NONEMPTY);
    K(IORING_CQE_F_NOTIF); K(IORING_CQE_BUFFER_SHIFT);

    K(IORING_FSYNC_DATASYNC);
    K(IORING_TIMEOUT_ABS); K(IORING_TIMEOUT_UPDATE); K(IORING_TIMEOUT_BOOTTIME);
    K(IORING_TIMEOUT_REALTIME); K(IORING_LINK_TIMEOUT_UPDATE); K(IORING_TIMEOUT_ETIME_SUCCESS);
    K(IORING_POLL_ADD_MULTI); K(IORING_POLL_UPDATE_EVENTS); K(IORING_POLL_UPDATE_USER_DATA);
    K(IORING_POLL_ADD_LEVEL);
    K(IORING_ASYNC_CANCEL_ALL); K(IORING_ASYNC_CANCEL_FD); K(IORING_ASYNC_CANCEL_ANY);
    K(IORING_ASYNC_CANCEL_FD_FIXED);
    K(IORING_RECVSEND_POLL_FIRST); K(IORING_RECV_MULTISHOT); K(IORING_RECVSEND_FIXED_BUF);
    K(IORING_SEND_ZC_REPORT_USAGE);
    K(IORING_ACCEPT_MULTISHOT);
    K(IORING_MSG_DATA); K(IORING_MSG_SEND_FD); K(IORING_MSG_RING_CQE_SKIP);
    K(IORING_FILE_INDEX_ALLOC);

    K(IORING_REGISTER_BUFFERS); K(IORING_UNREGISTER_BUFFERS); K(IORING_REGISTER_FILES);
    K(IORING_UNREGISTER_FILES); K(IORING_REGISTER_FILES_UPDATE); K(IORING_REGISTER_EVENTFD); K(IORING_UNREGISTER_EVENTFD);
    K(IORING_REGISTER_PROBE); K(IORING_REGISTER_ENABLE_RINGS); K(IORING_REGISTER_RING_FDS);
    K(IORING_UNREGISTER_RING_FDS); K(IORING_REGISTER_PBUF_RING); K(IORING_UNREGISTER_PBUF_RING);
    K(IORING_REGISTER_SYNC_CANCEL);
    K(IO_URING_OP_SUPPORTED);
}

static void posix_constants(void) {
    K(O_RDONLY); K(O_WRONLY); K(O_RDWR); K(O_CREAT); K(O_EXCL); K(O_TRUNC); K(O_APPEND);
    K(O_NONBLOCK); K(O_DSYNC); K(O_SYNC); K(O_DIRECT); K(O_DIRECTORY); K(O_NOFOLLOW); K(O_CLOEXEC);
    K(AT_FDCWD); K(AT_SYMLINK_NOFOLLOW); K(AT_REMOVEDIR); K(AT_EMPTY_PATH); K(AT_STATX_SYNC_AS_STAT);
    K(RWF_NOWAIT);  /* <sys/uio.h> with _GNU_SOURCE (glibc 2.26+) */

    K(PROT_READ); K(PROT_WRITE); K(MAP_SHARED); K(MAP_PRIVATE); K(MAP_ANONYMOUS); K(MAP_POPULATE);
    K(EFD_SEMAPHORE); K(EFD_NONBLOCK); K(EFD_CLOEXEC);
    K(RLIMIT_MEMLOCK); K(RLIM_INFINITY); K(_SC_PAGESIZE);

    K(AF_UNSPEC); K(AF_UNIX); K(AF_INET); K(AF_INET6);
    K(SOCK_STREAM); K(SOCK_DGRAM); K(SOCK_NONBLOCK); K(SOCK_CLOEXEC);
    K(SOL_SOCKET); K(SO_REUSEADDR); K(SO_ERROR); K(SO_BROADCAST); K(SO_SNDBUF); K(SO_RCVBUF);
    K(SO_KEEPALIVE); K(SO_LINGER); K(SO_REUSEPORT);
    K(IPPROTO_IP); K(IPPROTO_TCP); K(IPPROTO_UDP); K(IPPROTO_IPV6); K(IPV6_V6ONLY);
    K(TCP_NODELAY); K(TCP_KEEPIDLE); K(TCP_KEEPINTVL); K(TCP_KEEPCNT);
    K(SHUT_RD); K(SHUT_WR); K(SHUT_RDWR);
    K(MSG_PEEK); K(MSG_TRUNC); K(MSG_DONTWAIT); K(MSG_WAITALL); K(MSG_NOSIGNAL);

    K(POLLIN); K(POLLPRI); K(POLLOUT); K(POLLERR); K(POLLHUP); K(POLLNVAL); K(POLLRDHUP);

    K(STATX_TYPE); K(STATX_MODE); K(STATX_NLINK); K(STATX_UID); K(STATX_GID); K(STATX_ATIME);
    K(STATX_MTIME); K(STATX_CTIME); K(STATX_INO); K(STATX_SIZE); K(STATX_BLOCKS);
    K(STATX_BASIC_STATS); K(STATX_BTIME);
    K(S_IFMT); K(S_IFDIR); K(S_IFREG); K(S_IFLNK);

    K(FALLOC_FL_KEEP_SIZE); K(FALLOC_FL_PUNCH_HOLE); K(FALLOC_FL_ZERO_RANGE);
    K(RENAME_NOREPLACE); K(RENAME_EXCHANGE);
}

static void errno_constants(void) {
    K(EPERM); K(ENOENT); K(ESRCH); K(EINTR); K(EIO); K(ENXIO); K(E2BIG); K(EBADF); K(EAGAIN);
    K(ENOMEM); K(EACCES); K(EFAULT); K(EBUSY); K(EEXIST); K(EXDEV); K(ENODEV); K(ENOTDIR);
    K(EISDIR); K(EINVAL); K(ENFILE); K(EMFILE); K(ETXTBSY); K(EFBIG); K(ENOSPC); K(ESPIPE);
    K(EROFS); K(EMLINK); K(EPIPE); K(ERANGE); K(ENAMETOOLONG); K(ENOSYS); K(ENOTEMPTY);
    K(ELOOP); K(ETIME); K(EOVERFLOW); K(EBADFD); K(ENOTSOCK); K(EDESTADDRREQ); K(EMSGSIZE);
    K(ENOPROTOOPT); K(EPROTONOSUPPORT); K(EOPNOTSUPP); K(EAFNOSUPPORT); K(EADDRINUSE);
    K(EADDRNOTAVAIL); K(ENETDOWN); K(ENETUNREACH); K(ECONNABORTED); K(ECONNRESET); K(ENOBUFS);
    K(EISCONN); K(ENOTCONN); K(ETIMEDOUT); K(ECONNREFUSED); K(EHOSTUNREACH); K(EALREADY);
    K(EINPROGRESS); K(EDQUOT); K(ECANCELED);
}

int main(void) {
    io_uring_structs();
    posix_structs();
    scalar_types();
    samples();
    io_uring_constants();
    posix_constants();
    errno_constants();
    return 0;
}
