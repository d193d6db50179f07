package io.veloq.uring.ffi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks behind LayoutProbeTest's accessor samples: for each struct the probe filled in C,
 * the typed accessor of this package either reads back every value C wrote, or writes those
 * values and produces C's bytes exactly. One entry per sample the probe prints.
 */
final class AccessorSamples {

    /** One sample: C's bytes (copied to aligned native memory) and the values C wrote, by member. */
    static final class Sample {
        final Arena arena;
        final MemorySegment bytes;
        private final Map<String, Long> values;
        final Set<String> used = new TreeSet<>();

        Sample(Arena arena, byte[] bytes, Map<String, Long> values) {
            this.arena = arena;
            this.bytes = arena.allocate(bytes.length, 8);
            MemorySegment.copy(bytes, 0, this.bytes, ValueLayout.JAVA_BYTE, 0, bytes.length);
            this.values = values;
        }

        long v(String member) {
            Long value = values.get(member);
            if (value == null) {
                throw new AssertionError("the probe printed no value for " + member);
            }
            used.add(member);
            return value;
        }

        Set<String> members() {
            return values.keySet();
        }

        /** A zeroed, 8-byte aligned segment as long as C's struct. */
        MemorySegment fresh() {
            return arena.allocate(bytes.byteSize(), 8);
        }

        void assertSameBytes(MemorySegment written, String what) {
            assertArrayEquals(bytes.toArray(ValueLayout.JAVA_BYTE), written.toArray(ValueLayout.JAVA_BYTE), what);
        }
    }

    @FunctionalInterface
    interface Check {
        void run(Sample sample) throws Exception;
    }

    private AccessorSamples() {}

    /** Sample name (as the probe prints it) -> the check of the accessor that handles that struct. */
    static final Map<String, Check> CHECKS = Map.of(
            "statx", AccessorSamples::statx,
            "msghdr", AccessorSamples::msghdr,
            "iovec[2]", s -> {
                MemorySegment written = s.fresh();
                Structs.setIovec(written, 1, s.v("iov_base"), s.v("iov_len"));
                s.assertSameBytes(written, "Structs.setIovec, entry 1");
            },
            "__kernel_timespec", s -> {
                long nanos = s.v("tv_sec") * 1_000_000_000L + s.v("tv_nsec");
                MemorySegment written = s.fresh();
                Structs.setTimespec(written, nanos);
                s.assertSameBytes(written, "Structs.setTimespec");
                assertEquals(nanos, Structs.timespecNanos(s.bytes), "Structs.timespecNanos");
            },
            "sockaddr_in", s -> {
                int a = (int) s.v("sin_addr.s_addr");
                InetAddress ip = InetAddress.getByAddress(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
                sockaddr(s, new InetSocketAddress(ip, (int) s.v("sin_port")), 16);
            },
            "sockaddr_in6", s -> {
                byte[] ip = InetAddress.getByName("2001:db8::8001").getAddress(); // the text the probe passes to inet_pton
                Inet6Address scoped = Inet6Address.getByAddress(null, ip, (int) s.v("sin6_scope_id"));
                sockaddr(s, new InetSocketAddress(scoped, (int) s.v("sin6_port")), 28);
            },
            "socklen_t", s -> {
                IntCell cell = IntCell.ofSocklen(s.arena, (int) s.v("value"));
                s.assertSameBytes(cell.segment(), "IntCell.ofSocklen");
                assertEquals((int) s.v("value"), cell.get());
            },
            "int", s -> {
                IntCell cell = IntCell.ofInt(s.arena, (int) s.v("value"));
                s.assertSameBytes(cell.segment(), "IntCell.ofInt");
                assertEquals((int) s.v("value"), cell.get());
            },
            "eventfd_t", s -> s.assertSameBytes(Structs.allocateEventfdValue(s.arena, s.v("value")),
                    "Structs.allocateEventfdValue"));

    private static void statx(Sample s) {
        Statx statx = Statx.of(s.bytes);
        assertEquals(s.v("stx_mask"), Integer.toUnsignedLong(statx.mask()), "stx_mask");
        assertEquals(s.v("stx_mode"), statx.mode(), "stx_mode");
        assertEquals(s.v("stx_nlink"), statx.nlink(), "stx_nlink");
        assertEquals(s.v("stx_uid"), Integer.toUnsignedLong(statx.uid()), "stx_uid");
        assertEquals(s.v("stx_gid"), Integer.toUnsignedLong(statx.gid()), "stx_gid");
        assertEquals(s.v("stx_ino"), statx.ino(), "stx_ino");
        assertEquals(s.v("stx_size"), statx.size(), "stx_size");
        timestamp(s, "stx_atime", statx.atime());
        timestamp(s, "stx_btime", statx.btime());
        timestamp(s, "stx_ctime", statx.ctime());
        timestamp(s, "stx_mtime", statx.mtime());
    }

    private static void timestamp(Sample s, String member, Instant read) {
        assertEquals(s.v(member + ".tv_sec"), read.getEpochSecond(), member + ".tv_sec");
        assertEquals(s.v(member + ".tv_nsec"), read.getNano(), member + ".tv_nsec");
    }

    private static void msghdr(Sample s) {
        MemorySegment written = s.fresh();
        MsgHdr.of(written)
                .name(MemorySegment.ofAddress(s.v("msg_name")), (int) s.v("msg_namelen"))
                .iov(MemorySegment.ofAddress(s.v("msg_iov")), s.v("msg_iovlen"));
        s.assertSameBytes(written, "MsgHdr.name + MsgHdr.iov");
        assertEquals((int) s.v("msg_namelen"), MsgHdr.of(s.bytes).nameLength(), "MsgHdr.nameLength");
    }

    private static void sockaddr(Sample s, InetSocketAddress address, int expectedLength) {
        MemorySegment written = SockAddrs.allocate(s.arena);
        assertEquals(expectedLength, SockAddrs.write(written, address), "SockAddrs.write's length");
        s.assertSameBytes(written, "SockAddrs.write(" + address + ")");
        assertEquals(address, SockAddrs.read(s.bytes), "SockAddrs.read");
    }
}
