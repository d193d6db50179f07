package io.veloq.uring;

/**
 * When a TCP stream's reads go through a multishot RECV that stays armed ({@code ReceiveInbox}),
 * on a driver with provided receive buffers ({@link IoUringConfig#withReceiveBuffers}; without
 * them every read is one RECV).
 *
 * <p>The two paths cost differently. A RECV per read lands the bytes in the reader's own buffer
 * and touches nothing else, but every read parks the task until the worker's round, even when
 * the bytes are already in the socket. The armed RECV copies each arrival into the stream's
 * inbox as the worker reaps it, and a read that finds bytes there returns without parking — at
 * the price of a provided buffer and a second copy per arrival. A request-response exchange whose
 * reads each take a whole message pays the second price for nothing; a reader taking a long
 * stream in small pieces saves a park per piece (bench/README.md, {@code tcp_echo_64k_read1k}).
 */
public enum ReceiveMode {

    /**
     * A RECV per read until a read fills the reader's buffer — a sign that more was waiting, as
     * when a stream is read in pieces smaller than what arrives — and the armed RECV for the rest
     * of the stream's life from then on. The default.
     */
    ADAPTIVE,

    /** The armed RECV from the stream's first read. */
    ARMED
}
