package io.veloq.uring;

import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.ring.RingOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the per-worker io_uring driver. Immutable; start from {@link #defaults()} and
 * change with the {@code with*} methods, which validate and name the setting they reject.
 *
 * <p>Defaults: 256 SQ entries, 1024 CQ entries, every kernel feature used when offered, LINK_TIMEOUT
 * for deadlines, MSG_RING for wake-ups between workers, 2 s bound on closing, the buffer pool of
 * {@link BufferPoolConfig#defaults()}, up to 65536 operations in flight per worker.
 */
public final class IoUringConfig {

    private final RingOptions ring;
    private final boolean linkTimeouts;
    private final boolean messageRingWakeups;
    private final Duration closeTimeout;
    private final BufferPoolConfig bufferPool;
    private final int maxInFlight;

    private IoUringConfig(RingOptions ring, boolean linkTimeouts, boolean messageRingWakeups,
                          Duration closeTimeout, BufferPoolConfig bufferPool, int maxInFlight) {
        this.ring = ring;
        this.linkTimeouts = linkTimeouts;
        this.messageRingWakeups = messageRingWakeups;
        this.closeTimeout = closeTimeout;
        this.bufferPool = bufferPool;
        this.maxInFlight = maxInFlight;
    }

    public static IoUringConfig defaults() {
        return new IoUringConfig(new RingOptions(256, 1024, 0, true), true, true, Duration.ofSeconds(2),
                BufferPoolConfig.defaults(), 65536);
    }

    public RingOptions ring() { return ring; }
    public boolean linkTimeouts() { return linkTimeouts; }
    public boolean messageRingWakeups() { return messageRingWakeups; }
    public Duration closeTimeout() { return closeTimeout; }
    public BufferPoolConfig bufferPool() { return bufferPool; }
    public int maxInFlight() { return maxInFlight; }

    /** Ring sizes and refused flags; see {@link RingOptions}. */
    public IoUringConfig withRing(RingOptions options) {
        return new IoUringConfig(Objects.requireNonNull(options, "ring"), linkTimeouts, messageRingWakeups,
                closeTimeout, bufferPool, maxInFlight);
    }

    /**
     * Whether operation deadlines are enforced by the kernel (a linked LINK_TIMEOUT entry, the
     * default) or by the waiting task (a timed park, then ASYNC_CANCEL).
     */
    public IoUringConfig withLinkTimeouts(boolean use) {
        return new IoUringConfig(ring, use, messageRingWakeups, closeTimeout, bufferPool, maxInFlight);
    }

    /** Whether a worker wakes another with IORING_OP_MSG_RING on its own ring (else the eventfd). */
    public IoUringConfig withMessageRingWakeups(boolean use) {
        return new IoUringConfig(ring, linkTimeouts, use, closeTimeout, bufferPool, maxInFlight);
    }

    /** How long close() waits for the cancelled operations' completions. */
    public IoUringConfig withCloseTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "closeTimeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("closeTimeout must be positive, was " + timeout);
        }
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, timeout, bufferPool, maxInFlight);
    }

    /** The registered buffer pool of each worker. */
    public IoUringConfig withBufferPool(BufferPoolConfig pool) {
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, closeTimeout,
                Objects.requireNonNull(pool, "bufferPool"), maxInFlight);
    }

    /** The most operations in flight at once on one worker (the op table's bound). */
    public IoUringConfig withMaxInFlight(int max) {
        if (max < 1 || max > (1 << 24)) {
            throw new IllegalArgumentException("maxInFlight must be in 1..16777216, was " + max);
        }
        return new IoUringConfig(ring, linkTimeouts, messageRingWakeups, closeTimeout, bufferPool, max);
    }

    @Override
    public String toString() {
        return "IoUringConfig[" + ring + ", linkTimeouts=" + linkTimeouts + ", messageRingWakeups="
                + messageRingWakeups + ", closeTimeout=" + closeTimeout + ", " + bufferPool
                + ", maxInFlight=" + maxInFlight + "]";
    }
}
