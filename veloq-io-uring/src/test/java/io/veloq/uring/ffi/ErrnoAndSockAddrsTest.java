package io.veloq.uring.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one errno mapper, and socket address conversion. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrnoAndSockAddrsTest {

    @Test
    void errnosMapToTheJdksExceptionsWithTheContextInTheMessage() {
        NoSuchFileException missing = assertInstanceOf(NoSuchFileException.class,
                Errno.fromResult(-Errno.ENOENT, "/tmp/x"));
        assertEquals("/tmp/x", missing.getFile());
        assertTrue(missing.getMessage().contains("ENOENT"), missing.getMessage());
        assertInstanceOf(AccessDeniedException.class, Errno.exception(Errno.EACCES, "/root/y"));
        assertInstanceOf(AccessDeniedException.class, Errno.exception(Errno.EPERM, "/root/y"));
        assertInstanceOf(FileAlreadyExistsException.class, Errno.exception(Errno.EEXIST, "/tmp"));
        assertInstanceOf(NotDirectoryException.class, Errno.exception(Errno.ENOTDIR, "/etc/passwd/x"));
        assertInstanceOf(DirectoryNotEmptyException.class, Errno.exception(Errno.ENOTEMPTY, "/tmp"));
        assertInstanceOf(FileSystemException.class, Errno.exception(Errno.EISDIR, "/tmp"));
        assertInstanceOf(ClosedChannelException.class, Errno.exception(Errno.EBADF, null));
        ConnectException refused = assertInstanceOf(ConnectException.class,
                Errno.exception(Errno.ECONNREFUSED, "127.0.0.1:1"));
        assertEquals("Connection refused (ECONNREFUSED): 127.0.0.1:1", refused.getMessage());
        assertInstanceOf(NoRouteToHostException.class, Errno.exception(Errno.EHOSTUNREACH, null));
        assertInstanceOf(BindException.class, Errno.exception(Errno.EADDRINUSE, "0.0.0.0:80"));
        SocketException reset = assertInstanceOf(SocketException.class, Errno.exception(Errno.ECONNRESET, null));
        assertTrue(reset.getMessage().startsWith("Connection reset"), reset.getMessage());
        IOException other = Errno.exception(Errno.EINVAL, "readAt");
        assertEquals(IOException.class, other.getClass());
        assertEquals("Invalid argument (EINVAL): readAt", other.getMessage());
        assertEquals("errno 250", Errno.name(250));
        assertTrue(Errno.exception(250, null).getMessage().contains("errno 250"));
        assertThrows(IllegalArgumentException.class, () -> Errno.fromResult(3, null));
    }

    @Test
    void socketAddressesRoundTrip() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment storage = arena.allocate(SockAddrs.STORAGE_SIZE, 8);
            InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.168.1.20"), 8080);
            assertEquals(16, SockAddrs.write(storage, v4));
            assertEquals(v4, SockAddrs.read(storage));
            assertEquals((byte) 0x1f, storage.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 2), "port in network order");
            assertEquals((byte) 0x90, storage.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 3));

            InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 443);
            assertEquals(28, SockAddrs.write(storage, v6));
            assertEquals(v6, SockAddrs.read(storage));

            Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 2);
            SockAddrs.write(storage, new InetSocketAddress(scoped, 1));
            assertEquals(2, ((Inet6Address) SockAddrs.read(storage).getAddress()).getScopeId());

            assertThrows(IllegalArgumentException.class,
                    () -> SockAddrs.write(storage, InetSocketAddress.createUnresolved("example.org", 80)));
        }
    }
}
