package io.veloq.uring.buffer;

import java.util.Objects;

/**
 * The registered buffer pool of one worker: {@code bufferCount} buffers of {@code bufferSize}
 * bytes, registered with the ring once at start-up, and what to do when they are all leased.
 * The whole pool ({@code bufferCount * bufferSize} per worker, times the workers) must fit under
 * RLIMIT_MEMLOCK, or start-up fails naming the limit.
 *
 * @param bufferSize bytes per buffer, a power of two from 512 to 1 GiB (buffers of a page or more
 *     are page-aligned, so they suit O_DIRECT)
 * @param bufferCount buffers per worker, 0 (no registered buffers; every lease falls back or
 *     fails per the policy) to 16384
 * @param exhaustion what a lease does when every buffer is leased
 */
public record BufferPoolConfig(int bufferSize, int bufferCount, ExhaustionPolicy exhaustion) {

    /** The kernel's limits: 16384 registered buffers, 1 GiB each. */
    static final int MAX_BUFFERS = 16384;
    static final long MAX_REGISTERED_REGION = 1L << 30;

    public BufferPoolConfig {
        if (bufferSize < 512 || Integer.bitCount(bufferSize) != 1 || bufferSize > MAX_REGISTERED_REGION) {
            throw new IllegalArgumentException("bufferSize must be a power of two from 512 to 1 GiB, was " + bufferSize);
        }
        if (bufferCount < 0 || bufferCount > MAX_BUFFERS) {
            throw new IllegalArgumentException("bufferCount must be in 0.." + MAX_BUFFERS + ", was " + bufferCount);
        }
        Objects.requireNonNull(exhaustion, "exhaustion");
    }

    /** 64 buffers of 8 KiB (512 KiB per worker), falling back to unregistered memory when exhausted. */
    public static BufferPoolConfig defaults() {
        return new BufferPoolConfig(8192, 64, ExhaustionPolicy.FALLBACK);
    }

    /** Bytes registered per worker. */
    public long totalBytes() {
        return (long) bufferSize * bufferCount;
    }
}
