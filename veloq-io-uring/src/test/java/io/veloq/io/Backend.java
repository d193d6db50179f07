package io.veloq.io;

import io.veloq.core.Runtime;
import io.veloq.core.driver.PortableDriver;
import io.veloq.uring.IoUring;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.IoUringDriverFactory;
import io.veloq.uring.buffer.RegisteredBufferPool;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/** The two backends the contract suites run against, and how to build a runtime for each. */
enum Backend {

    /** Workers with the portable driver: the I/O API picks the portable backend (JDK channels). */
    PORTABLE("portable") {
        @Override
        Runtime newRuntime(int workers, Thread.UncaughtExceptionHandler reports) {
            return builder(workers, reports).driverFactory(PortableDriver.factory()).build();
        }
    },

    /** Workers with Veloq's io_uring driver: the I/O API picks the io_uring backend. */
    IO_URING("io_uring") {
        @Override
        void assume() {
            Assumptions.assumeTrue(IoUring.isAvailable(),
                    () -> "io_uring unavailable here: " + IoUring.unavailabilityReason().orElse("?"));
        }

        @Override
        Runtime newRuntime(int workers, Thread.UncaughtExceptionHandler reports) {
            return builder(workers, reports).driverFactory(new IoUringDriverFactory()).build();
        }

        /** Every registered buffer is back in its worker's pool (staging buffers included). */
        @Override
        void assertQuiescent(Runtime runtime) {
            for (int w = 0; w < runtime.workerCount(); w++) {
                RegisteredBufferPool pool = runtime.spawnOn(w, () -> IoUringDriver.current().bufferPool()).join();
                int worker = w;
                int leased = runtime.spawnOn(w, pool::leased).join();
                org.junit.jupiter.api.Assertions.assertEquals(0, leased,
                        () -> leased + " registered buffer(s) of worker " + worker + " were not given back");
            }
        }
    };

    private static final AtomicInteger RUNTIMES = new AtomicInteger();

    /** What {@link IoBackend#name()} answers on this backend's workers. */
    final String backendName;

    Backend(String backendName) {
        this.backendName = backendName;
    }

    /** Skips the calling test, with the reason, when this backend cannot run here. */
    void assume() {
    }

    /** A runtime of {@code workers} unpinned workers whose uncaught failures go to {@code reports}. */
    abstract Runtime newRuntime(int workers, Thread.UncaughtExceptionHandler reports);

    /** After a test, before shutdown: what this backend lends out has come back. */
    void assertQuiescent(Runtime runtime) {
    }

    private static io.veloq.core.RuntimeBuilder builder(int workers, Thread.UncaughtExceptionHandler reports) {
        // Unpinned: the test machine's cores are shared with other processes.
        return Runtime.builder().workers(workers).pinning(false).uncaughtExceptionHandler(reports)
                .threadNamePrefix("vq-io-" + RUNTIMES.incrementAndGet() + "-");
    }
}
