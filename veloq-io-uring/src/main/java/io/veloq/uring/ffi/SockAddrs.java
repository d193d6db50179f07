package io.veloq.uring.ffi;

import static io.veloq.uring.ffi.PosixConstants.AF_INET;
import static io.veloq.uring.ffi.PosixConstants.AF_INET6;
import static io.veloq.uring.ffi.PosixLayouts.SOCKADDR_IN;
import static io.veloq.uring.ffi.PosixLayouts.SOCKADDR_IN6;
import static io.veloq.uring.ffi.PosixLayouts.SOCKADDR_STORAGE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Converts between {@link InetSocketAddress} and {@code sockaddr_in} / {@code sockaddr_in6}.
 * Threading: stateless; the segments belong to the caller.
 */
public final class SockAddrs {

    private SockAddrs() {}

    /** sizeof(struct sockaddr_storage): room for any address the kernel returns. */
    public static final long STORAGE_SIZE = SOCKADDR_STORAGE.byteSize();

    private static final VarHandle FAMILY = IoUringLayouts.handle(SOCKADDR_STORAGE, "ss_family");
    private static final VarHandle IN_FAMILY = IoUringLayouts.handle(SOCKADDR_IN, "sin_family");
    private static final VarHandle IN_PORT = IoUringLayouts.handle(SOCKADDR_IN, "sin_port");
    private static final VarHandle IN_ADDR = IoUringLayouts.handle(SOCKADDR_IN, "sin_addr", "s_addr");
    private static final VarHandle IN6_FAMILY = IoUringLayouts.handle(SOCKADDR_IN6, "sin6_family");
    private static final VarHandle IN6_PORT = IoUringLayouts.handle(SOCKADDR_IN6, "sin6_port");
    private static final VarHandle IN6_FLOWINFO = IoUringLayouts.handle(SOCKADDR_IN6, "sin6_flowinfo");
    private static final VarHandle IN6_SCOPE = IoUringLayouts.handle(SOCKADDR_IN6, "sin6_scope_id");
    private static final long IN6_ADDR = IoUringLayouts.offset(SOCKADDR_IN6, "sin6_addr");

    /** A zeroed {@code struct sockaddr_storage} (family AF_UNSPEC), room for any address. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(SOCKADDR_STORAGE);
    }

    /**
     * Writes {@code address} into {@code target} (at least {@link #STORAGE_SIZE} bytes) and
     * returns the length to pass to the kernel.
     *
     * @throws IllegalArgumentException if the address is unresolved
     */
    public static int write(MemorySegment target, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        target.asSlice(0, STORAGE_SIZE).fill((byte) 0);
        if (ip instanceof Inet4Address) {
            IN_FAMILY.set(target, 0L, (short) AF_INET);
            IN_PORT.set(target, 0L, (short) address.getPort());
            byte[] b = ip.getAddress();
            IN_ADDR.set(target, 0L, (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
            return (int) SOCKADDR_IN.byteSize();
        }
        Inet6Address ip6 = (Inet6Address) ip;
        IN6_FAMILY.set(target, 0L, (short) AF_INET6);
        IN6_PORT.set(target, 0L, (short) address.getPort());
        IN6_FLOWINFO.set(target, 0L, 0);
        MemorySegment.copy(ip6.getAddress(), 0, target, ValueLayout.JAVA_BYTE, IN6_ADDR, 16);
        IN6_SCOPE.set(target, 0L, ip6.getScopeId());
        return (int) SOCKADDR_IN6.byteSize();
    }

    /**
     * Reads the address the kernel wrote into {@code source}.
     *
     * @throws IllegalArgumentException if the family is neither AF_INET nor AF_INET6
     */
    public static InetSocketAddress read(MemorySegment source) {
        int family = (short) FAMILY.get(source, 0L);
        try {
            if (family == AF_INET) {
                int a = (int) IN_ADDR.get(source, 0L);
                byte[] b = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
                return new InetSocketAddress(InetAddress.getByAddress(b), Short.toUnsignedInt((short) IN_PORT.get(source, 0L)));
            }
            if (family == AF_INET6) {
                byte[] b = source.asSlice(IN6_ADDR, 16).toArray(ValueLayout.JAVA_BYTE);
                int scope = (int) IN6_SCOPE.get(source, 0L);
                InetAddress ip = scope == 0 ? InetAddress.getByAddress(b) : Inet6Address.getByAddress(null, b, scope);
                return new InetSocketAddress(ip, Short.toUnsignedInt((short) IN6_PORT.get(source, 0L)));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("the JDK refused a 4 or 16 byte address", e);
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }
}
