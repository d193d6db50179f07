package io.veloq.io;

import io.veloq.io.file.FileMetadata;
import io.veloq.io.file.FileOption;
import io.veloq.io.net.ListenOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;

/**
 * The service provider interface behind Veloq's direct-style I/O API: what a backend must offer
 * so that {@link io.veloq.io.file.VeloqFile}, {@link io.veloq.io.net.TcpStream} and friends work on
 * it. Two implementations exist: the io_uring backend ({@code io.veloq.io.uring}) and the portable
 * backend over the JDK ({@code io.veloq.io.portable}); {@link IoBackends} picks one per worker.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Every method blocks the calling <em>task</em> (a virtual thread of a Veloq worker), never the
 *       worker. The public API has already validated the arguments (non-null, ranges, open modes)
 *       and checked that the caller is a task.</li>
 *   <li>Failures are the JDK's own exception types, carrying the path or address in the message:
 *       {@code NoSuchFileException}, {@code AccessDeniedException}, {@code FileAlreadyExistsException},
 *       {@code ConnectException}, {@code BindException}, {@code SocketTimeoutException},
 *       {@code ClosedChannelException}, {@code SocketException("Connection reset")}.</li>
 *   <li>The objects returned ({@link FileIo}, {@link TcpStreamIo}, ...) may be used by any task of
 *       the runtime, several at once; see {@link FileIo} for the shared object contract.</li>
 * </ul>
 */
public interface IoBackend {

    /** A short name: {@code "io_uring"} or {@code "portable"}. */
    String name();

    /** Opens (or creates) a file; {@code options} is already normalised (see {@link FileOption}). */
    FileIo openFile(Path path, Set<FileOption> options) throws IOException;

    /** The metadata of {@code path}; of the link itself when {@code followLinks} is false. */
    FileMetadata metadata(Path path, boolean followLinks) throws IOException;

    /** Creates one directory (its parent must exist); mode 0777 minus the umask. */
    void createDirectory(Path directory) throws IOException;

    /** Deletes a file, a symbolic link or an empty directory. */
    void delete(Path path) throws IOException;

    /** Renames {@code source} to {@code target} atomically, replacing a file {@code target} (rename(2)). */
    void rename(Path source, Path target) throws IOException;

    /** Binds a TCP listener on a resolved local address. */
    TcpListenerIo bindTcp(InetSocketAddress local, ListenOptions options) throws IOException;

    /**
     * Connects to a resolved remote address.
     *
     * @param timeoutNanos the most the connection may take, {@link Long#MAX_VALUE} for no bound;
     *     on expiry: {@link java.net.SocketTimeoutException} naming the address
     */
    TcpStreamIo connectTcp(InetSocketAddress remote, long timeoutNanos) throws IOException;

    /** Opens a UDP socket bound to a resolved local address (port 0: any). */
    UdpIo bindUdp(InetSocketAddress local) throws IOException;
}
