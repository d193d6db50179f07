package io.veloq.io;

import io.veloq.core.Runtime;
import io.veloq.core.driver.PortableDriver;
import io.veloq.uring.IoUring;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.IoUringDriverFactory;
import io.veloq.uring.ReceiveMode;
import io.veloq.uring.buffer.RegisteredBufferPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The backends the contract suites run against, and how to build a runtime for each. The io_uring
 * backend appears five times: with its defaults (TCP reads by a RECV each until one fills its
 * buffer, then through a multishot RECV into a provided-buffer ring, where the kernel has it), with
 * that RECV armed from the first read, with the provided buffers turned off (a RECV per read, the
 * path of kernels before 6.0), with a ring of two tiny buffers (every burst runs it dry, so the
 * RECV ends with -ENOBUFS and is armed again all the time), and with eager sends.
 */
enum Backend {

    /** Workers with the portable driver: the I/O API picks the portable backend (JDK channels). */
    PORTABLE("portable", null),

    /**
     * Workers with Veloq's io_uring driver, default configuration: the I/O API picks the io_uring
     * backend; TCP reads by a RECV each until one fills its buffer, then through the armed RECV.
     */
    IO_URING("io_uring", IoUringConfig.defaults()),

    /** io_uring with the multishot RECV armed by a stream's first read (ReceiveMode.ARMED). */
    IO_URING_ARMED_RECEIVE("io_uring", IoUringConfig.defaults().withReceiveMode(ReceiveMode.ARMED)),

    /** io_uring with the provided-buffer ring off: every TCP read is one RECV (the pre-6.0 path). */
    IO_URING_RECV_PER_READ("io_uring", IoUringConfig.defaults().withReceiveBuffers(0, 4096)),

    /** io_uring with two 64-byte provided buffers per worker: multishot RECVs end with -ENOBUFS constantly. */
    IO_URING_FEW_RECEIVE_BUFFERS("io_uring",
            IoUringConfig.defaults().withReceiveMode(ReceiveMode.ARMED).withReceiveBuffers(2, 64)),

    /** io_uring with eager sends: a send enters the kernel from its task instead of parking for the round. */
    IO_URING_EAGER_SENDS("io_uring", IoUringConfig.defaults().withEagerSends(true));

    private static final AtomicInteger RUNTIMES = new AtomicInteger();

    /** What {@link IoBackend#name()} answers on this backend's workers. */
    final String backendName;
    /** The io_uring driver's configuration; null for the portable driver. */
    private final IoUringConfig uring;

    Backend(String backendName, IoUringConfig uring) {
        this.backendName = backendName;
        this.uring = uring;
    }

    /** Skips the calling test, with the reason, when this backend cannot run here. */
    void assume() {
        if (uring != null) {
            assumeIoUring();
        }
    }

    /** A runtime of {@code workers} unpinned workers whose uncaught failures go to {@code reports}. */
    Runtime newRuntime(int workers, Thread.UncaughtExceptionHandler reports) {
        return builder(workers, reports)
                .driverFactory(uring == null ? PortableDriver.factory() : new IoUringDriverFactory(uring))
                .build();
    }

    /** After a test, before shutdown: what this backend lends out has come back. */
    void assertQuiescent(Runtime runtime) {
        if (uring != null) {
            assertRegisteredBuffersBack(runtime);
            assertRegisteredFilesEmptied(runtime);
        }
    }

    private static void assumeIoUring() {
        Assumptions.assumeTrue(IoUring.isAvailable(),
                () -> "io_uring unavailable here: " + IoUring.unavailabilityReason().orElse("?"));
    }

    /** Every registered buffer is back in its worker's pool (staging buffers included). */
    private static void assertRegisteredBuffersBack(Runtime runtime) {
        for (int w = 0; w < runtime.workerCount(); w++) {
            RegisteredBufferPool pool = runtime.spawnOn(w, () -> IoUringDriver.current().bufferPool()).join();
            int worker = w;
            int leased = runtime.spawnOn(w, pool::leased).join();
            Assertions.assertEquals(0, leased,
                    () -> leased + " registered buffer(s) of worker " + worker + " were not given back");
        }
    }

    /**
     * Every registered-file entry was emptied: each holds its file open, so one left behind is a
     * socket or file leaked where /proc/self/fd cannot see it. A descriptor released away from its
     * worker is unregistered by a task sent there, so this waits for those (bounded).
     */
    private static void assertRegisteredFilesEmptied(Runtime runtime) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        for (int w = 0; w < runtime.workerCount(); w++) {
            int worker = w;
            int inUse;
            while ((inUse = runtime.spawnOn(w, () -> IoUringDriver.current().stats().registeredFiles()).join()) != 0) {
                if (System.nanoTime() - deadline > 0) {
                    int left = inUse;
                    Assertions.fail(() -> left + " registered-file entr(ies) of worker " + worker + " never emptied");
                }
                Thread.onSpinWait();
            }
        }
    }

    private static io.veloq.core.RuntimeBuilder builder(int workers, Thread.UncaughtExceptionHandler reports) {
        // Unpinned: the test machine's cores are shared with other processes.
        return Runtime.builder().workers(workers).pinning(false).uncaughtExceptionHandler(reports)
                .threadNamePrefix("vq-io-" + RUNTIMES.incrementAndGet() + "-");
    }
}
