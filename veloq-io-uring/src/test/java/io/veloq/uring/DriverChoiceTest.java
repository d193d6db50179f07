package io.veloq.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.core.RuntimeContext;
import io.veloq.core.driver.Drivers;
import io.veloq.core.driver.PortableDriver;
import io.veloq.join.JoinHandle;
import io.veloq.uring.buffer.BufferPoolConfig;
import io.veloq.uring.buffer.ExhaustionPolicy;
import io.veloq.uring.buffer.MemlockLimited;
import io.veloq.uring.buffer.RegisteredBufferPool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The io_uring factory accepts or refuses a whole runtime up front (RLIMIT_MEMLOCK counted for every
 * worker's pool), so the automatic choice never mixes io_uring and portable workers over it. The
 * scenarios meet the process's real limit, so they run where it applies ({@link MemlockLimited}: a
 * child JVM without CAP_IPC_LOCK when this one runs as root).
 */
@Timeout(90)
class DriverChoiceTest {

    private static final BufferPoolConfig DEFAULT_POOL = IoUringConfig.defaults().bufferPool();

    /** More workers than {@code limit} has room for with the default pool. */
    private static int workersOverThe(long limit) {
        return (int) (limit / DEFAULT_POOL.totalBytes()) + 1;
    }

    @Test
    void prepareCountsEveryWorkersPoolAgainstTheMemlockLimit() throws Exception {
        TestSupport.assumeIoUring();
        MemlockLimited.run(PrepareCountsEveryWorker.class);
        assertThrows(IllegalArgumentException.class, () -> RegisteredBufferPool.checkFits(DEFAULT_POOL, 0));
    }

    private static final class PrepareCountsEveryWorker implements MemlockLimited.Scenario {
        @Override
        public void run(long limit) throws Exception {
            IoUringDriverFactory factory = new IoUringDriverFactory();
            factory.prepare(1);
            int tooMany = workersOverThe(limit);
            IOException e = assertThrows(IOException.class, () -> factory.prepare(tooMany));
            assertTrue(e.getMessage().contains("RLIMIT_MEMLOCK") && e.getMessage().contains("ulimit -l")
                    && e.getMessage().contains(tooMany + " workers"), e.getMessage());
            // no pool, nothing locked: fits any number of workers
            RegisteredBufferPool.checkFits(new BufferPoolConfig(4096, 0, ExhaustionPolicy.FALLBACK), tooMany);
        }
    }

    @Test
    void theAutomaticChoiceGivesEveryWorkerTheSameDriver() throws Exception {
        TestSupport.assumeIoUring();
        MemlockLimited.run(AutomaticChoice.class);
    }

    private static final class AutomaticChoice implements MemlockLimited.Scenario {
        @Override
        public void run(long limit) throws Exception {
            int tooMany = workersOverThe(limit);
            assertTrue(Drivers.defaultFactory(tooMany).create(0) instanceof PortableDriver,
                    "a runtime whose pools do not fit gets the portable driver on every worker");

            try (Runtime runtime = Runtime.builder().workers(tooMany).pinning(false).threadNamePrefix("choice-")
                    .build()) {
                List<JoinHandle<String>> drivers = new ArrayList<>();
                for (int w = 0; w < tooMany; w++) {
                    drivers.add(runtime.spawnOn(w, () -> RuntimeContext.current().driver().getClass().getSimpleName()));
                }
                for (JoinHandle<String> driver : drivers) {
                    assertEquals("PortableDriver", driver.join());
                }
            }
            try (Runtime runtime = Runtime.builder().workers(2).pinning(false).build()) {
                assertEquals("IoUringDriver", runtime.spawnOn(1,
                        () -> RuntimeContext.current().driver().getClass().getSimpleName()).join(),
                        "a runtime that fits gets io_uring");
            }
        }
    }
}
