/**
 * The portable I/O backend: Veloq's API over the JDK's blocking {@code FileChannel}, {@code
 * SocketChannel}, {@code ServerSocketChannel} and {@code DatagramChannel}, called on the task's
 * virtual thread. Chosen by {@link io.veloq.io.IoBackends} when a worker has no io_uring driver.
 *
 * <p>How a wait works: a socket call that would block parks the task's virtual thread on the JDK's
 * poller; when the socket is ready the poller unparks it, which hands the continuation to the
 * task's own worker (through its injector). File calls are plain system calls on the worker's
 * thread: short for the page cache, but a slow disk read holds the worker for its duration — one
 * reason the io_uring backend exists.
 *
 * <p>Differences from the io_uring backend, all documented on the API: {@code allocate} writes
 * zeros past the end (no fallocate in the JDK); {@code VeloqFile.metadata()} reads the path, not
 * the open descriptor; registered buffers cannot be leased (there is no ring).
 */
package io.veloq.io.portable;
