package io.veloq.io.portable;

import io.veloq.io.FileIo;
import io.veloq.io.IoBackend;
import io.veloq.io.TcpListenerIo;
import io.veloq.io.TcpStreamIo;
import io.veloq.io.UdpIo;
import io.veloq.io.file.FileMetadata;
import io.veloq.io.file.FileOption;
import io.veloq.io.net.ListenOptions;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The portable backend: the JDK's blocking channels, called on the task's virtual thread. Socket
 * waits park the task through the JDK's poller (which resumes it through its worker); file calls
 * are short system calls made on the worker's thread.
 *
 * <p>The JDK gives most of the shared-object contract of {@link FileIo} for free (close from any
 * thread, {@code AsynchronousCloseException}, close on interrupt); this package adds the address
 * to exception messages and maps Veloq's options. Threading: stateless singleton.
 */
public final class PortableBackend implements IoBackend {

    private static final PortableBackend INSTANCE = new PortableBackend();

    private PortableBackend() {}

    public static IoBackend instance() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "portable";
    }

    @Override
    public FileIo openFile(Path path, Set<FileOption> options) throws IOException {
        Set<OpenOption> jdk = new HashSet<>();
        for (FileOption option : options) {
            jdk.add(switch (option) {
                case READ -> StandardOpenOption.READ;
                case WRITE -> StandardOpenOption.WRITE;
                case CREATE -> StandardOpenOption.CREATE;
                case CREATE_NEW -> StandardOpenOption.CREATE_NEW;
                case TRUNCATE -> StandardOpenOption.TRUNCATE_EXISTING;
                case APPEND -> StandardOpenOption.APPEND;
                case DSYNC -> StandardOpenOption.DSYNC;
                case DIRECT -> direct();
            });
        }
        return new PortableFile(path, FileChannel.open(path, jdk));
    }

    @Override
    public FileMetadata metadata(Path path, boolean followLinks) throws IOException {
        return PortableMetadata.read(path, followLinks);
    }

    @Override
    public void createDirectory(Path directory) throws IOException {
        Files.createDirectory(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.delete(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE); // rename(2): replaces a file target
    }

    @Override
    public TcpListenerIo bindTcp(InetSocketAddress local, ListenOptions options) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (options.reusePort()) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(local, options.backlog());
            return new PortableTcpListener(channel);
        } catch (BindException e) {
            channel.close();
            throw Faults.withAddress(e, local);
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public TcpStreamIo connectTcp(InetSocketAddress remote, long timeoutNanos) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            if (timeoutNanos == Long.MAX_VALUE) {
                channel.connect(remote);
            } else {
                // The socket adaptor's timed connect parks the task with a deadline; the channel stays blocking.
                long millis = Math.max(1, Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000));
                channel.socket().connect(remote, (int) millis);
            }
            return new PortableTcpStream(channel);
        } catch (IOException e) {
            channel.close();
            throw Faults.connectFailure(e, remote, timeoutNanos);
        } catch (RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public UdpIo bindUdp(InetSocketAddress local) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.bind(local);
            return new PortableUdp(channel);
        } catch (BindException e) {
            channel.close();
            throw Faults.withAddress(e, local);
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The JDK's O_DIRECT option, {@code com.sun.nio.file.ExtendedOpenOption.DIRECT} (module
     * jdk.unsupported), looked up by name so that compiling against it does not depend on an
     * internal API.
     */
    private static OpenOption direct() {
        OpenOption option = DirectOption.VALUE;
        if (option == null) {
            throw new UnsupportedOperationException("FileOption.DIRECT needs com.sun.nio.file.ExtendedOpenOption"
                    + " (module jdk.unsupported), which this JDK does not provide");
        }
        return option;
    }

    private static final class DirectOption {
        static final OpenOption VALUE = find();

        private static OpenOption find() {
            try {
                Class<?> type = Class.forName("com.sun.nio.file.ExtendedOpenOption");
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals("DIRECT")) {
                        return (OpenOption) constant;
                    }
                }
                return null;
            } catch (ClassNotFoundException e) {
                return null;
            }
        }
    }

    static LinkOption[] linkOptions(boolean followLinks) {
        return followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    }
}
