/**
 * Veloq's direct-style I/O: the backend SPI ({@link io.veloq.io.IoBackend} and the per-object
 * {@link io.veloq.io.FileIo}, {@link io.veloq.io.TcpStreamIo}, {@link io.veloq.io.TcpListenerIo},
 * {@link io.veloq.io.UdpIo}) and its selection ({@link io.veloq.io.IoBackends}). The API lives in
 * the concept packages: {@code io.veloq.io.file}, {@code io.veloq.io.net}, {@code io.veloq.io.time};
 * the backends in {@code io.veloq.io.uring} and {@code io.veloq.io.portable}.
 *
 * <h2>Choosing a backend (each open, connect, bind and path operation)</h2>
 * <ol>
 *   <li>The caller must be a Veloq task: a virtual thread whose carrier is a worker. Anything else
 *       gets {@link java.lang.IllegalStateException} naming what it is — a blocking call elsewhere
 *       would block a thread Veloq does not schedule, or a whole worker.</li>
 *   <li>{@code -Dveloq.io.backend=portable} selects the portable backend everywhere.</li>
 *   <li>Otherwise the worker's driver decides: Veloq's io_uring driver means the io_uring
 *       backend, any other driver the portable one ({@code -Dveloq.io.backend=io_uring} turns that
 *       second case into an error). The driver itself was chosen at start: io_uring unless it is
 *       missing, disabled ({@code kernel.io_uring_disabled}), refused (EPERM from seccomp), or
 *       turned off by the runtime builder's {@code driverFactory} or {@code -Dveloq.driver=portable}.</li>
 *   <li>Each distinct choice is logged once per process at INFO ({@code io.veloq.io}), with why.</li>
 * </ol>
 * An object stays with the backend that created it; an io_uring object used from a task of a
 * worker without an io_uring driver (a runtime whose workers disagree) fails with
 * {@link java.lang.IllegalStateException}.
 *
 * <h2>What works outside a task</h2>
 * {@code close()}, {@code isOpen()}, addresses, socket options and shutdowns never wait for the
 * network or the disk, so they work from any thread (an application's main thread closing a
 * listener, a test). Every call that may wait — open, read, write, accept, connect, sync, path
 * operations, sleeps — needs a task, on both backends, so that code behaves the same on both.
 *
 * <h2>Backend differences (all documented where they show)</h2>
 * Interrupting a task blocked in a read, write, accept, receive or connect closes the object on
 * both backends (the JDK's rule); an interrupted path operation or open on io_uring throws
 * {@link java.io.InterruptedIOException} (the portable backend completes them, they are plain
 * system calls). The portable backend emulates {@code allocate} with zero writes and reads file
 * metadata by path; registered buffers exist only on io_uring.
 */
package io.veloq.io;
