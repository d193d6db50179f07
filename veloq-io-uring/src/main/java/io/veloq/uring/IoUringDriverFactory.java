package io.veloq.uring;

import io.veloq.core.driver.Driver;
import io.veloq.core.driver.DriverFactory;
import io.veloq.uring.buffer.RegisteredBufferPool;
import java.util.Objects;

/**
 * Creates one {@link IoUringDriver} per worker, on the worker's thread. Registered for
 * {@link java.util.ServiceLoader} (META-INF/services/io.veloq.core.driver.DriverFactory) with the
 * default configuration; pass an explicit instance to the runtime builder to configure it.
 *
 * <p>{@link #create(int)} fails (with the reason) when io_uring is unavailable; a runtime that
 * wants to fall back to its portable driver checks {@link IoUring#isAvailable()} first, or uses
 * {@link #isAvailable()}. Threading: immutable, thread-safe.
 */
public final class IoUringDriverFactory implements DriverFactory {

    private final IoUringConfig config;

    /** The ServiceLoader constructor: {@link IoUringConfig#defaults()}. */
    public IoUringDriverFactory() {
        this(IoUringConfig.defaults());
    }

    public IoUringDriverFactory(IoUringConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public IoUringConfig config() {
        return config;
    }

    /** Whether drivers can be created in this process ({@link IoUring#isAvailable()}). */
    public boolean isAvailable() {
        return IoUring.isAvailable();
    }

    /**
     * Checks that io_uring is available and that every worker's registered buffer pool fits under
     * RLIMIT_MEMLOCK together, so a runtime gets io_uring on all its workers or on none.
     *
     * @throws java.io.IOException saying why io_uring is unavailable, or naming the memlock limit,
     *     the numbers and how to raise the limit
     */
    @Override
    public void prepare(int workerCount) throws Exception {
        requireAvailable();
        RegisteredBufferPool.checkFits(config.bufferPool(), workerCount);
    }

    /**
     * @throws java.io.IOException if io_uring is unavailable (the message says why) or the ring or
     *     buffer pool cannot be set up
     */
    @Override
    public Driver create(int workerIndex) throws Exception {
        requireAvailable();
        return IoUringDriver.open(workerIndex, config);
    }

    private static void requireAvailable() throws java.io.IOException {
        if (!IoUring.isAvailable()) {
            throw new java.io.IOException("io_uring is unavailable: " + IoUring.unavailabilityReason().orElse("?"));
        }
    }

    @Override
    public String toString() {
        return "IoUringDriverFactory[" + config + "]";
    }
}
