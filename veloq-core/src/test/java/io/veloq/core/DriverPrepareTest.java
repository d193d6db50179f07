package io.veloq.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.driver.Driver;
import io.veloq.core.driver.DriverFactory;
import io.veloq.core.driver.PortableDriver;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DriverFactory#prepare}: a runtime checks its driver factory once, for all workers, before any starts. */
@Timeout(30)
class DriverPrepareTest {

    @Test
    void anExplicitFactoryThatCannotServeTheRuntimeFailsBuildAndStartsNoWorker() {
        AtomicInteger created = new AtomicInteger();
        DriverFactory refusing = new DriverFactory() {
            @Override
            public void prepare(int workerCount) throws IOException {
                throw new IOException("needs " + workerCount + " x 512 KiB of locked memory");
            }

            @Override
            public Driver create(int workerIndex) {
                created.incrementAndGet();
                return new PortableDriver(workerIndex);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Runtime.builder().workers(3)
                .threadNamePrefix("prepare-refused-").driverFactory(refusing).build());
        assertTrue(e.getMessage().contains("3 workers") && e.getMessage().contains("needs 3 x 512 KiB"), e.getMessage());
        assertTrue(e.getCause() instanceof IOException, () -> "the factory's reason is the cause: " + e.getCause());
        assertEquals(0, created.get(), "no driver is created once prepare refused");
        assertTrue(TestSupport.threadsNamed("prepare-refused-").isEmpty(), "no worker thread was started");
    }

    @Test
    void prepareIsCalledOnceWithTheWorkerCountBeforeAnyDriverIsCreated() throws Exception {
        AtomicInteger preparedFor = new AtomicInteger(-1);
        AtomicInteger createdBeforePrepare = new AtomicInteger();
        DriverFactory recording = new DriverFactory() {
            @Override
            public void prepare(int workerCount) {
                assertSame(-1, preparedFor.getAndSet(workerCount), "prepare is called once");
            }

            @Override
            public Driver create(int workerIndex) {
                if (preparedFor.get() < 0) {
                    createdBeforePrepare.incrementAndGet();
                }
                return new PortableDriver(workerIndex);
            }
        };
        try (Runtime runtime = Runtime.builder().workers(2).pinning(false).driverFactory(recording).build()) {
            assertEquals(2, (int) runtime.spawnOn(1, () -> RuntimeContext.current().workerCount()).join());
        }
        assertEquals(2, preparedFor.get());
        assertEquals(0, createdBeforePrepare.get());
    }
}
