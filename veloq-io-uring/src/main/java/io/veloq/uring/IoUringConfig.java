package io.veloq.uring;

import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.buffer.ProvidedBuffers;
import io.veloq.uring.ring.RingOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the per-worker io_uring driver. Immutable; start from {@link #defaults()} and
 * change with the {@code with*} methods, which validate and name the setting they reject.
 *
 * <p>Defaults: 256 SQ entries, 1024 CQ entries, every kernel feature used when offered, LINK_TIMEOUT
 * for deadlines, MSG_RING for wake-ups between workers, 2 s bound on closing, the buffer pool of
 * {@link BufferPoolConfig#defaults()}, up to 65536 operations in flight per worker, TCP receives
 * through a provided-buffer ring of 256 buffers of 4 KiB per worker in {@link ReceiveMode#ADAPTIVE}
 * mode, a registered-file table of 4096 entries per worker, sends batched with the
 * worker's round (not eager).
 */
public final class IoUringConfig {

    private final RingOptions ring;
    private final boolean linkTimeouts;
    private final boolean messageRingWakeups;
    private final Duration closeTimeout;
    private final BufferPoolConfig bufferPool;
    private final int maxInFlight;
    private final int receiveBufferCount;
    private final int receiveBufferSize;
    private final ReceiveMode receiveMode;
    private final boolean eagerSends;
    private final int registeredFiles;

    private IoUringConfig(RingOptions ring, boolean linkTimeouts, boolean messageRingWakeups,
                          Duration closeTimeout, BufferPoolConfig bufferPool, int maxInFlight,
                          int receiveBufferCount, int receiveBufferSize, ReceiveMode receiveMode, boolean eagerSends,
                          int registeredFiles) {
        this.ring = ring;
        this.linkTimeouts = linkTimeouts;
        this.messageRingWakeups = messageRingWakeups;
        this.closeTimeout = closeTimeout;
        this.bufferPool = bufferPool;
        this.maxInFlight = maxInFlight;
        this.receiveBufferCount = receiveBufferCount;
        this.receiveBufferSize = receiveBufferSize;
        this.receiveMode = receiveMode;
        this.eagerSends = eagerSends;
        this.registeredFiles = registeredFiles;
    }

    public static IoUringConfig defaults() {
        return new IoUringConfig(new RingOptions(256, 1024, 0, true), true, true, Duration.ofSeconds(2),
                BufferPoolConfig.defaults(), 65536, 256, 4096, ReceiveMode.ADAPTIVE, false, 4096);
    }

    public RingOptions ring() { return ring; }
    public boolean linkTimeouts() { return linkTimeouts; }
    public boolean messageRingWakeups() { return messageRingWakeups; }
    public Duration closeTimeout() { return closeTimeout; }
    public BufferPoolConfig bufferPool() { return bufferPool; }
    public int maxInFlight() { return maxInFlight; }
    public int receiveBufferCount() { return receiveBufferCount; }
    public int receiveBufferSize() { return receiveBufferSize; }
    public ReceiveMode receiveMode() { return receiveMode; }
    public boolean eagerSends() { return eagerSends; }
    public int registeredFiles() { return registeredFiles; }

    /** Ring sizes and refused flags; see {@link RingOptions}. */
    public IoUringConfig withRing(RingOptions options) {
        return new IoUringConfig(Objects.requireNonNull(options, "ring"), linkTimeouts, messageRingWakeups,
                closeTimeout, bufferPool, maxInFlight,
                receiveBufferCount, receiveBufferSize, receiveMode, eagerSends, registeredFiles);
    }

    /**
     * Whether operation deadlines are enforced by the kernel (a linked LINK_TIMEOUT entry, the
     * default) or by the waiting task (a timed park, then ASYNC_CANCEL).
     */
    public IoUringConfig withLinkTimeouts(boolean use) {
        return new IoUringConfig(ring, use, messageRingWakeups, closeTimeout, bufferPool, maxInFlight,
                receiveBufferCount, receiveBufferSize, receiveMode, eagerSends, registeredFiles);
    }

    /** Whether a worker wakes another with IORING_OP_MSG_RING on its own ring (else the eventfd). */
    public IoUringConfig withMessageRingWakeups(boolean use) {
        return new IoUringConfig(ring, linkTimeouts, use, closeTimeout, bufferPool, maxInFlight,
                receiveBufferCount, receiveBufferSize, receiveMode, eagerSends, registeredFiles);
    }

    /** How long close() waits for the cancelled operations' completions. */
    public IoUringConfig withCloseTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "closeTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("closeTimeout must be positive, was " + timeout);
        }
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, timeout, bufferPool, maxInFlight,
                receiveBufferCount, receiveBufferSize, receiveMode, eagerSends, registeredFiles);
    }

    /** The registered buffer pool of each worker. */
    public IoUringConfig withBufferPool(BufferPoolConfig pool) {
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, closeTimeout,
                Objects.requireNonNull(pool, "bufferPool"), maxInFlight,
                receiveBufferCount, receiveBufferSize, receiveMode, eagerSends, registeredFiles);
    }

    /** The most operations in flight at once on one worker (the op table's bound). */
    public IoUringConfig withMaxInFlight(int max) {
        if (max < 1 || max > (1 << 24)) {
            throw new IllegalArgumentException("maxInFlight must be in 1..16777216, was " + max);
        }
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, closeTimeout, bufferPool, max,
                receiveBufferCount, receiveBufferSize, receiveMode, eagerSends, registeredFiles);
    }

    /**
     * The provided-buffer ring each worker's TCP receives use: a multishot RECV per stream stays
     * armed (from its first read, or its first read that fills the reader's buffer: see
     * {@link #withReceiveMode}), and each arrival lands in one of {@code count} buffers of {@code size} bytes, is copied
     * to the stream, and the buffer goes straight back to the kernel. {@code count} 0 turns it off
     * (a RECV per read, as on kernels before 6.0, where it is off anyway).
     *
     * @param count 0, or a power of two up to 32768
     * @param size bytes per buffer, 64 to 1 MiB
     */
    public IoUringConfig withReceiveBuffers(int count, int size) {
        if (count != 0 && (count < 0 || count > ProvidedBuffers.MAX_BUFFERS || Integer.bitCount(count) != 1)) {
            throw new IllegalArgumentException("receive buffer count must be 0 or a power of two up to "
                    + ProvidedBuffers.MAX_BUFFERS + ", was " + count);
        }
        if (size < 64 || size > (1 << 20)) {
            throw new IllegalArgumentException("receive buffer size must be in 64..1048576, was " + size);
        }
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, closeTimeout, bufferPool, maxInFlight,
                count, size, receiveMode, eagerSends, registeredFiles);
    }

    /**
     * When a TCP stream's reads switch to the armed multishot RECV, where the provided buffers of
     * {@link #withReceiveBuffers} exist; see {@link ReceiveMode}.
     */
    public IoUringConfig withReceiveMode(ReceiveMode mode) {
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, closeTimeout, bufferPool, maxInFlight,
                receiveBufferCount, receiveBufferSize, Objects.requireNonNull(mode, "receive mode"), eagerSends,
                registeredFiles);
    }

    /**
     * Whether a send (TCP, UDP) enters the kernel at once from its task instead of parking until
     * the worker's round submits it with everything else queued. An eager send into a socket with
     * room completes inside that enter and the task goes on without parking; the cost is one
     * {@code io_uring_enter} per send, and peers get their data one message at a time. Off by
     * default: with multishot receives, batching is the cheaper pattern per message (bench/README.md).
     */
    public IoUringConfig withEagerSends(boolean eager) {
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, closeTimeout, bufferPool, maxInFlight,
                receiveBufferCount, receiveBufferSize, receiveMode, eager, registeredFiles);
    }

    /**
     * Entries of each worker's registered-file table. A file, socket or listener is registered on
     * the worker of its first operation and, there, named by index (IOSQE_FIXED_FILE), which spares
     * the kernel a descriptor lookup and a reference count per operation; on other workers, and once
     * the table is full, by number. 0 turns it off; the kernel refuses a table larger than
     * RLIMIT_NOFILE, and the worker then goes without (its log line says so).
     *
     * @param slots 0 to 1048576
     */
    public IoUringConfig withRegisteredFiles(int slots) {
        if (slots < 0 || slots > (1 << 20)) {
            throw new IllegalArgumentException("registered files must be in 0..1048576, was " + slots);
        }
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, closeTimeout, bufferPool, maxInFlight,
                receiveBufferCount, receiveBufferSize, receiveMode, eagerSends, slots);
    }

    @Override
    public String toString() {
        return "IoUringConfig[" + ring + ", linkTimeouts=" + linkTimeouts + ", messageRingWakeups="
                + messageRingWakeups + ", closeTimeout=" + closeTimeout + ", " + bufferPool
                + ", maxInFlight=" + maxInFlight + ", receiveBuffers=" + receiveBufferCount + " x " + receiveBufferSize
                + ", receiveMode=" + receiveMode + ", eagerSends=" + eagerSends + ", registeredFiles=" + registeredFiles + "]";
    }
}
