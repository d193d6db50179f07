/**
 * TCP and UDP in direct style: {@link io.veloq.io.net.TcpListener}, {@link
 * io.veloq.io.net.TcpStream}, {@link io.veloq.io.net.UdpSocket}; IPv4 and IPv6.
 *
 * <h2>Close protocol (both backends)</h2>
 * <ol>
 *   <li>{@code close()} marks the socket closed: operations that start afterwards throw {@link
 *       java.nio.channels.ClosedChannelException}.</li>
 *   <li>Operations in flight (a pending accept, read or receive of another task, possibly on
 *       another worker) are cancelled and end with {@link
 *       java.nio.channels.AsynchronousCloseException}. On io_uring the closer asks every worker to
 *       cancel the descriptor's requests on its own ring (ASYNC_CANCEL by fd).</li>
 *   <li>The descriptor is released by whoever leaves last — the closer if nothing was in flight,
 *       otherwise the last operation to end — so its number is never reused while a request
 *       still names it.</li>
 * </ol>
 * Releasing in step 1 instead would let a new socket reuse the number and receive the cancel meant
 * for the old one; skipping step 2 would leave a task parked forever in accept.
 *
 * <h2>Interrupts</h2>
 * Interrupting a task blocked in an operation cancels that operation and closes the socket, and
 * the task gets {@link java.nio.channels.ClosedByInterruptException} with its interrupt status set
 * — what the JDK's interruptible channels do, kept on io_uring so both backends agree. For a
 * bounded wait without closing, bound the whole exchange with {@link io.veloq.io.time.Time#timeout}
 * and treat the socket as spent on expiry, or use connect's own timeout.
 */
package io.veloq.io.net;
